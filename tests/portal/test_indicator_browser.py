"""A period in Chromium: an owner answers measures and indicators in one form, which axe-core
finds free of WCAG 2.1 AA violations, with and without errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from models.db import session_scope
from tests.portal.conftest import history
from tests.portal.test_browser import assert_accessible, assert_inert
from tests.portal.test_indicator_form import ask_with_indicators, values_recorded

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


def test_an_owner_answers_measures_and_indicators_in_one_form(
    page: Page, portal_env: object
) -> None:
    with session_scope() as session:
        counted = ask_with_indicators(session)
    online, waiting = counted.indicator_ids
    first, second = counted.measure_ids
    page.goto(counted.path)
    assert_accessible(page)
    assert_inert(page)
    indicators = page.get_by_role("group", name="Kennzahlen")
    field = indicators.get_by_label("Online-Dienste <script>x</script>: aktueller Wert (in %)")
    expect(field).to_have_accessible_description(
        "Zuletzt 24,5 am 31.12.2025. Nächstes Ziel: 50 bis 31.12.2026. "
        "Eine Zahl, zum Beispiel 12,5."
    )

    page.locator(f"#m{first}-progress").fill("55")
    page.locator(f"#m{second}-status").select_option("done")
    field.fill("zu viel")
    page.get_by_role("button", name="Alle Angaben absenden").click()
    expect(page.get_by_role("alert")).to_contain_text("Geben Sie eine Zahl an")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert history() == [] and len(values_recorded()) == 1

    page.get_by_role("link", name="Online-Dienste").click()
    expect(field).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("31,5")
    page.locator(f"#k{waiting}-value").fill("40")
    page.get_by_role("button", name="Alle Angaben absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vielen Dank, Ihre Angaben sind gespeichert"
    )
    expect(page.get_by_role("heading", name="Kennzahlen")).to_be_visible()
    expect(page.locator("dd", has_text="31,5 % (Stand")).to_be_visible()
    assert_inert(page)
    assert_accessible(page)
    assert [(r.measure_id, r.progress) for r in history()] == [(first, 55), (second, 0)]
    assert [(row[0], row[1]) for row in values_recorded()[1:]] == [
        (online, Decimal("31.5")),
        (waiting, Decimal(40)),
    ]
