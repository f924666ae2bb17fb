from __future__ import annotations

from datetime import date

from models.calendar_link import CalendarLink
from models.enums import Health, MilestoneKind
from models.roadmap import Deadline
from notify.deadline_messages import (
    CoordinatorSummary,
    DeadlineLine,
    HealthLine,
    OwnerDigest,
    days_phrase,
    render_digest,
    render_summary,
)
from tests.builders import deadlines

ON = date(2026, 3, 30)
TYPED = "Portal <script>alert(1)</script> & Co"


def _line(deadline: Deadline, language: str = "de") -> DeadlineLine:
    return DeadlineLine.of(deadline, on=ON, language=language)


def _milestone(due: date, title: str = "Vergabe") -> Deadline:
    return deadlines.milestone(
        due,
        title=title,
        source_id=7,
        measure_code="V-03",
        measure_title=TYPED,
        milestone_kind=MilestoneKind.LEGAL,
        owner_name="Anna Amt",
    )


def _ozg() -> Deadline:
    return deadlines.ozg_service(source_id=3, measure_code="V-04", measure_title="Bürgerportal")


def _digest(language: str, overdue: list[Deadline], upcoming: list[Deadline]) -> OwnerDigest:
    return OwnerDigest(
        municipality_id=1,
        municipality_name="Musterstadt",
        person_id=2,
        name="Anna Amt",
        email="anna@example.org",
        language=language,
        on=ON,
        overdue=[_line(d, language) for d in overdue],
        upcoming=[_line(d, language) for d in upcoming],
    )


def test_days_read_naturally_in_both_languages() -> None:
    assert [days_phrase(n, "de") for n in (7, 1, 0, -1, -3)] == [
        "in 7 Tagen",
        "morgen",
        "heute",
        "1 Tag überfällig",
        "3 Tage überfällig",
    ]
    assert [days_phrase(n, "en") for n in (7, 1, 0, -1, -3)] == [
        "in 7 days",
        "tomorrow",
        "today",
        "1 day overdue",
        "3 days overdue",
    ]


def test_a_digest_with_one_deadline_says_what_is_due_when() -> None:
    message = render_digest(_digest("de", [], [_milestone(date(2026, 4, 6))]))
    assert message.subject == "Frist: V-03 Vergabe, fällig am 06.04.2026"
    assert message.kind == "deadline-digest"
    assert (message.recipient, message.on_date, message.person_id) == (
        "anna@example.org",
        ON,
        2,
    )
    assert "fällig am 06.04.2026 (in 7 Tagen), gesetzliche Frist" in message.text


def test_a_digest_lists_everything_in_one_message_overdue_first() -> None:
    message = render_digest(
        _digest("de", [_ozg()], [_milestone(date(2026, 4, 6)), _milestone(date(2026, 4, 29), "Go")])
    )
    assert message.subject == (
        "3 Fristen, 1 überfällig: zuerst V-04 OZG-Leistung 10218 Wohngeld: Reifegrad 3 "
        "„Online-Leistung“ (jetzt 2, Reifegradmodell 1.1) am 31.12.2022"
    )
    text = message.text
    assert text.index("Überfällig:") < text.index("1185 Tage überfällig") < text.index("Demnächst")
    assert text.index("Vergabe") < text.index("Go\n")
    assert "<h2" in message.html and "Demnächst fällig</h2>" in message.html


def test_english_owners_read_english() -> None:
    message = render_digest(_digest("en", [_milestone(date(2026, 3, 27))], []))
    assert message.subject == "Deadline missed: V-03 Vergabe, due since 2026-03-27"
    assert "Hello Anna Amt" in message.text
    assert '<html lang="en">' in message.html


def test_a_digest_offers_the_calendar_only_when_the_owner_has_one() -> None:
    calendar = CalendarLink(
        url="https://fahrplan.example.org/ical/2-MAC.ics",
        webcal="webcal://fahrplan.example.org/ical/2-MAC.ics",
    )
    for language, heading in (("de", "Fristen im Kalender abonnieren"), ("en", "Subscribe")):
        digest = _digest(language, [], [_milestone(date(2026, 4, 6))])
        without = render_digest(digest)
        assert "/ical/" not in without.text and "/ical/" not in without.html
        offered = render_digest(digest.model_copy(update={"calendar": calendar}))
        assert heading in offered.text and f"\n{calendar.url}\n" in offered.text
        assert f'href="{calendar.url}"' in offered.html
        assert f'href="{calendar.webcal}"' in offered.html


def test_typed_markup_stays_escaped_in_html_and_as_typed_in_text() -> None:
    message = render_digest(_digest("de", [], [_milestone(date(2026, 4, 6))]))
    assert "<script>" not in message.html
    assert "Portal &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in message.html
    assert TYPED in message.text


def _summary(cadence: str = "daily") -> CoordinatorSummary:
    return CoordinatorSummary.model_validate(
        {
            "municipality_id": 1,
            "municipality_name": "Musterstadt",
            "on": ON,
            "cadence": cadence,
            "horizon_days": 30,
            "overdue": [_line(_ozg())],
            "upcoming": [_line(_milestone(date(2026, 4, 6)))],
            "more_upcoming": 4,
            "at_risk": [
                HealthLine(
                    code="V-04",
                    title=TYPED,
                    owner_name="",
                    derived=Health.OFF_TRACK,
                    reported=Health.ON_TRACK,
                    reasons=["no answer for 2 periods"],
                )
            ],
            "owners_told": 2,
            "without_owner": 1,
        }
    )


def test_the_summary_shows_derived_and_reported_health_apart() -> None:
    message = render_summary(
        _summary(), person_id=9, email="digital@example.org", language="de", apprise_urls=[]
    )
    assert message.subject == (
        "Fristen-Übersicht vom 30.03.2026: 1 überfällig, 5 fällig in den nächsten 30 Tagen"
    )
    assert "abgeleitet kritisch, gemeldet im Plan" in message.text
    assert "… und 4 weitere" in message.text
    assert "Fristen ohne verantwortliche Person: 1;" in message.text
    assert "<script>" not in message.html


def test_the_weekly_summary_says_so() -> None:
    message = render_summary(
        _summary("weekly"), person_id=9, email="digital@example.org", language="en", apprise_urls=[]
    )
    assert message.subject.startswith("Weekly deadline summary from 2026-03-30: 1 overdue")
    assert "derived off track, reported on track" in message.text
