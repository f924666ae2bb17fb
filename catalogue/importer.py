"""`fahrplan import`: read every file, check everything, then write all of it or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from catalogue.changes import Change, ChangeLog
from catalogue.csv_source import read_csv
from catalogue.known import PeopleDirectory, load_known, target_strategy
from catalogue.limits import ImportLimits, Reading, megabytes
from catalogue.problems import Location, Problem
from catalogue.rows import Catalogue
from catalogue.upsert import Upsert, target_municipality
from catalogue.validate import validate
from catalogue.xlsx_source import read_xlsx
from catalogue.yaml_source import read_yaml
from models.db import session_scope
from models.person import committees_of
from models.settings import get_settings
from models.vocabulary import normalise
from reports.oparl import OparlError, council_client, read_meetings, refresh_meetings

Reader = Callable[[Path, Reading], Catalogue]
READERS: dict[str, Reader] = {
    ".yaml": read_yaml,
    ".yml": read_yaml,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
    ".csv": read_csv,
}
SHOWN_CHANGES = 15


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    files: list[str]
    municipality: str
    log: ChangeLog
    dry_run: bool
    # What went wrong that did not stop the import: council systems that could not be read.
    warnings: list[str] = field(default_factory=list)


def import_catalogue(
    paths: Sequence[Path], *, dry_run: bool = False, limits: ImportLimits | None = None
) -> ImportResult:
    """Import these files into the configured municipality in one transaction.

    Raises CatalogueError listing the first problems and counting the rest; then nothing is
    written. Without `limits`, the configured ones apply.
    """
    files = expand(paths)
    names = [path.name for path in files]
    reading = Reading(limits or ImportLimits.of(get_settings()), names)
    catalogue = read_sources(files, reading)
    with session_scope(actor="import " + ", ".join(names)) as session:
        log = ChangeLog()
        municipality = target_municipality(session=session, row=catalogue.municipality, log=log)
        strategy = target_strategy(session=session, municipality=municipality, catalogue=catalogue)
        known = load_known(session=session, municipality=municipality, strategy=strategy)
        reading.problems.extend(
            validate(catalogue, known, suggestions=reading.limits.shown_problems)
        )
        if reading.problems:
            raise reading.problems.error()
        upsert = Upsert(session=session, municipality=municipality, catalogue=catalogue, log=log)
        upsert.run(PeopleDirectory.of(known, catalogue))
        shown = f"{municipality.name} ({municipality.slug})"
        town_id = municipality.id
        named = _naming_council_systems(session, town_id, catalogue)
        if dry_run:
            # Everything was written inside the transaction to learn what would change; drop it.
            session.rollback()
    warnings = read_council_systems(
        municipality_id=town_id, committees=named, store=not dry_run, zone=get_settings().zone
    )
    return ImportResult(names, shown, log, dry_run, warnings)


def _naming_council_systems(
    session: Session, municipality_id: int, catalogue: Catalogue
) -> dict[int, tuple[str, str]]:
    """The imported committees that name a council system: id → (name, URL)."""
    wanted = {normalise(row.name) for row in catalogue.committees if row.oparl}
    return {
        committee.id: (committee.name, committee.oparl_url)
        for committee in committees_of(session=session, municipality_id=municipality_id)
        if normalise(committee.name) in wanted and committee.oparl_url
    }


def read_council_systems(
    *, municipality_id: int, committees: dict[int, tuple[str, str]], store: bool, zone: ZoneInfo
) -> list[str]:
    """Read each named council system (into the cache unless a dry run); a warning per failure.

    A council system that cannot be read does not stop the import: its meetings come once it
    can be read, at the next refresh.
    """
    if store:
        readings = refresh_meetings(
            municipality_id=municipality_id, committee_ids=list(committees), zone=zone
        )
        failed = [(reading.committee, reading.error) for reading in readings if not reading.ok]
    else:
        failed = []
        with council_client() as client:
            for name, url in committees.values():
                try:
                    read_meetings(url, client=client, zone=zone)
                except OparlError as error:
                    failed.append((name, str(error)))
    return [
        f"committee {name}: {error}; its meetings are read once the council system answers"
        for name, error in failed
    ]


def expand(paths: Sequence[Path]) -> list[Path]:
    """The files to read: each path, or the catalogue files inside a folder."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in READERS)
        else:
            files.append(path)
    return files


def read_sources(files: Sequence[Path], reading: Reading) -> Catalogue:
    """All files read into one catalogue; every problem found while reading is told."""
    catalogue = Catalogue()
    if not files:
        reading.problems.add(Problem(where=Location(file="."), reason="no catalogue files given"))
    for path in files:
        if reading.full:
            break
        read = _read(path, reading)
        for block in ("municipality", "strategy"):
            if getattr(read, block) is not None and getattr(catalogue, block) is not None:
                reason = f"a second {block} block; only one file may define the {block}"
                reading.problems.add(Problem(where=getattr(read, block).where, reason=reason))
        catalogue = catalogue.merge(read)
    return catalogue


def _read(path: Path, reading: Reading) -> Catalogue:
    reason = _unreadable(path, reading.limits)
    if reason is not None:
        reading.problems.add(Problem(where=Location(file=path.name), reason=reason))
        return Catalogue()
    return READERS[path.suffix.lower()](path, reading)


def _unreadable(path: Path, limits: ImportLimits) -> str | None:
    """Why a file is not read at all, if it is not."""
    if not path.is_file():
        return "no such file"
    if path.suffix.lower() not in READERS:
        if path.suffix.lower() == ".xls":
            return "is an old Excel file (.xls); save it as an Excel workbook (.xlsx)"
        return "unknown format; expected .yaml, .xlsx or .csv"
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        return (
            f"is {megabytes(size)}, more than the {megabytes(limits.max_file_bytes)} an import "
            "reads (setting FAHRPLAN_IMPORT_MAX_FILE_MB)"
        )
    return None


def describe(result: ImportResult) -> str:
    """A plain summary: counts per kind of row and the first changes."""
    verb = "would import" if result.dry_run else "imported"
    lines = [f"{verb} {', '.join(result.files)} into {result.municipality}"]
    counts = result.log.counts()
    if not counts:
        lines.append("  nothing to change: the catalogue is up to date")
    for entity, (created, changed) in counts.items():
        lines.append(f"  {entity}: {created} new, {changed} changed")
    if result.dry_run:
        shown: list[Change] = result.log.changes[:SHOWN_CHANGES]
        lines += [f"  - {change}" for change in shown]
        if len(result.log.changes) > SHOWN_CHANGES:
            lines.append(f"  … and {len(result.log.changes) - SHOWN_CHANGES} more")
        lines.append("dry run: nothing was written")
    return "\n".join(lines)
