"""The report's indicators chapter: per indicator its state in words, a chart with the baseline,
values, target markers and expected path that reads back from the PDF, a table of the numbers,
the fields of action with their measures beside; open data and the public variant."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from models.db import session_scope
from models.enums import Direction, IndicatorState
from models.indicator import append_value
from models.municipality import municipality_by_slug
from reports.data import ReportData
from reports.exports import write_open_data_indicators_csv, write_open_data_json
from reports.public import public_view
from reports.render import render_html, render_pdf
from reports.snapshot import build_report_data
from tests.builders import catalogue, indicators

AS_OF = date(2026, 10, 1)
ZONE = ZoneInfo("Europe/Berlin")
MARKUP = "Wartezeit <b>Wohngeld</b> & Co"


def _catalogue() -> ReportData:
    with session_scope() as session:
        town = catalogue.municipality(session)
        anna = catalogue.person(session, town, name="Anna Amsel", org_unit="Bürgeramt")
        [field] = catalogue.fields_of_action(session, town, "Digitale Verwaltung")
        measure = catalogue.measure(
            session, town, code="V-01", owner_id=anna.id, field_of_action_id=field.id, progress=40
        )
        online = indicators.indicator(
            session,
            town,
            code="K-01",
            name="Online-Dienste",
            owner_id=anna.id,
            field_of_action_id=field.id,
            source="OZG-Dashboard",
        )
        online.measures = [measure]
        indicators.target(session, online, date(2026, 12, 31), "50")
        indicators.target(session, online, date(2028, 12, 31), "90")
        waiting = indicators.indicator(
            session,
            town,
            code="K-02",
            name=MARKUP,
            unit="Tage",
            direction=Direction.DOWN,
            baseline_value=Decimal(42),
            is_public=False,
        )
        indicators.target(session, waiting, date(2027, 12, 31), "21")
        indicators.indicator(session, town, code="K-03", name="Offene Datensätze", unit="")
        for indicator, day, value in (
            (online, date(2025, 12, 31), "24"),
            (online, date(2026, 9, 30), "38,5"),
            (online, date(2026, 12, 31), "99"),  # after the day of the report: not in it
            (waiting, date(2026, 3, 31), "41"),
        ):
            append_value(
                session=session,
                indicator=indicator,
                measured_on=day,
                value=Decimal(value.replace(",", ".")),
                source="Statistik <i>Nord</i>",
                recorded_by="test",
            )
        session.flush()
        row = municipality_by_slug(session=session, slug="default")
        assert row is not None
        return build_report_data(
            session=session,
            municipality=row,
            period_code="2026-Q3",
            on=AS_OF,
            taken_at=datetime(2026, 10, 1, 6, tzinfo=UTC),
        )


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def data(settings_env: Path) -> ReportData:
    return _catalogue()


def test_the_snapshot_judges_each_indicator_on_the_day_of_the_report(data: ReportData) -> None:
    online, waiting, datasets = data.indicators
    # 2024-12-31 → 2026-12-31 from 12 to 50: on 2026-09-30 (638 of 730 days) the path expects
    # 45.21; 38.5 is 6.71 behind, more than a tenth of 38.
    assert online.expected == Decimal("45.21")
    assert online.state is IndicatorState.OFF_TRACK
    assert [v.value for v in online.values] == [Decimal(24), Decimal("38.5")]
    assert online.next_target is not None and online.next_target.value == Decimal(50)
    assert online.measure_codes == ["V-01"] and online.owner_name == "Anna Amsel"
    # 42 → 21 by 2027-12-31: on 2026-03-31 the path expects 33.8; 41 is far behind and stale.
    assert waiting.state is IndicatorState.OFF_TRACK and waiting.stale
    assert datasets.state is IndicatorState.NO_TARGET
    assert "Digitale Verwaltung" in data.fields_of_action


def test_the_pdf_shows_each_indicator_with_its_chart_and_numbers(data: ReportData) -> None:
    text = _text(render_pdf(data, language="de", zone=ZONE))
    assert "Kennzahlen und Maßnahmen je Handlungsfeld" in text
    assert "K-01 Online-Dienste (%)" in text
    assert (
        "Bewertung: nicht auf Kurs. Letzter Messwert 38,5 am 30.09.2026; erwartet waren 45,21."
        in text
    )
    assert "erwartet waren 45,21. Nächstes Ziel: 50 bis 31.12.2026." in text
    # The chart's own words and numbers: its axis, the target markers' labels and its legend.
    assert "Ziel 50" in text and "Ziel 90" in text
    assert "Ausgangswert Messwert Ziel erwarteter Verlauf" in text
    assert "2025 2026 2027 2028" in text
    # The table of numbers under the chart.
    assert "31.12.2024 Ausgangswert 12" in text
    assert "30.09.2026 Messwert 38,5 Statistik <i>Nord</i>" in text
    assert "31.12.2028 Ziel 90" in text
    assert "99" not in text.split("K-01 Online-Dienste (%)")[1].split("K-02")[0]
    assert f"K-02 {MARKUP} (Tage)" in text
    assert "Veraltet: Der letzte Messwert ist älter als ein Quartal." in text
    assert "K-03 Offene Datensätze: kein Zielwert" in text


def test_every_label_is_escaped_and_each_chart_has_a_title_and_description(
    data: ReportData,
) -> None:
    html = render_html(data, language="de", zone=ZONE)
    assert "<b>Wohngeld</b>" not in html and "<i>Nord</i>" not in html
    assert "Wartezeit &lt;b&gt;Wohngeld&lt;/b&gt; &amp; Co" in html
    assert '<title id="chart-indicator-1-title">Verlauf: K-01 Online-Dienste</title>' in html
    assert '<desc id="chart-indicator-1-desc">Liniendiagramm über die Zeit: Ausgangswert 12' in html
    assert html.count('aria-labelledby="chart-indicator-') == 3


def test_english_words_and_numbers(data: ReportData) -> None:
    text = _text(render_pdf(data, language="en", zone=ZONE))
    assert "Judgement: off track. Latest value 38.5 on 2026-09-30; the path expected 45.21." in text
    assert "Target 50" in text


def test_the_public_variant_and_open_data_carry_public_indicators_only(
    data: ReportData, tmp_path: Path
) -> None:
    public = public_view(data)
    assert [i.code for i in public.indicators] == ["K-01", "K-03"]
    assert public.indicators[0].owner_name == ""
    text = _text(render_pdf(public, language="de", zone=ZONE))
    assert "K-01 Online-Dienste" in text and "Wohngeld" not in text
    assert "Anna Amsel" not in text and "Bürgeramt" in text

    rows = list(csv.DictReader(write_open_data_indicators_csv(public, tmp_path / "k.csv").open()))
    assert [(r["code"], r["kind"], r["date"], r["value"]) for r in rows] == [
        ("K-01", "baseline", "2024-12-31", "12"),
        ("K-01", "target", "2026-12-31", "50"),
        ("K-01", "target", "2028-12-31", "90"),
        ("K-01", "actual", "2025-12-31", "24"),
        ("K-01", "actual", "2026-09-30", "38.5"),
        ("K-03", "baseline", "2024-12-31", "12"),
    ]
    assert {r["state"] for r in rows if r["code"] == "K-01"} == {"off_track"}
    document = json.loads(write_open_data_json(public, tmp_path / "o.json").read_text())
    first = document["indicators"][0]
    assert first["code"] == "K-01" and first["direction"] == "up"
    assert first["values"][1] == {
        "on": "2026-09-30",
        "value": "38.5",
        "source": "Statistik <i>Nord</i>",
    }
    assert "owner_name" not in first
