from __future__ import annotations

from datetime import date

from models.calendar_link import CalendarLink
from notify.status_messages import (
    EscalationNotice,
    MeasureLine,
    MissingOwner,
    StatusPrompt,
    render_escalation,
    render_prompt,
)

CALENDAR = CalendarLink(
    url="https://fahrplan.example.org/ical/7-MAC.ics",
    webcal="webcal://fahrplan.example.org/ical/7-MAC.ics",
)
MEASURES = [
    MeasureLine(
        code="V-01", title="E-Akte <img src=x onerror=alert(1)>", status="in_progress", progress=40
    ),
    MeasureLine(code="V-02", title="WLAN & Schulen", status="planned", progress=0),
]


def _prompt(**changes: object) -> StatusPrompt:
    prompt = StatusPrompt(
        kind="request",
        language="de",
        municipality="Musterstadt",
        period_code="2026-Q3",
        name="Anna <b>Amt</b>",
        due_on=date(2026, 9, 15),
        closes_on=date(2026, 10, 15),
        link="https://fahrplan.example.org/s/TOKEN",
        calendar=CALENDAR,
        measures=MEASURES,
        on=date(2026, 9, 1),
    )
    return prompt.model_copy(update=changes)


def test_the_request_says_what_is_asked_and_until_when() -> None:
    mail = render_prompt(_prompt())
    assert mail.subject == "Sachstand Digitalstrategie 2026-Q3: bitte bis 15.09.2026 melden"
    assert "- V-01 E-Akte <img src=x onerror=alert(1)> (in Umsetzung, 40 %)" in mail.text
    assert "- V-02 WLAN & Schulen (geplant, 0 %)" in mail.text
    assert "https://fahrplan.example.org/s/TOKEN" in mail.text
    assert "bis zum 15.10.2026 ergänzen" in mail.text


def test_every_prompt_offers_the_owners_calendar() -> None:
    for kind in ("request", "reminder"):
        for language, heading in (("de", "Fristen im Kalender abonnieren"), ("en", "Subscribe")):
            mail = render_prompt(_prompt(kind=kind, language=language))
            assert heading in mail.text and heading in mail.html
            assert f"\n{CALENDAR.url}\n" in mail.text
            assert f'href="{CALENDAR.url}"' in mail.html
            assert f'href="{CALENDAR.webcal}"' in mail.html


def test_typed_markup_stays_escaped_in_html() -> None:
    html = render_prompt(_prompt()).html
    assert "<img" not in html and "E-Akte &lt;img src=x onerror=alert(1)&gt;" in html
    assert "WLAN &amp; Schulen" in html and "Anna &lt;b&gt;Amt&lt;/b&gt;" in html
    assert 'href="https://fahrplan.example.org/s/TOKEN"' in html
    assert 'name="viewport"' in html and 'lang="de"' in html


def test_reminders_before_and_after_the_due_date_and_in_english() -> None:
    assert render_prompt(_prompt(kind="reminder")).subject == (
        "Erinnerung: Sachstand Digitalstrategie 2026-Q3 bitte bis 15.09.2026 melden"
    )
    overdue = render_prompt(_prompt(kind="reminder", on=date(2026, 9, 18)))
    assert overdue.subject.startswith("Überfällig: Sachstand Digitalstrategie 2026-Q3")
    assert "derselbe Link wie in unserer ersten Nachricht" in overdue.text
    assert "ersetzt" not in overdue.text and "ersetzt" not in overdue.html
    english = render_prompt(_prompt(language="en"))
    assert english.subject == "Digital strategy status 2026-Q3: please report by 2026-09-15"
    assert "(in progress, 40%)" in english.text and 'lang="en"' in english.html


def test_escalation_names_who_is_missing_for_which_measures() -> None:
    notice = EscalationNotice(
        language="de",
        municipality="Musterstadt",
        period_code="2026-Q3",
        name="Clara",
        due_on=date(2026, 9, 15),
        as_coordinator=True,
        missing=[
            MissingOwner(
                name="Ben <i>", email="ben@example.org", org_unit="IT", reminders=3,
                measures=MEASURES,
            )
        ],
    )  # fmt: skip
    mail = render_escalation(notice)
    assert mail.subject == (
        "Eskalation: Sachstand Digitalstrategie 2026-Q3 fehlt von 1 Verantwortlichen "
        "(fällig am 15.09.2026)"
    )
    assert "Ben <i> <ben@example.org>, IT – 3 Erinnerungen" in mail.text
    assert "- V-01" in mail.text and "Ben &lt;i&gt;" in mail.html
    deputy = render_escalation(notice.model_copy(update={"as_coordinator": False}))
    assert "als Vertretung eingetragen" in deputy.text
