"""`fahrplan import`: read every file, check everything, then write all of it or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from catalogue.changes import Change, ChangeLog
from catalogue.known import PeopleDirectory, load_known, target_strategy
from catalogue.problems import CatalogueError, Location, Problem
from catalogue.rows import Catalogue
from catalogue.table_source import read_csv, read_xlsx
from catalogue.upsert import Upsert, target_municipality
from catalogue.validate import validate
from catalogue.yaml_source import read_yaml
from models.db import session_scope
from models.person import committees_of
from models.settings import get_settings
from models.vocabulary import normalise
from reports.oparl import OparlError, council_client, read_meetings, refresh_meetings

Reader = Callable[[Path], tuple[Catalogue, list[Problem]]]
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


def import_catalogue(paths: Sequence[Path], *, dry_run: bool = False) -> ImportResult:
    """Import these files into the configured municipality in one transaction.

    Raises CatalogueError listing every problem; then nothing is written.
    """
    files = expand(paths)
    catalogue, problems = read_sources(files)
    names = [path.name for path in files]
    with session_scope(actor="import " + ", ".join(names)) as session:
        log = ChangeLog()
        municipality = target_municipality(session=session, row=catalogue.municipality, log=log)
        strategy = target_strategy(session=session, municipality=municipality, catalogue=catalogue)
        known = load_known(session=session, municipality=municipality, strategy=strategy)
        problems += validate(catalogue, known)
        if problems:
            raise CatalogueError(in_reading_order(problems, names))
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


def in_reading_order(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Problems by file as given, sheets as first met, then row or line."""
    sheets: dict[tuple[str, str | None], int] = {}
    for problem in problems:
        sheets.setdefault((problem.where.file, problem.where.sheet), len(sheets))
    order = {name: index for index, name in enumerate(files)}

    def key(problem: Problem) -> tuple[int, int, int]:
        where = problem.where
        file = order.get(where.file, len(order))
        return (file, sheets[where.file, where.sheet], where.row or where.line or 0)

    return sorted(problems, key=key)


def expand(paths: Sequence[Path]) -> list[Path]:
    """The files to read: each path, or the catalogue files inside a folder."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in READERS)
        else:
            files.append(path)
    return files


def read_sources(files: Sequence[Path]) -> tuple[Catalogue, list[Problem]]:
    """All files read into one catalogue, with every problem found while reading."""
    catalogue, problems = Catalogue(), list[Problem]()
    if not files:
        return catalogue, [Problem(where=Location(file="."), reason="no catalogue files given")]
    for path in files:
        read, found = _read(path)
        for block in ("municipality", "strategy"):
            if getattr(read, block) is not None and getattr(catalogue, block) is not None:
                reason = f"a second {block} block; only one file may define the {block}"
                found.append(Problem(where=getattr(read, block).where, reason=reason))
        catalogue, problems = catalogue.merge(read), problems + found
    return catalogue, problems


def _read(path: Path) -> tuple[Catalogue, list[Problem]]:
    where = Location(file=path.name)
    if not path.is_file():
        return Catalogue(), [Problem(where=where, reason="no such file")]
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        reason = "unknown format; expected .yaml, .xlsx or .csv"
        if path.suffix.lower() == ".xls":
            reason = "is an old Excel file (.xls); save it as an Excel workbook (.xlsx)"
        return Catalogue(), [Problem(where=where, reason=reason)]
    return reader(path)


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
