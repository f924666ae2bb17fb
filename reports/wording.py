"""Every word the report, its exports and its mail show, in German (default) and English."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from models.settings import Language
from templating.formatting import format_date
from templating.labels import DIRECTION_LABELS, INDICATOR_STATE_LABELS, STATUS_LABELS

GERMAN: dict[str, Any] = {
    "doc_title": "Sachstandsbericht zur Digitalstrategie",
    "period": "Berichtszeitraum",
    "quarter": "{quarter}. Quartal {year}",
    "as_of": "Stand",
    "for_committee": "Vorgelegt dem",
    "next_meeting": "nächste Sitzung am",
    "internal": "Interne Fassung",
    "public": "Öffentliche Fassung",
    "contents": "Inhalt",
    "page": "Seite",
    "of": "von",
    "summary": "Zusammenfassung",
    "summary_intro": (
        "Der Bericht umfasst {measures} Maßnahmen. Der Fortschritt liegt insgesamt bei "
        "{progress}; von der geplanten Laufzeit sind im Mittel {elapsed} verstrichen."
    ),
    "by_status": "Maßnahmen nach Status",
    "by_health": "Offene Maßnahmen nach Ampel",
    "by_health_note": (
        "Die abgeleitete Ampel folgt aus Terminen und Meldungen; die gemeldete Ampel der "
        "Verantwortlichen gilt, wenn sie begründet wurde."
    ),
    "health": "Ampel",
    "effective": "gilt",
    "derived": "abgeleitet",
    "reported": "gemeldet",
    "no_answer": "keine Meldung",
    "count": "Anzahl",
    "total": "Summe",
    "progress": "Fortschritt",
    "progress_overall": "Fortschritt insgesamt",
    "progress_by_field": "Fortschritt je Handlungsfeld",
    "elapsed": "Zeit verstrichen",
    "field": "Handlungsfeld",
    "no_field": "ohne Handlungsfeld",
    "measures": "Maßnahmen",
    "measure": "Maßnahme",
    "finished": "Im Quartal abgeschlossene Maßnahmen",
    "quick_wins": "Quick Wins",
    "none": "Keine.",
    "not_applicable": "–",
    "chart_status": "Status je Handlungsfeld",
    "chart_status_desc": (
        "Gestapelte Balken: Anzahl der Maßnahmen je Handlungsfeld, aufgeteilt nach Status. "
        "Die Zahlen stehen auch in der Tabelle „Fortschritt je Handlungsfeld“."
    ),
    "chart_progress": "Fortschritt und verstrichene Zeit je Handlungsfeld",
    "chart_progress_desc": (
        "Je Handlungsfeld zwei Balken: durchschnittlicher Fortschritt und durchschnittlich "
        "verstrichener Anteil der geplanten Laufzeit, jeweils 0 bis 100 %."
    ),
    "changes": "Veränderungen seit dem letzten Bericht",
    "changes_intro": "Verglichen mit dem Bericht für {period}.",
    "no_previous": "Es liegt kein früherer Bericht zum Vergleich vor.",
    "status_changes": "Statuswechsel",
    "new_delays": "Neue Verzögerungen",
    "new_risks": "Neue Risiken",
    "before": "vorher",
    "after": "jetzt",
    "new_measure": "neu",
    "delay": {
        "end": "Ende verschoben",
        "milestone_moved": "Meilenstein verschoben",
        "milestone_overdue": "Meilenstein überfällig",
    },
    "what": "Was",
    "at_risk": "Gefährdete und kritische Maßnahmen",
    "at_risk_intro": (
        "Offene Maßnahmen, deren Ampel gelb oder rot steht, in den Worten der Verantwortlichen."
    ),
    "owner": "Verantwortlich",
    "derived_health": "Abgeleitete Ampel",
    "reasons": "Gründe",
    "reported_health": "Gemeldete Ampel",
    "health_reason": "Begründung",
    "last_answer": "Letzte Meldung",
    "achieved": "Erreicht",
    "next_steps": "Nächste Schritte",
    "risks": "Risiken",
    "decisions_needed": "Entscheidungsbedarf",
    "roadmap": "Fahrplan",
    "overdue_milestones": "Überfällige Meilensteine",
    "upcoming_milestones": "Meilensteine der nächsten 90 Tage",
    "milestone": "Meilenstein",
    "due_on": "Fällig am",
    "kind": "Art",
    "days_overdue": "Tage überfällig",
    "ozg_services": "OZG-Leistungen",
    "ozg_id": "OZG-ID",
    "service": "Leistung",
    "topic_field": "Themenfeld",
    "maturity_model": "Reifegradmodell",
    "maturity_current": "Reifegrad Ist",
    "maturity_target": "Reifegrad Ziel",
    "deadline": "Frist",
    "state": "Stand",
    "ozg_state": {"reached": "erreicht", "open": "offen", "late": "Frist überschritten"},
    "budget": "Budget",
    "budget_planned": "Budget geplant",
    "budget_spent": "Budget ausgegeben",
    "budget_share": "Anteil ausgegeben",
    "budget_over": "Maßnahmen über Plan",
    "not_reported": "Ausstehende Meldungen",
    "not_reported_intro": "Wer im Berichtszeitraum gefragt wurde und noch nicht geantwortet hat.",
    "person": "Person",
    "org_unit": "Organisationseinheit",
    "reminders": "Erinnerungen",
    "escalated": "Eskaliert",
    "yes": "ja",
    "no": "nein",
    "annex": "Anhang: alle Maßnahmen",
    "annex_intro": (
        "Eine Zeile je Maßnahme, nach Handlungsfeld. Beginn, Budget, Priorität und Leitlinien "
        "jeder Maßnahme stehen in der Tabelle zum Bericht (XLSX) und in den offenen Daten."
    ),
    "forecast": "Prognose",
    "code": "Nr.",
    "title": "Titel",
    "description": "Beschreibung",
    "status": "Status",
    "starts_on": "Beginn",
    "ends_on": "Ende geplant",
    "forecast_end_on": "Ende Prognose",
    "finished_on": "Abgeschlossen am",
    "priority": "Priorität",
    "quick_win": "Quick Win",
    "pillars": "Leitlinien",
    "public_flag": "Öffentlich",
    "statuses": STATUS_LABELS["de"],
    "indicators": "Kennzahlen",
    "indicators_intro": (
        "Ob die Maßnahmen wirken, zeigen die Kennzahlen der Strategie. Je Kennzahl: der Verlauf "
        "seit dem Ausgangswert, die Ziele und der erwartete Verlauf dorthin. Bewertet wird der "
        "letzte Messwert gegen den erwarteten Verlauf an seinem Tag: auf oder vor dem Verlauf "
        "ist auf Kurs, bis zu einem Zehntel der Spanne des Abschnitts dahinter gefährdet, "
        "weiter dahinter nicht auf Kurs. Ein Messwert, der älter als ein Quartal ist, gilt "
        "als veraltet."
    ),
    "indicator_states": INDICATOR_STATE_LABELS["de"],
    "directions": DIRECTION_LABELS["de"],
    "direction": "Richtung",
    "indicator": "Kennzahl",
    "baseline": "Ausgangswert",
    "target": "Ziel",
    "actual": "Messwert",
    "expected_path": "erwarteter Verlauf",
    "value": "Wert",
    "date": "Datum",
    "source": "Quelle",
    "indicator_state_line": "Bewertung: {state}.",
    "indicator_latest": "Letzter Messwert {value} am {day}; erwartet waren {expected}.",
    "indicator_latest_plain": "Letzter Messwert {value} am {day}.",
    "indicator_no_values": "Noch kein Messwert.",
    "indicator_stale": "Veraltet: Der letzte Messwert ist älter als ein Quartal.",
    "indicator_next_target": "Nächstes Ziel: {value} bis {day}.",
    "chart_indicator": "Verlauf: {code} {name}",
    "chart_indicator_desc": (
        "Liniendiagramm über die Zeit: Ausgangswert {baseline} am {day}, {count} Messwerte "
        "(blau), Ziele {targets} (orange), gestrichelt der erwartete Verlauf. Die Zahlen "
        "stehen in der Tabelle darunter."
    ),
    "field_indicators": "Kennzahlen und Maßnahmen je Handlungsfeld",
    "healths": {"on_track": "im Plan", "at_risk": "gefährdet", "off_track": "kritisch"},
    "kinds": {"internal": "intern", "legal": "gesetzlich", "ozg": "OZG", "funding": "Förderung"},
    "priorities": {"high": "hoch", "medium": "mittel", "low": "niedrig"},
    "models": {"v1.1": "1.1 (0–4)", "v2.0": "2.0 (0–7)"},
    "reason": {
        "milestone": "Meilenstein überfällig: {title} (fällig {day})",
        "forecast": "Prognose {day} liegt nach dem geplanten Ende",
        "ended": "geplantes Ende {day} überschritten",
        "unanswered": "seit {count} Berichtszeiträumen keine Meldung",
    },
    "mail_subject": "{title}: {quarter} – {municipality}",
    "mail_greeting": "Sehr geehrte Damen und Herren,",
    "mail_body": (
        "anbei erhalten Sie den Sachstandsbericht zur Digitalstrategie für {quarter} "
        "(Stand {as_of}). Er umfasst {measures} Maßnahmen; der Fortschritt liegt insgesamt "
        "bei {progress}. {at_risk} Maßnahmen sind gefährdet oder kritisch."
    ),
    "mail_closing": "Mit freundlichen Grüßen\nIhre Stabsstelle Digitalisierung",
    "sheet_measures": "Maßnahmen",
    "sheet_milestones": "Meilensteine",
    "sheet_ozg": "OZG-Leistungen",
}

ENGLISH: dict[str, Any] = {
    "doc_title": "Status report on the digital strategy",
    "period": "Reporting period",
    "quarter": "Q{quarter} {year}",
    "as_of": "As of",
    "for_committee": "Presented to the",
    "next_meeting": "next meeting on",
    "internal": "Internal version",
    "public": "Public version",
    "contents": "Contents",
    "page": "Page",
    "of": "of",
    "summary": "Summary",
    "summary_intro": (
        "The report covers {measures} measures. Overall progress is {progress}; on average "
        "{elapsed} of the planned duration has passed."
    ),
    "by_status": "Measures by status",
    "by_health": "Open measures by health",
    "by_health_note": (
        "The derived health follows from dates and answers; the health reported by the owner "
        "counts when the owner gave a reason."
    ),
    "health": "Health",
    "effective": "counts",
    "derived": "derived",
    "reported": "reported",
    "no_answer": "no answer",
    "count": "Count",
    "total": "Total",
    "progress": "Progress",
    "progress_overall": "Overall progress",
    "progress_by_field": "Progress per field of action",
    "elapsed": "Time elapsed",
    "field": "Field of action",
    "no_field": "no field of action",
    "measures": "Measures",
    "measure": "Measure",
    "finished": "Measures finished this quarter",
    "quick_wins": "Quick wins",
    "none": "None.",
    "not_applicable": "–",
    "chart_status": "Status per field of action",
    "chart_status_desc": (
        "Stacked bars: number of measures per field of action, split by status. The numbers "
        "are also in the table “Progress per field of action”."
    ),
    "chart_progress": "Progress and time elapsed per field of action",
    "chart_progress_desc": (
        "Two bars per field of action: average progress and average share of the planned "
        "duration elapsed, each from 0 to 100%."
    ),
    "changes": "Changes since the previous report",
    "changes_intro": "Compared with the report for {period}.",
    "no_previous": "There is no earlier report to compare with.",
    "status_changes": "Status changes",
    "new_delays": "New delays",
    "new_risks": "New risks",
    "before": "before",
    "after": "now",
    "new_measure": "new",
    "delay": {
        "end": "end postponed",
        "milestone_moved": "milestone postponed",
        "milestone_overdue": "milestone overdue",
    },
    "what": "What",
    "at_risk": "Measures at risk or off track",
    "at_risk_intro": "Open measures at risk or off track, in their owners' own words.",
    "owner": "Owner",
    "derived_health": "Derived health",
    "reasons": "Reasons",
    "reported_health": "Reported health",
    "health_reason": "Reason given",
    "last_answer": "Last answer",
    "achieved": "Achieved",
    "next_steps": "Next steps",
    "risks": "Risks",
    "decisions_needed": "Decisions needed",
    "roadmap": "Roadmap",
    "overdue_milestones": "Overdue milestones",
    "upcoming_milestones": "Milestones of the next 90 days",
    "milestone": "Milestone",
    "due_on": "Due on",
    "kind": "Kind",
    "days_overdue": "Days overdue",
    "ozg_services": "OZG services",
    "ozg_id": "OZG id",
    "service": "Service",
    "topic_field": "Topic field",
    "maturity_model": "Maturity model",
    "maturity_current": "Maturity now",
    "maturity_target": "Maturity target",
    "deadline": "Deadline",
    "state": "State",
    "ozg_state": {"reached": "reached", "open": "open", "late": "deadline passed"},
    "budget": "Budget",
    "budget_planned": "Budget planned",
    "budget_spent": "Budget spent",
    "budget_share": "Share spent",
    "budget_over": "Measures over plan",
    "not_reported": "Who did not report",
    "not_reported_intro": "People asked in this period who have not answered yet.",
    "person": "Person",
    "org_unit": "Org unit",
    "reminders": "Reminders",
    "escalated": "Escalated",
    "yes": "yes",
    "no": "no",
    "annex": "Annex: every measure",
    "annex_intro": (
        "One line per measure, by field of action. Start, budget, priority and pillars of "
        "every measure are in the report's spreadsheet (XLSX) and in the open data."
    ),
    "forecast": "forecast",
    "code": "No.",
    "title": "Title",
    "description": "Description",
    "status": "Status",
    "starts_on": "Start",
    "ends_on": "Planned end",
    "forecast_end_on": "Forecast end",
    "finished_on": "Finished on",
    "priority": "Priority",
    "quick_win": "Quick win",
    "pillars": "Pillars",
    "public_flag": "Public",
    "statuses": STATUS_LABELS["en"],
    "indicators": "Indicators",
    "indicators_intro": (
        "Whether the measures work is shown by the strategy's indicators. For each: its course "
        "since the baseline, its targets and the expected path to them. The latest value is "
        "judged against the expected path on its day: on or ahead of it is on track, behind it "
        "by at most a tenth of the stretch's span is at risk, further behind off track. A "
        "latest value older than a quarter is stale."
    ),
    "indicator_states": INDICATOR_STATE_LABELS["en"],
    "directions": DIRECTION_LABELS["en"],
    "direction": "Direction",
    "indicator": "Indicator",
    "baseline": "Baseline",
    "target": "Target",
    "actual": "Measured",
    "expected_path": "expected path",
    "value": "Value",
    "date": "Date",
    "source": "Source",
    "indicator_state_line": "Judgement: {state}.",
    "indicator_latest": "Latest value {value} on {day}; the path expected {expected}.",
    "indicator_latest_plain": "Latest value {value} on {day}.",
    "indicator_no_values": "No value yet.",
    "indicator_stale": "Stale: the latest value is older than a quarter.",
    "indicator_next_target": "Next target: {value} by {day}.",
    "chart_indicator": "Course: {code} {name}",
    "chart_indicator_desc": (
        "Line chart over time: baseline {baseline} on {day}, {count} measured values (blue), "
        "targets {targets} (orange), the expected path dashed. The numbers are in the table "
        "below."
    ),
    "field_indicators": "Indicators and measures per field of action",
    "healths": {"on_track": "on track", "at_risk": "at risk", "off_track": "off track"},
    "kinds": {"internal": "internal", "legal": "legal", "ozg": "OZG", "funding": "funding"},
    "priorities": {"high": "high", "medium": "medium", "low": "low"},
    "models": {"v1.1": "1.1 (0–4)", "v2.0": "2.0 (0–7)"},
    "reason": {
        "milestone": "milestone overdue: {title} (due {day})",
        "forecast": "forecast {day} after the planned end",
        "ended": "planned end {day} passed",
        "unanswered": "no answer for {count} reporting periods",
    },
    "mail_subject": "{title}: {quarter} – {municipality}",
    "mail_greeting": "Dear members of the committee,",
    "mail_body": (
        "please find attached the status report on the digital strategy for {quarter} "
        "(as of {as_of}). It covers {measures} measures; overall progress is {progress}. "
        "{at_risk} measures are at risk or off track."
    ),
    "mail_closing": "Kind regards\nThe digital strategy office",
    "sheet_measures": "Measures",
    "sheet_milestones": "Milestones",
    "sheet_ozg": "OZG services",
}

LABELS: dict[str, dict[str, Any]] = {"de": GERMAN, "en": ENGLISH}

# The reasons models.health gives, so the report can say them in its own language.
_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^milestone overdue: (?P<title>.*) \((?P<day>\d{4}-\d{2}-\d{2})\)$"), "milestone"),
    (re.compile(r"^forecast end (?P<day>\d{4}-\d{2}-\d{2}) after planned end$"), "forecast"),
    (re.compile(r"^planned end (?P<day>\d{4}-\d{2}-\d{2}) passed$"), "ended"),
    (re.compile(r"^no answer for (?P<count>\d+) periods$"), "unanswered"),
]


def labels(language: Language) -> dict[str, Any]:
    """The words of one language."""
    return LABELS[language]


def quarter_label(code: str, language: Language) -> str:
    """`3. Quartal 2026` or `Q3 2026` for the code `2026-Q3`."""
    year, quarter = code.split("-Q")
    return str(LABELS[language]["quarter"]).format(quarter=quarter, year=year)


def reason_translator(language: Language) -> Callable[[str], str]:
    """A function saying a derived-health reason in this language; unknown reasons stay as given."""
    words: dict[str, str] = LABELS[language]["reason"]

    def translate(reason: str) -> str:
        for pattern, key in _REASONS:
            match = pattern.match(reason)
            if match:
                found = match.groupdict()
                if "day" in found:
                    found["day"] = format_date(date.fromisoformat(found["day"]), language)
                return words[key].format(**found)
        return reason

    return translate
