from __future__ import annotations

import pytest

from models.calendar_link import CalendarLink, calendar_token, person_of_calendar_token

SECRET = b"k3Jq9vZ2mXr8TfLw5bNc7HdPy4GsAe6U"


def test_a_token_names_its_person_and_stays_the_same() -> None:
    token = calendar_token(SECRET, 42)
    assert token == calendar_token(SECRET, 42)
    assert token.startswith("42-") and len(token) == len("42-") + 43
    assert person_of_calendar_token(SECRET, token) == 42
    assert calendar_token(SECRET, 43) != token
    assert calendar_token(SECRET + b"x", 42) != token


@pytest.mark.parametrize(
    "forged",
    [
        # Another person's id with this person's MAC, and the other way round.
        "43-" + calendar_token(SECRET, 42).split("-", 1)[1],
        "42-" + calendar_token(SECRET, 43).split("-", 1)[1],
        # The right token under another key.
        calendar_token(b"another secret key of the same length", 42),
        "042-" + calendar_token(SECRET, 42).split("-", 1)[1],
        calendar_token(SECRET, 42)[:-1],
        calendar_token(SECRET, 42) + "=",
        calendar_token(SECRET, 42)[:-1] + ("A" if calendar_token(SECRET, 42)[-1] != "A" else "B"),
        "42",
        "",
        "0-" + "A" * 43,
        "-42-" + "A" * 43,
        "1" * 30 + "-" + "A" * 43,
        "42-" + "ä" * 43,
    ],
)
def test_forged_or_malformed_tokens_name_nobody(forged: str) -> None:
    assert person_of_calendar_token(SECRET, forged) is None


def test_the_link_is_on_the_portal_and_has_a_webcal_twin() -> None:
    link = CalendarLink.of(secret=SECRET, portal_url="https://fahrplan.stadt.example", person_id=7)
    token = calendar_token(SECRET, 7)
    assert link.url == f"https://fahrplan.stadt.example/ical/{token}.ics"
    assert link.webcal == f"webcal://fahrplan.stadt.example/ical/{token}.ics"
