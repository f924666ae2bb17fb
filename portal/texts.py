"""The portal's wording: plain German by default, English for owners who prefer it."""

from __future__ import annotations

from models.settings import Language

GERMAN: dict[str, str] = {
    "app_name": "Digitalfahrplan",
    "skip_link": "Zum Inhalt springen",
    "optional": "(optional)",
    "form_title": "Sachstand {period}",
    "greeting": "Guten Tag {name},",
    "intro": "bitte melden Sie bis zum {due} den Sachstand Ihrer Maßnahmen.",
    "intro_corrections": (
        "Sie können Ihre Angaben bis zum {closes} korrigieren. Jede Speicherung wird festgehalten."
    ),
    "intro_how": (
        "Speichern Sie jede Maßnahme einzeln oder senden Sie am Ende alle Angaben auf einmal ab."
    ),
    "measure_legend": "Maßnahme {code}: {title}",
    "last_reported": "Vorausgefüllt mit Ihrer letzten Meldung vom {at}.",
    "never_reported": "Vorausgefüllt mit dem Stand aus dem Maßnahmenkatalog.",
    "status": "Status",
    "health": "Ampel: Wie steht die Maßnahme?",
    "health_none": "keine Einschätzung",
    "health_reason": "Begründung der Ampel",
    "health_reason_hint": "Warum steht die Maßnahme so? Höchstens {limit} Zeichen.",
    "progress": "Fortschritt in Prozent",
    "progress_hint": "Eine ganze Zahl von 0 bis 100.",
    "achieved": "Was wurde erreicht?",
    "next_steps": "Nächste Schritte",
    "risks": "Risiken",
    "decisions_needed": "Benötigte Entscheidungen",
    "text_hint": "Höchstens {limit} Zeichen.",
    "forecast_end_on": "Voraussichtliches Ende",
    "date_hint": "Zum Beispiel 31.12.2026.",
    "budget_spent": "Bisher ausgegebenes Budget in Euro",
    "budget_hint": "Zum Beispiel 12.500,00.",
    "milestones": "Erreichte Meilensteine",
    "milestones_hint": "Tragen Sie das Datum ein, an dem ein Meilenstein erreicht wurde.",
    "milestone_label": "{title} (geplant bis {due}) erreicht am",
    "save_measure": "Maßnahme {code} speichern",
    "indicators": "Kennzahlen",
    "indicators_intro": (
        "Tragen Sie den aktuellen Wert jeder Kennzahl ein (Stand {day}). Kennen Sie einen Wert "
        "noch nicht, lassen Sie das Feld leer; Sie können ihn bis zum {closes} nachtragen."
    ),
    "indicator_label": "{code} {name}: aktueller Wert",
    "indicator_unit": "in {unit}",
    "indicator_last": "Zuletzt {value} am {day}.",
    "indicator_never": "Noch kein Wert gemeldet.",
    "indicator_target": "Nächstes Ziel: {value} bis {day}.",
    "indicator_hint": "Eine Zahl, zum Beispiel 12,5.",
    "save_indicators": "Kennzahlen speichern",
    "saved_indicators": "Ihre Werte der Kennzahlen sind gespeichert.",
    "value_recorded": "{value} (Stand {day})",
    "error_number": "Geben Sie eine Zahl an, zum Beispiel 12,5.",
    "error_nothing_entered": "Tragen Sie einen Wert ein oder schließen Sie die Seite.",
    "submit_all": "Alle Angaben absenden",
    "error_summary": "Bitte korrigieren Sie Folgendes",
    "error_prefix": "Fehler:",
    "error_nothing_saved": "Es wurde nichts gespeichert. Ihre Eingaben sind erhalten.",
    "error_status": "Wählen Sie einen Status aus der Liste.",
    "error_health": "Wählen Sie eine Ampel aus.",
    "error_progress_missing": "Geben Sie den Fortschritt in Prozent an.",
    "error_progress": "Geben Sie den Fortschritt als ganze Zahl von 0 bis 100 an.",
    "error_date": "Geben Sie ein gültiges Datum an, zum Beispiel 31.12.2026.",
    "error_date_range": "Geben Sie ein Datum zwischen den Jahren {first} und {last} an.",
    "error_money": "Geben Sie einen Betrag in Euro an, zum Beispiel 12.500,00.",
    "error_text_long": "Kürzen Sie den Text auf höchstens {limit} Zeichen (jetzt {count}).",
    "error_text_chars": "Der Text enthält Zeichen, die nicht gespeichert werden können.",
    "error_invalid": "Prüfen Sie diese Angabe.",
    "saved_title": "Gespeichert",
    "saved_text": "Ihre Angaben zu Maßnahme {code} sind gespeichert.",
    "confirmation_title": "Vielen Dank, Ihre Angaben sind gespeichert",
    "confirmation_intro": "Festgehalten am {at}:",
    "correct": "Angaben korrigieren",
    "correct_until": "Sie können Ihre Angaben bis zum {closes} korrigieren.",
    "milestone_reached_on": "{title}: erreicht am {day}",
    "calendar_title": "Fristen im Kalender abonnieren",
    "calendar_text": (
        "Die Fristen Ihrer Maßnahmen (Meilensteine, geplante Enden, OZG-Leistungen) können Sie "
        "in Outlook, Thunderbird oder einem anderen Kalenderprogramm abonnieren. Die Adresse "
        "ist persönlich und bleibt gleich, auch nach Erinnerungen und in den nächsten "
        "Berichtszeiträumen, solange Sie offene Maßnahmen verantworten. Bitte geben Sie sie "
        "nicht weiter."
    ),
    "calendar_subscribe": "Im Kalenderprogramm abonnieren",
    "calendar_copy": (
        "Oder kopieren Sie diese Adresse in Ihr Kalenderprogramm "
        "(in Outlook: Kalender hinzufügen, Aus dem Internet):"
    ),
    "none": "keine Angabe",
    "expired_title": "Dieser Link ist nicht mehr gültig",
    "expired_text": (
        "Der Berichtszeitraum {period} ist abgeschlossen; Angaben sind nicht mehr möglich."
    ),
    "replaced_title": "Dieser Link wurde ersetzt",
    "replaced_text": (
        "Für Ihre Sachstandsmeldung {period} gibt es seit dem {replaced} einen neuen Link; "
        "dieser hier gilt nicht mehr. Sie haben nichts falsch gemacht."
    ),
    "replaced_sent": (
        "Der neue Link wurde Ihnen am {sent} per E-Mail geschickt. Öffnen Sie bitte den Link "
        "aus dieser Nachricht."
    ),
    "replaced_not_sent": "Der neue Link wurde Ihnen noch nicht geschickt.",
    "kept_title": "Ihre Angaben wurden nicht gespeichert",
    "kept_replaced": (
        "Während Sie das Formular ausgefüllt haben, wurde Ihr Link am {replaced} ersetzt."
    ),
    "kept_expired": (
        "Während Sie das Formular ausgefüllt haben, wurde der Berichtszeitraum {period} "
        "abgeschlossen."
    ),
    "kept_text": (
        "Damit nichts verloren geht, stehen Ihre Angaben unten. Kopieren Sie sie bitte und "
        "senden Sie sie per E-Mail an:"
    ),
    "kept_office": (
        "Damit nichts verloren geht, stehen Ihre Angaben unten. Kopieren Sie sie bitte und "
        "senden Sie sie an die Stabsstelle Digitalisierung."
    ),
    "kept_subject": "Sachstand {period}: {name}",
    "kept_heading": "Ihre Angaben",
    "contact": "Bitte wenden Sie sich an:",
    "contact_office": "Bitte wenden Sie sich an die Stabsstelle Digitalisierung.",
    "not_found_title": "Seite nicht gefunden",
    "not_found_text": (
        "Prüfen Sie die Adresse. Wenn Sie einem Link aus einer E-Mail gefolgt sind, "
        "kopieren Sie ihn vollständig in die Adresszeile."
    ),
    "forbidden_title": "Das Formular konnte nicht angenommen werden",
    "forbidden_text": (
        "Es wurde nichts gespeichert. Öffnen Sie den Link aus Ihrer E-Mail erneut "
        "und senden Sie das Formular noch einmal ab."
    ),
    "too_many_title": "Zu viele Versuche",
    "too_many_text": "Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.",
    "too_large_title": "Die Angaben sind zu umfangreich",
    "too_large_text": "Es wurde nichts gespeichert. Kürzen Sie Ihre Texte und senden Sie erneut.",
    "unauthorized_title": "Anmeldung erforderlich",
    "unauthorized_text": "Diese Übersicht ist nur für die Stabsstelle Digitalisierung.",
    "bad_request_title": "Die Anfrage konnte nicht bearbeitet werden",
    "bad_request_text": "Es wurde nichts gespeichert. Öffnen Sie den Link aus Ihrer E-Mail erneut.",
    "error_title": "Es ist ein Fehler aufgetreten",
    "error_text": (
        "Es wurde nichts gespeichert. Bitte versuchen Sie es später erneut. "
        "Bleibt der Fehler, wenden Sie sich an die Stabsstelle Digitalisierung."
    ),
    "overview_title": "Rückmeldungen {period}",
    "overview_none": "Es gibt noch keinen Berichtszeitraum.",
    "overview_periods": "Andere Berichtszeiträume",
    "overview_due": "Fällig am {due}, korrigierbar bis {closes}.",
    "overview_counts": "Geantwortet: {answered} von {total}. Überfällig: {late}.",
    "overview_caption": "Wer hat geantwortet?",
    "col_owner": "Person",
    "col_org_unit": "Organisationseinheit",
    "col_measures": "Maßnahmen beantwortet",
    "col_state": "Stand",
    "col_answered_at": "Beantwortet am",
    "col_reminders": "Erinnerungen",
    "state_answered": "beantwortet",
    "state_open": "offen",
    "state_late": "überfällig",
}

ENGLISH: dict[str, str] = {
    "app_name": "Digitalfahrplan",
    "skip_link": "Skip to main content",
    "optional": "(optional)",
    "form_title": "Status {period}",
    "greeting": "Hello {name},",
    "intro": "please report the status of your measures by {due}.",
    "intro_corrections": "You can correct your answers until {closes}. Every save is recorded.",
    "intro_how": "Save each measure on its own, or submit all answers at once at the end.",
    "measure_legend": "Measure {code}: {title}",
    "last_reported": "Filled in from your last report of {at}.",
    "never_reported": "Filled in from the catalogue of measures.",
    "status": "Status",
    "health": "Traffic light: how is the measure doing?",
    "health_none": "no assessment",
    "health_reason": "Reason for the traffic light",
    "health_reason_hint": "Why is the measure where it is? At most {limit} characters.",
    "progress": "Progress in per cent",
    "progress_hint": "A whole number from 0 to 100.",
    "achieved": "What was achieved?",
    "next_steps": "Next steps",
    "risks": "Risks",
    "decisions_needed": "Decisions needed",
    "text_hint": "At most {limit} characters.",
    "forecast_end_on": "Expected end",
    "date_hint": "For example 2026-12-31.",
    "budget_spent": "Budget spent so far in euros",
    "budget_hint": "For example 12,500.00.",
    "milestones": "Milestones reached",
    "milestones_hint": "Enter the day on which a milestone was reached.",
    "milestone_label": "{title} (due {due}) reached on",
    "save_measure": "Save measure {code}",
    "indicators": "Indicators",
    "indicators_intro": (
        "Enter the current value of each indicator (as of {day}). If you do not know a value "
        "yet, leave the field empty; you can add it until {closes}."
    ),
    "indicator_label": "{code} {name}: current value",
    "indicator_unit": "in {unit}",
    "indicator_last": "Last {value} on {day}.",
    "indicator_never": "No value reported yet.",
    "indicator_target": "Next target: {value} by {day}.",
    "indicator_hint": "A number, for example 12.5.",
    "save_indicators": "Save indicators",
    "saved_indicators": "Your indicator values are saved.",
    "value_recorded": "{value} (as of {day})",
    "error_number": "Enter a number, for example 12.5.",
    "error_nothing_entered": "Enter a value, or close the page.",
    "submit_all": "Submit all answers",
    "error_summary": "There is a problem",
    "error_prefix": "Error:",
    "error_nothing_saved": "Nothing was saved. What you typed is kept.",
    "error_status": "Choose a status from the list.",
    "error_health": "Choose a traffic light.",
    "error_progress_missing": "Enter the progress in per cent.",
    "error_progress": "Enter the progress as a whole number from 0 to 100.",
    "error_date": "Enter a valid date, for example 2026-12-31.",
    "error_date_range": "Enter a date between the years {first} and {last}.",
    "error_money": "Enter an amount in euros, for example 12,500.00.",
    "error_text_long": "Shorten the text to at most {limit} characters (now {count}).",
    "error_text_chars": "The text contains characters that cannot be stored.",
    "error_invalid": "Check this answer.",
    "saved_title": "Saved",
    "saved_text": "Your answers for measure {code} are saved.",
    "confirmation_title": "Thank you, your answers are saved",
    "confirmation_intro": "Recorded on {at}:",
    "correct": "Correct your answers",
    "correct_until": "You can correct your answers until {closes}.",
    "milestone_reached_on": "{title}: reached on {day}",
    "calendar_title": "Subscribe to your deadlines",
    "calendar_text": (
        "You can subscribe to the deadlines of your measures (milestones, planned ends, OZG "
        "services) in Outlook, Thunderbird or any other calendar program. The address is "
        "personal and stays the same, also after reminders and in later reporting periods, for "
        "as long as you own open measures. Please do not pass it on."
    ),
    "calendar_subscribe": "Subscribe in your calendar program",
    "calendar_copy": (
        "Or copy this address into your calendar program (in Outlook: Add calendar, From Internet):"
    ),
    "none": "not given",
    "expired_title": "This link is no longer valid",
    "expired_text": "The reporting period {period} is closed; answers are no longer possible.",
    "replaced_title": "This link has been replaced",
    "replaced_text": (
        "Your status report {period} has a new link since {replaced}; this one no longer "
        "works. You did nothing wrong."
    ),
    "replaced_sent": (
        "The new link was sent to you by e-mail on {sent}. Please open the link in that message."
    ),
    "replaced_not_sent": "The new link has not been sent to you yet.",
    "kept_title": "Your answers were not saved",
    "kept_replaced": "While you were filling in the form, your link was replaced on {replaced}.",
    "kept_expired": "While you were filling in the form, the reporting period {period} closed.",
    "kept_text": (
        "So that nothing is lost, your answers are shown below. Please copy them and send them "
        "by e-mail to:"
    ),
    "kept_office": (
        "So that nothing is lost, your answers are shown below. Please copy them and send them "
        "to the digitalisation office."
    ),
    "kept_subject": "Status {period}: {name}",
    "kept_heading": "Your answers",
    "contact": "Please contact:",
    "contact_office": "Please contact the digitalisation office.",
    "not_found_title": "Page not found",
    "not_found_text": (
        "Check the address. If you followed a link from an e-mail, "
        "copy all of it into the address bar."
    ),
    "forbidden_title": "The form could not be accepted",
    "forbidden_text": (
        "Nothing was saved. Open the link from your e-mail again and submit the form once more."
    ),
    "too_many_title": "Too many attempts",
    "too_many_text": "Please wait a few minutes, then try again.",
    "too_large_title": "The answers are too long",
    "too_large_text": "Nothing was saved. Shorten your texts and submit again.",
    "unauthorized_title": "Sign-in required",
    "unauthorized_text": "This overview is for the digitalisation office only.",
    "bad_request_title": "The request could not be handled",
    "bad_request_text": "Nothing was saved. Open the link from your e-mail again.",
    "error_title": "Something went wrong",
    "error_text": (
        "Nothing was saved. Please try again later. "
        "If the problem remains, contact the digitalisation office."
    ),
    "overview_title": "Answers {period}",
    "overview_none": "There is no reporting period yet.",
    "overview_periods": "Other reporting periods",
    "overview_due": "Due on {due}, open for corrections until {closes}.",
    "overview_counts": "Answered: {answered} of {total}. Late: {late}.",
    "overview_caption": "Who has answered?",
    "col_owner": "Person",
    "col_org_unit": "Unit",
    "col_measures": "Measures answered",
    "col_state": "State",
    "col_answered_at": "Answered on",
    "col_reminders": "Reminders",
    "state_answered": "answered",
    "state_open": "open",
    "state_late": "late",
}


def texts(language: Language) -> dict[str, str]:
    """The wording in this language."""
    return ENGLISH if language == "en" else GERMAN
