from __future__ import annotations

import csv
import email
import json
import re
from datetime import date
from email.message import EmailMessage
from email.policy import default
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from flows.report.delivery import delivery_day
from flows.report.produce import deliver, delivery_due
from flows.report.report_flow import report
from models.db import session_scope
from models.errors import MunicipalityGoneError, SnapshotMissingError, UserError
from models.municipality import municipality_by_slug
from models.settings import get_settings
from models.snapshot import snapshot_for
from reports.data import ReportData
from reports.render import html_to_pdf, render_html
from tests.builders.report_town import (
    BOLD_MILESTONE,
    OWNER_EMAILS,
    OWNER_NAMES,
    Q3_DAY,
    RECIPIENTS,
    RISK_WORDS,
    SCRIPT_TITLE,
    build_catalogue,
    play_q3,
)


def _text(pdf: Path | bytes) -> str:
    reader = PdfReader(BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _files(out: Path, name: str = "sachstandsbericht-2026-Q3") -> tuple[Path, Path]:
    folder = out / "default" / "2026-Q3"
    return folder / f"{name}.html", folder / f"{name}.pdf"


@pytest.fixture
def town(settings_env: Path) -> Path:
    build_catalogue()
    play_q3()
    return settings_env


def test_the_pdf_holds_the_known_figures_and_declares_pdf_a(
    town: Path, prefect_harness: None
) -> None:
    outcome = report(period="2026-Q3", on=Q3_DAY)
    html, pdf = _files(town / "reports")
    assert outcome.produced[0].pdf == str(pdf)
    text = _text(pdf)
    for expected in ("Musterstadt", "45 %", "6.234,56 €", "1.500,00 €"):
        assert expected in text, expected
    assert "3. Quartal 2026" in text
    metadata = PdfReader(pdf).xmp_metadata
    assert metadata is not None
    xmp = metadata.stream.get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*2", xmp) and "pdfaid:conformance" in xmp
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_annex_lists_every_measure_on_one_line_under_its_field(
    town: Path, prefect_harness: None
) -> None:
    report(period="2026-Q3", on=Q3_DAY)
    _, pdf = _files(town / "reports")
    annex = _text(pdf).split("Anhang: alle Maßnahmen")[-1]
    order = ["Digitale Verwaltung", "V-01", "V-02", "Bildung", "B-01", "Infrastruktur", "I-01"]
    places = [annex.find(text) for text in order]
    assert -1 not in places and places == sorted(places), dict(zip(order, places, strict=True))
    assert "V-02 Wohngeld online in Umsetzung, 60 % gefährdet" in annex
    assert "31.12.2026 (Prognose 31.03.2027)" in annex


def test_typed_markup_stays_text_in_html_and_pdf(town: Path, prefect_harness: None) -> None:
    report(period="2026-Q3", on=Q3_DAY)
    html, pdf = _files(town / "reports")
    page = html.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Los 1</b>" not in page and "<b>Dienstleister</b>" not in page
    text = _text(pdf)
    for typed in (SCRIPT_TITLE, BOLD_MILESTONE, RISK_WORDS):
        assert " ".join(typed.split()) in text, typed


def test_a_second_run_renders_the_frozen_snapshot_again_and_force_takes_a_new_one(
    town: Path, prefect_harness: None
) -> None:
    first = report(period="2026-Q3", on=Q3_DAY)
    html, pdf = _files(town / "reports")
    page, text = html.read_text(encoding="utf-8"), _text(pdf)
    second = report(period="2026-Q3", on=date(2026, 10, 9))
    assert not first.produced[0].reused and second.produced[0].reused
    assert html.read_text(encoding="utf-8") == page and _text(pdf) == text
    with session_scope() as session:
        town_id = municipality_by_slug(session=session, slug="default").id  # type: ignore[union-attr]
        taken = snapshot_for(session=session, municipality_id=town_id, period_code="2026-Q3")
        assert taken is not None
        taken_at = taken.taken_at
    forced = report(period="2026-Q3", on=date(2026, 10, 9), force=True)
    assert not forced.produced[0].reused
    with session_scope() as session:
        again = snapshot_for(session=session, municipality_id=town_id, period_code="2026-Q3")
        assert again is not None and again.taken_at > taken_at


def test_the_public_variant_names_no_person(town: Path, prefect_harness: None) -> None:
    report(period="2026-Q3", on=Q3_DAY, public=True)
    html, pdf = _files(town / "reports", "sachstandsbericht-2026-Q3-oeffentlich")
    for shown in (html.read_text(encoding="utf-8"), _text(pdf)):
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", shown), "an e-mail address"
        for name in (*OWNER_NAMES, *OWNER_EMAILS):
            assert name not in shown
        assert "Amt für Digitalisierung" in shown


def _mails(outbox: Path) -> list[EmailMessage]:
    found = []
    for path in sorted(outbox.glob("*.eml")):
        mail = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(mail, EmailMessage)
        found.append(mail)
    return found


def test_the_committee_gets_the_pdf_once_per_period_on_its_day(
    town: Path, prefect_harness: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The committee meets on 20.10.2026: with 14 days' notice the report is due on 06.10.
    monkeypatch.setenv("FAHRPLAN_REPORT_DAYS_BEFORE_MEETING", "14")
    get_settings.cache_clear()
    outbox = town / "outbox"
    early = report(on=Q3_DAY, scheduled=True)
    assert early.period_code == "2026-Q3" and early.not_due == ["default"]
    assert not list(outbox.glob("*.eml"))
    due = report(on=date(2026, 10, 6), scheduled=True)
    assert due.delivered == {"default": 2}
    mails = _mails(outbox)
    assert sorted(str(m["To"]) for m in mails) == sorted(RECIPIENTS)
    for mail in mails:
        assert "2026-Q3" in str(mail["Subject"])
        (attachment,) = list(mail.iter_attachments())
        assert attachment.get_filename() == "sachstandsbericht-2026-Q3.pdf"
        assert "45 %" in _text(attachment.get_content())
    later = report(on=date(2026, 10, 7), scheduled=True)
    assert later.not_due == ["default"]
    by_hand = report(period="2026-Q3", on=date(2026, 10, 7), deliver=True)
    assert by_hand.delivered == {"default": 0}
    assert len(_mails(outbox)) == 2


def test_delivery_needs_the_snapshot_and_the_municipality(settings_env: Path) -> None:
    build_catalogue()
    with pytest.raises(SnapshotMissingError, match="2026-Q3"):
        deliver(slug="default", period_code="2026-Q3", pdf=settings_env / "missing.pdf")
    with pytest.raises(MunicipalityGoneError, match="'elsewhere'"):
        delivery_due(slug="elsewhere", period_code="2026-Q3", on=Q3_DAY)


def test_a_fresh_installs_first_scheduled_run_sends_nothing(
    settings_env: Path, prefect_harness: None
) -> None:
    # The catalogue came in minutes ago and nobody was ever asked for 2026-Q3.
    build_catalogue()
    outbox = settings_env / "outbox"
    first = report(on=date(2026, 12, 1), scheduled=True)
    assert first.period_code == "2026-Q3"
    assert first.not_asked == ["default"] and first.produced == [] and first.delivered == {}
    assert not list(outbox.glob("*.eml"))
    with session_scope() as session:
        town_id = municipality_by_slug(session=session, slug="default").id  # type: ignore[union-attr]
        assert snapshot_for(session=session, municipality_id=town_id, period_code="2026-Q3") is None
    unnamed = report(on=date(2026, 12, 1), deliver=True)
    assert unnamed.not_asked == ["default"] and unnamed.delivered == {}
    assert not list(outbox.glob("*.eml"))
    named = report(period="2026-Q3", on=date(2026, 12, 1), deliver=True)
    assert named.delivered == {"default": 2} and named.not_asked == []
    assert sorted(str(m["To"]) for m in _mails(outbox)) == sorted(RECIPIENTS)


def test_an_unfinished_quarter_is_refused(town: Path, prefect_harness: None) -> None:
    with pytest.raises(UserError):
        report(period="2026-Q4", on=Q3_DAY)


@pytest.mark.parametrize(
    ("meetings", "days_before", "expected"),
    [
        ([], None, date(2026, 10, 1)),
        ([date(2026, 11, 12)], None, date(2026, 10, 1)),
        ([date(2026, 9, 1), date(2026, 11, 12)], 14, date(2026, 10, 29)),
        ([date(2026, 10, 5)], 14, date(2026, 10, 1)),
        ([], 14, date(2026, 10, 1)),
    ],
)
def test_delivery_day(meetings: list[date], days_before: int | None, expected: date) -> None:
    found = delivery_day(
        period_code="2026-Q3", meetings=meetings, days_before=days_before, state="NW"
    )
    assert found == expected


def test_delivery_after_new_year_waits_for_the_first_working_day() -> None:
    day = delivery_day(period_code="2026-Q4", meetings=[], days_before=None, state="NW")
    assert day == date(2027, 1, 4)


def test_a_thousand_measures_render(town: Path, prefect_harness: None) -> None:
    report(period="2026-Q3", on=Q3_DAY)
    with session_scope() as session:
        town_id = municipality_by_slug(session=session, slug="default").id  # type: ignore[union-attr]
        stored = snapshot_for(session=session, municipality_id=town_id, period_code="2026-Q3")
        assert stored is not None
        data = ReportData.model_validate(stored.data)
    template = data.measures[0]
    many = data.measures + [
        template.model_copy(update={"code": f"X-{number:04d}", "title": f"Maßnahme {number}"})
        for number in range(1000)
    ]
    big = data.model_copy(update={"measures": many})
    pdf = html_to_pdf(render_html(big, language="de", zone=ZoneInfo("Europe/Berlin")))
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) > 20
    assert "X-0999" in _text(pdf)


def test_exports_beside_the_report(town: Path, prefect_harness: None) -> None:
    outcome = report(period="2026-Q3", on=Q3_DAY)
    folder = town / "reports" / "default" / "2026-Q3"
    assert {Path(f).name for f in outcome.produced[0].files} >= {
        "sachstandsbericht-2026-Q3-anhang.xlsx",
        "open-data-2026-Q3.csv",
        "open-data-2026-Q3.json",
        "decidim-accountability-2026-Q3.csv",
    }
    with (folder / "decidim-accountability-2026-Q3.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    assert {"id", "parent/id", "title/de", "start_date", "end_date", "progress"} <= set(rows[0])
    measures = {row["reference"]: row for row in rows if row["reference"]}
    assert "I-01" not in measures, "a measure that is not public stays out of open data"
    assert measures["B-01"]["progress"] == "100" and measures["B-01"]["parent/id"]
    document = json.loads((folder / "open-data-2026-Q3.json").read_text(encoding="utf-8"))
    assert document["period"]["code"] == "2026-Q3"
    opened = (folder / "open-data-2026-Q3.csv").read_text(encoding="utf-8")
    for name in (*OWNER_NAMES, *OWNER_EMAILS):
        assert name not in opened and name not in json.dumps(document)
    sheet = load_workbook(folder / "sachstandsbericht-2026-Q3-anhang.xlsx")["Maßnahmen"]
    headers = [cell.value for cell in sheet[1]]
    progress = sheet.cell(row=2, column=headers.index("Fortschritt") + 1)
    assert progress.number_format == "0 %" and 0 <= float(progress.value) <= 1
