"""The work of the report flow as plain functions: produce a period's report, deliver it.

Producing freezes the period (or reuses its frozen snapshot), renders HTML and PDF/A from it
and writes them into `<report folder>/<municipality>/<period>/`. Delivering sends the PDF to
the committee once per period and notes on the snapshot when everyone has it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.orm import Session

from flows.report.delivery import CommitteeTargets, committee_messages, delivery_day
from models.base import utcnow
from models.db import session_scope
from models.enums import Health
from models.errors import MunicipalityGoneError, SnapshotMissingError
from models.meeting import committee_schedules
from models.municipality import all_municipalities, municipality_by_slug
from models.person import committees_of
from models.settings import Language, get_settings
from models.snapshot import ReportSnapshot, snapshot_for
from models.status.history import requests_went_out
from notify import Delivery, dispatch
from reports.data import ReportData
from reports.exports import (
    write_decidim_csv,
    write_open_data_csv,
    write_open_data_indicators_csv,
    write_open_data_json,
    write_xlsx_annex,
)
from reports.oparl import CouncilReading, refresh_meetings
from reports.public import public_view
from reports.render import html_to_pdf, render_html
from reports.snapshot import take_snapshot
from templating.formatting import format_money, format_percent
from templating.labels import STATUS_LABELS


class Produced(BaseModel):
    """A rendered report of one municipality and period."""

    slug: str
    municipality: str
    period_code: str
    public: bool
    reused: bool
    files: list[str]
    pdf: str
    summary: str


def municipality_slugs() -> list[str]:
    """Every municipality the installation serves, by slug."""
    with session_scope(actor="report") as session:
        return [town.slug for town in all_municipalities(session=session)]


def file_stem(period_code: str, *, public: bool, language: Language) -> str:
    """`sachstandsbericht-2026-Q3` (German) or `progress-report-2026-Q3`, `-oeffentlich`/-public."""
    stem = "sachstandsbericht" if language == "de" else "progress-report"
    suffix = ("-oeffentlich" if language == "de" else "-public") if public else ""
    return f"{stem}-{period_code}{suffix}"


def summary_markdown(data: ReportData, language: Language) -> str:
    """The figures an operator or coordinator wants at a glance, as Markdown."""
    figures = data.figures
    statuses = ", ".join(
        f"{STATUS_LABELS[language][status]}: {count}"
        for status, count in figures.by_status.items()
        if count
    )
    health = ", ".join(f"{h.value}: {figures.by_health.get(h, 0)}" for h in Health)
    lines = [
        f"## {data.municipality_name} – {data.period_code}" + (" (public)" if data.public else ""),
        "",
        f"- measures: {figures.measures} ({statuses})",
        f"- health of open measures: {health}",
        f"- progress overall: {format_percent(figures.progress, language)}",
        f"- finished this quarter: {', '.join(figures.finished) or '–'}",
        f"- quick wins: {', '.join(figures.quick_wins) or '–'}",
        f"- budget: {format_money(figures.budget_spent, language)} spent of "
        f"{format_money(figures.budget_planned, language)}",
        f"- not reported: {len(data.not_reported)}",
    ]
    return "\n".join(lines)


def produce(
    *, slug: str, period_code: str, on: date, out_dir: Path, public: bool, force: bool
) -> Produced:
    """Freeze (or reuse) the period's snapshot, render it, write HTML and PDF/A."""
    settings = get_settings()
    with session_scope(actor="report") as session:
        snapshot = take_snapshot(
            session=session, municipality_slug=slug, period_code=period_code, on=on, force=force
        )
    data = public_view(snapshot.data) if public else snapshot.data
    html = render_html(data, language=settings.language, zone=settings.zone)
    folder = out_dir / slug / period_code
    folder.mkdir(parents=True, exist_ok=True)
    stem = file_stem(period_code, public=public, language=settings.language)
    html_path, pdf_path = folder / f"{stem}.html", folder / f"{stem}.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(html_to_pdf(html))
    exports = write_exports(data, folder, stem=stem, language=settings.language)
    return Produced(
        slug=slug,
        municipality=data.municipality_name,
        period_code=period_code,
        public=public,
        reused=snapshot.reused,
        files=[str(path) for path in (html_path, pdf_path, *exports)],
        pdf=str(pdf_path),
        summary=summary_markdown(data, settings.language),
    )


def write_exports(data: ReportData, folder: Path, *, stem: str, language: Language) -> list[Path]:
    """The XLSX annex of this variant, and open data (always the public view) beside it."""
    public = data if data.public else public_view(data)
    code = data.period_code
    return [
        write_xlsx_annex(data, folder / f"{stem}-anhang.xlsx", language=language),
        write_open_data_csv(public, folder / f"open-data-{code}.csv"),
        write_open_data_json(public, folder / f"open-data-{code}.json"),
        write_open_data_indicators_csv(public, folder / f"open-data-indicators-{code}.csv"),
        write_decidim_csv(public, folder / f"decidim-accountability-{code}.csv"),
    ]


def read_council_systems(slug: str) -> list[CouncilReading]:
    """Refresh the cached meetings of the municipality's committees from their council systems."""
    with session_scope(actor="report") as session:
        town = municipality_by_slug(session=session, slug=slug)
        if town is None:
            raise MunicipalityGoneError(f"municipality {slug!r} vanished during the report run")
        town_id = town.id
    return refresh_meetings(municipality_id=town_id, zone=get_settings().zone)


def _committees(slug: str) -> tuple[int, list[CommitteeTargets]]:
    """Who receives the report, with the meetings merged from the council system and typed."""
    with session_scope(actor="report") as session:
        town = municipality_by_slug(session=session, slug=slug)
        if town is None:
            raise MunicipalityGoneError(f"municipality {slug!r} vanished during the report run")
        schedules = {
            schedule.committee_id: schedule
            for schedule in committee_schedules(
                session=session, municipality_id=town.id, zone=get_settings().zone
            )
        }
        committees = [
            CommitteeTargets(
                name=c.name,
                recipients=list(c.recipients),
                apprise_urls=list(c.apprise_urls),
                meetings=schedules[c.id].days,
            )
            for c in committees_of(session=session, municipality_id=town.id)
        ]
        return town.id, committees


def owners_were_asked(*, slug: str, period_code: str) -> bool:
    """Whether status requests went out in this municipality for the period: only then is its
    report news for the committee (a fresh install has asked nobody yet)."""
    with session_scope(actor="report") as session:
        town = municipality_by_slug(session=session, slug=slug)
        if town is None:
            raise MunicipalityGoneError(f"municipality {slug!r} vanished during the report run")
        return requests_went_out(session=session, municipality_id=town.id, period_code=period_code)


def delivery_due(*, slug: str, period_code: str, on: date) -> bool:
    """Whether a scheduled run on this day delivers the period's report: its day has come and
    the committee does not have it yet."""
    settings = get_settings()
    town_id, committees = _committees(slug)
    meetings = [day for committee in committees for day in committee.meetings]
    due_on = delivery_day(
        period_code=period_code,
        meetings=meetings,
        days_before=settings.report_days_before_meeting,
        state=settings.federal_state,
    )
    with session_scope(actor="report") as session:
        stored = snapshot_for(session=session, municipality_id=town_id, period_code=period_code)
        delivered = stored is not None and stored.delivered_at is not None
    return on >= due_on and not delivered


def _stored_snapshot(session: Session, town_id: int, period_code: str) -> ReportSnapshot:
    stored = snapshot_for(session=session, municipality_id=town_id, period_code=period_code)
    if stored is None:
        raise SnapshotMissingError(f"no snapshot of {period_code} to deliver: produce it first")
    return stored


def deliver(*, slug: str, period_code: str, pdf: Path) -> Delivery:
    """Send the PDF to every committee member once; note when all of them have it."""
    town_id, committees = _committees(slug)
    with session_scope(actor="report") as session:
        stored = _stored_snapshot(session, town_id, period_code)
        data = ReportData.model_validate(stored.data)
    messages = committee_messages(
        data=data,
        municipality_id=town_id,
        committees=committees,
        pdf=pdf,
        language=get_settings().language,
    )
    delivery = dispatch(messages)
    if delivery.ok:
        with session_scope(actor="report") as session:
            stored = _stored_snapshot(session, town_id, period_code)
            stored.delivered_at = stored.delivered_at or utcnow()
    return delivery
