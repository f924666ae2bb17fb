from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from templating import environment
from templating.formatting import format_date, format_datetime, format_money, format_percent


def test_german_formats() -> None:
    assert format_date(date(2026, 12, 31)) == "31.12.2026"
    assert format_money(Decimal("1234.56")) == "1.234,56 €"
    assert format_money(Decimal("-1234567.5")) == "-1.234.567,50 €"
    assert format_percent(45) == "45 %"
    assert (
        format_datetime(datetime(2026, 7, 1, 10, 0, tzinfo=UTC), ZoneInfo("Europe/Berlin"))
        == "01.07.2026, 12:00 Uhr"
    )


def test_english_formats() -> None:
    assert format_date(date(2026, 12, 31), "en") == "2026-12-31"
    assert format_money(Decimal("1234.56"), "en") == "€1,234.56"
    assert format_percent(45, "en") == "45%"


def test_markup_is_escaped_and_undefined_names_fail() -> None:
    template = environment().from_string("<p>{{ typed }}</p>")
    assert template.render(typed="<script>x</script>") == "<p>&lt;script&gt;x&lt;/script&gt;</p>"
    try:
        environment().from_string("{{ missing }}").render()
    except Exception as error:  # jinja2.UndefinedError
        assert "missing" in str(error)
    else:
        raise AssertionError("an undefined name rendered silently")
