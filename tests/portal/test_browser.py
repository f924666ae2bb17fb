"""The form in headless Chromium: filled, wrong, by keyboard alone, and checked with axe-core.

The database does not change what the browser sees, so these run on SQLite only; the HTTP
tests cover both databases.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from models.db import reset_engine, session_scope
from models.settings import get_settings, secret_key_bytes
from models.status.links import renew_link
from tests.builders.status import Asked, ask
from tests.portal.conftest import history

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)><b>fett</b>'
TEXT_FIELDS = ("health_reason", "achieved", "next_steps", "risks", "decisions_needed")
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
AXE = Axe()


def assert_accessible(page: Page) -> None:
    results = AXE.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_snapshot()


def status_of(page: Page, path: str) -> int:
    """Open a page and say its HTTP status."""
    response = page.goto(path)
    assert response is not None
    return response.status


def assert_inert(page: Page) -> None:
    """Nothing typed became markup: no script, image or bold element exists in the page."""
    assert page.locator("script, img, b").count() == 0


def test_an_owner_fills_in_and_submits_every_measure(page: Page, asked: Asked) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    first, second = asked.measure_ids
    page.goto(asked.path)
    assert_accessible(page)
    calendar = page.get_by_role("region", name="Fristen im Kalender abonnieren")
    expect(calendar.get_by_role("link", name="Im Kalenderprogramm abonnieren")).to_have_attribute(
        "href", re.compile(r"^webcal://127\.0\.0\.1:8080/ical/[0-9]+-[A-Za-z0-9_-]{43}\.ics$")
    )
    page.get_by_label("Fortschritt in Prozent").first.fill("65")
    page.locator(f"#m{first}-health-at_risk").check()
    page.get_by_label("Bisher ausgegebenes Budget in Euro").first.fill("2.500,00")
    page.locator(f"#m{first}-milestone-{asked.milestone_id}").fill("01.11.2026")
    page.locator(f"#m{second}-status").select_option("done")
    for measure in (first, second):
        for field in TEXT_FIELDS:
            page.locator(f"#m{measure}-{field}").fill(PAYLOAD)
    page.get_by_role("button", name="Alle Angaben absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vielen Dank, Ihre Angaben sind gespeichert"
    )
    expect(page.locator("dd", has_text="Gelb: gefährdet")).to_be_visible()
    expect(page.locator("dd", has_text="2.500,00 €")).to_be_visible()
    expect(page.locator("dd.text", has_text=PAYLOAD)).to_have_count(2 * len(TEXT_FIELDS))
    assert_inert(page)
    assert_accessible(page)
    assert [(r.measure_id, r.progress, r.achieved) for r in history()] == [
        (first, 65, PAYLOAD),
        (second, 0, PAYLOAD),
    ]

    page.get_by_role("link", name="Angaben korrigieren").click()
    expect(page.locator(f"#m{second}-risks")).to_have_value(PAYLOAD)
    expect(page.locator(f"#m{second}-status")).to_have_value("done")
    assert_inert(page)
    assert dialogs == []


def test_an_invalid_form_shows_its_errors_stores_nothing_and_keeps_what_was_typed(
    page: Page, asked: Asked
) -> None:
    first, second = asked.measure_ids
    page.goto(asked.path)
    page.locator(f"#m{first}-progress").fill("150")
    page.locator(f"#m{second}-achieved").fill("Bleibt erhalten")
    page.get_by_role("button", name="Alle Angaben absenden").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_contain_text(
        "Fortschritt in Prozent: Geben Sie den Fortschritt als ganze Zahl von 0 bis 100 an."
    )
    field = page.locator(f"#m{first}-progress")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(
        "Eine ganze Zahl von 0 bis 100. Fehler: "
        "Geben Sie den Fortschritt als ganze Zahl von 0 bis 100 an."
    )
    expect(page.locator(f"#m{first}-progress-error")).to_be_visible()
    expect(field).to_have_value("150")
    expect(page.locator(f"#m{second}-achieved")).to_have_value("Bleibt erhalten")
    assert_accessible(page)
    assert history() == []

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(field).to_be_focused()


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_form_works_with_the_keyboard_alone(page: Page, asked: Asked) -> None:
    first, second = asked.measure_ids
    page.goto(asked.path)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    _tab_to(page, f"#m{first}-progress")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Control+A")
    page.keyboard.type("77")
    _tab_to(page, f"button[value='{first}']")
    page.keyboard.press("Enter")
    expect(page.locator(".notice")).to_be_focused()
    assert_accessible(page)
    assert [(r.measure_id, r.progress) for r in history()] == [(first, 77)]

    # Enter in a field submits everything, not only the first section.
    _tab_to(page, f"#m{second}-progress")
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    assert [(r.measure_id, r.progress) for r in history()][1:] == [(first, 77), (second, 12)]


def _use_database(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Point the served app (same process) at another database."""
    monkeypatch.setenv("FAHRPLAN_DATABASE_URL", url)
    get_settings.cache_clear()
    reset_engine()


def test_every_other_portal_page_is_accessible(
    page: Page,
    served: str,
    asked: Asked,
    coordinator: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    portal_env: Path,
) -> None:
    with session_scope() as session:
        expired = ask(
            session,
            period_code="2026-Q2",
            days_earlier=200,
            closes_on=datetime.now(UTC).date() - timedelta(days=100),
            email="e@example.org",
        )
    for path, status in ((expired.path, 410), ("/s/unknown", 404)):
        assert status_of(page, path) == status
        assert_accessible(page)

    page.goto(asked.path)
    page.locator("input[name=csrf]").evaluate("input => input.remove()")
    page.get_by_role("button", name="Alle Angaben absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Das Formular konnte nicht angenommen werden"
    )
    assert_accessible(page)

    page.goto(asked.path)
    # Megabytes typed into a textarea take the browser long to lay out; a hidden field does not.
    page.locator("form").evaluate(
        """(form, size) => {
            const filler = document.createElement("input");
            filler.type = "hidden";
            filler.name = "filler";
            filler.value = "r".repeat(size);
            form.append(filler);
        }""",
        2 * 1024 * 1024 + 1,
    )
    page.get_by_role("button", name="Alle Angaben absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Die Angaben sind zu umfangreich")
    assert_accessible(page)

    monkeypatch.setenv("FAHRPLAN_OVERVIEW_PASSWORD", "Stabsstelle-2026")
    get_settings.cache_clear()
    overview = page.context.browser.new_context(  # type: ignore[union-attr]
        base_url=served, http_credentials={"username": "k", "password": "Stabsstelle-2026"}
    )
    overview_page = overview.new_page()
    assert status_of(overview_page, "/overview") == 200
    assert_accessible(overview_page)
    overview.close()

    working_database = get_settings().database_url
    _use_database(monkeypatch, f"sqlite:///{portal_env / 'empty.sqlite3'}")
    assert status_of(page, asked.path) == 500
    assert_accessible(page)
    _use_database(monkeypatch, working_database)

    for _ in range(10):
        httpx.get(f"{served}/s/{'x' * 43}")
    assert status_of(page, asked.path) == 429
    assert_accessible(page)


def test_a_link_replaced_while_the_owner_types_keeps_the_text_on_the_page(
    page: Page, asked: Asked, coordinator: tuple[str, str]
) -> None:
    first, second = asked.measure_ids
    page.goto(asked.path)
    page.locator(f"#m{first}-achieved").fill("Zehn Minuten Arbeit:\nAusschreibung vorbereitet")
    page.locator(f"#m{first}-risks").fill(PAYLOAD)
    page.locator(f"#m{second}-progress").fill("35")
    with session_scope() as session:
        renew_link(
            session=session,
            request_id=asked.request_id,
            secret=secret_key_bytes(get_settings()),
            at=datetime.now(UTC),
        )
    page.get_by_role("button", name="Alle Angaben absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ihre Angaben wurden nicht gespeichert"
    )
    kept = page.locator("dd.text")
    expect(kept.filter(has_text="Ausschreibung vorbereitet")).to_have_text(
        "Zehn Minuten Arbeit:\nAusschreibung vorbereitet"
    )
    expect(kept.filter(has_text="alert")).to_have_text(PAYLOAD)
    expect(kept.filter(has_text="35")).to_have_count(1)
    name, email = coordinator
    expect(page.get_by_role("link", name=email)).to_have_attribute(
        "href", re.compile(rf"^mailto:{re.escape(email)}\?subject=Sachstand%202026-Q4")
    )
    expect(page.get_by_role("listitem").filter(has_text=name)).to_be_visible()
    assert_inert(page)
    assert_accessible(page)
    assert history() == []

    # Following the old link again tells the same story, not "page not found".
    assert status_of(page, asked.path) == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Dieser Link wurde ersetzt")
    assert_accessible(page)
