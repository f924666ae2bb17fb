"""Reading a whole strategy from YAML, with the line of every value for error messages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from catalogue.limits import Reading
from catalogue.parsing import key_text
from catalogue.problems import Location, Problem
from catalogue.rows import (
    Catalogue,
    CommitteeRow,
    FieldRow,
    IndicatorRow,
    IndicatorValueRow,
    MeasureRow,
    MilestoneRow,
    MunicipalityRow,
    OzgRow,
    PersonRow,
    PillarRow,
    SourceRow,
    StrategyRow,
    read_row,
)
from models.vocabulary import did_you_mean

Row = TypeVar("Row", bound=SourceRow)
YamlPath = tuple[str | int, ...]

SECTIONS = (
    "municipality",
    "strategy",
    "pillars",
    "fields_of_action",
    "people",
    "committee",
    "measures",
    "ozg_services",
    "indicators",
)
# A YAML indicator writes `baseline: {value, date}`; its row has the sheet's two columns.
BASELINE_FIELDS: dict[str, YamlPath] = {
    "baseline": ("baseline", "value"),
    "baseline_date": ("baseline", "date"),
}


@dataclass
class _Lines:
    """The line of a YAML value and of everything inside it."""

    line: int
    children: dict[str | int, _Lines] = field(default_factory=dict)

    def of(self, path: YamlPath) -> int:
        """The line of the value at this path, or of the deepest part of it that exists."""
        return self.inside(path).line

    def inside(self, path: YamlPath) -> _Lines:
        """The lines of the value at this path, or of the deepest part of it that exists."""
        node = self
        for step in path:
            found = node.children.get(step if isinstance(step, int) else str(step))
            if found is None:
                break
            node = found
        return node


class _Places(Mapping[str, Location]):
    """The place of each field of one YAML entry, made only when a problem asks for it."""

    def __init__(self, where: Location, lines: _Lines, entry: dict[Any, Any]) -> None:
        self._where = where
        self._lines = lines
        self._entry = entry

    def __getitem__(self, field: str) -> Location:
        if field not in self._entry:
            raise KeyError(field)
        found = self._lines.children.get(field)
        return self._where.at(field, line=found.line if found else self._lines.line)

    def __iter__(self) -> Iterator[str]:
        return (str(key) for key in self._entry)

    def __len__(self) -> int:
        return len(self._entry)


def _lines(node: yaml.Node, seen: dict[int, _Lines] | None = None) -> _Lines:
    """The lines of a node and everything inside it.

    An alias (`*name`) is the very node of its anchor: its lines are made once, so a
    document of aliases of aliases costs what it holds, not what it would unfold to.
    """
    seen = {} if seen is None else seen
    if id(node) in seen:
        return seen[id(node)]
    lines = seen[id(node)] = _Lines(line=node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            inner = _lines(value, seen).children
            lines.children[str(key.value)] = _Lines(key.start_mark.line + 1, inner)
    elif isinstance(node, yaml.SequenceNode):
        lines.children = {index: _lines(item, seen) for index, item in enumerate(node.value)}
    return lines


def read_yaml(path: Path, reading: Reading) -> Catalogue:
    """A strategy file: municipality, strategy, pillars, fields, people, committee, measures."""
    where = Location(file=path.name)
    try:
        root, data = _parsed(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        reading.problems.add(Problem(where=where, reason="is not UTF-8 text"))
        return Catalogue()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        place = where.model_copy(update={"line": mark.line + 1 if mark else None})
        reading.problems.add(Problem(where=place, reason=f"is not valid YAML: {error.problem}"))
        return Catalogue()
    if root is None or not isinstance(data, dict):
        expected = ", ".join(SECTIONS)
        reason = f"expected a YAML mapping with some of {expected}"
        reading.problems.add(Problem(where=where, reason=reason))
        return Catalogue()
    reader = _YamlReader(file=path.name, lines=_lines(root), reading=reading)
    return reader.read(data)


def _parsed(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's nodes (for their lines) and its data, from one parse."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return root, None if root is None else loader.construct_document(root)
    finally:
        loader.dispose()


class _YamlReader:
    """Validates each entry on its own, so one bad entry does not hide the problems of others."""

    def __init__(self, *, file: str, lines: _Lines, reading: Reading) -> None:
        self.file = file
        self.lines = lines
        self.reading = reading
        self.unreadable: set[str] = set()

    def read(self, data: dict[str, Any]) -> Catalogue:
        for key in data:
            if key not in SECTIONS:
                reason = f'unknown section "{key}"{did_you_mean(str(key), SECTIONS)}'
                self.reading.problems.add(Problem(where=self._place((key,)), reason=reason))
        measures, milestones, services = self._measures(data)
        indicators, indicator_values = self._indicators(data)
        committee = self._one(CommitteeRow, data, "committee")
        return Catalogue(
            municipality=self._one(MunicipalityRow, data, "municipality"),
            strategy=self._one(StrategyRow, data, "strategy"),
            pillars=self._named(PillarRow, data, "pillars"),
            fields_of_action=self._named(FieldRow, data, "fields_of_action"),
            defines_fields=bool(data.get("fields_of_action")),
            people=self._many(PersonRow, data, "people"),
            committees=[committee] if committee else [],
            measures=measures,
            milestones=milestones,
            ozg_services=services + self._many(OzgRow, data, "ozg_services"),
            indicators=indicators,
            indicator_values=indicator_values,
            unreadable_keys=self.unreadable,
        )

    def _place(self, path: YamlPath) -> Location:
        """The line of a path; a section or field is named, a list entry by its line alone."""
        named = path[-1] if path and isinstance(path[-1], str) else None
        return Location(file=self.file, line=self.lines.of(path), column=named)

    def _row(
        self,
        model: type[Row],
        value: Any,
        path: YamlPath,
        extra: dict[str, Any] | None = None,
        nested: dict[str, YamlPath] | None = None,
    ) -> Row | None:
        """One entry; `nested` names the fields read from inside a mapping of the entry."""
        where = self._place(path)
        if not self.reading.count_row(where):
            return None
        inside = nested or {}
        cells: Mapping[str, Location] = {}
        if isinstance(value, dict):
            cells = _Places(where, self.lines.inside(path), value)
            if inside:
                cells = dict(cells.items()) | {
                    name: where.at(".".join(map(str, inner)), line=self.lines.of((*path, *inner)))
                    for name, inner in inside.items()
                }
            value = {**value, **(extra or {})}

        def line_of(loc: tuple[str | int, ...]) -> int:
            head = str(loc[0]) if loc else ""
            return self.lines.of((*path, *inside.get(head, loc[:1]), *loc[1:]))

        row, problems = read_row(
            model, value, locale="de", where=where, cells=cells, line_of=line_of
        )
        self.reading.problems.extend(problems)
        return row

    def _entries(self, data: dict[str, Any], key: str) -> list[tuple[YamlPath, Any]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.reading.problems.add(Problem(where=self._place((key,)), reason="expected a list"))
            return []
        return [((key, index), item) for index, item in enumerate(value)]

    def _one(self, model: type[Row], data: dict[str, Any], key: str) -> Row | None:
        return None if data.get(key) is None else self._row(model, data[key], (key,))

    def _many(self, model: type[Row], data: dict[str, Any], key: str) -> list[Row]:
        rows = []
        for path, item in self._entries(data, key):
            row = self._row(model, item, path)
            if row is not None:
                rows.append(row)
            elif isinstance(item, dict) and key == "people" and item.get("email"):
                self.unreadable.add(key_text(item["email"]))
        return rows

    def _named(self, model: type[Row], data: dict[str, Any], key: str) -> list[Row]:
        """Pillars and fields: a plain name, or a mapping with name and description."""
        rows = []
        for path, item in self._entries(data, key):
            value = {"name": item} if isinstance(item, str) else item
            row = self._row(model, value, path)
            if row is not None:
                rows.append(row)
        return rows

    def _measures(
        self, data: dict[str, Any]
    ) -> tuple[list[MeasureRow], list[MilestoneRow], list[OzgRow]]:
        """Measures, and the milestones and OZG services written inside them."""
        measures, milestones, services = [], [], []
        for path, item in self._entries(data, "measures"):
            nested = dict(item) if isinstance(item, dict) else {}
            inner = {key: nested.pop(key, None) for key in ("milestones", "ozg_services")}
            measure = self._row(MeasureRow, nested if isinstance(item, dict) else item, path)
            code = key_text(nested.get("code"))
            if measure is not None:
                measures.append(measure)
            elif code:
                self.unreadable.add(code)
            if not code:
                continue
            extra = {"code": code}
            milestones += self._inner(
                MilestoneRow, inner["milestones"], (*path, "milestones"), extra
            )
            services += self._inner(OzgRow, inner["ozg_services"], (*path, "ozg_services"), extra)
        return measures, milestones, services

    def _indicators(
        self, data: dict[str, Any]
    ) -> tuple[list[IndicatorRow], list[IndicatorValueRow]]:
        """Indicators, and the targets and values written inside them."""
        indicators: list[IndicatorRow] = []
        values: list[IndicatorValueRow] = []
        for path, item in self._entries(data, "indicators"):
            nested = dict(item) if isinstance(item, dict) else {}
            inner = {key: nested.pop(key, None) for key in ("targets", "values")}
            baseline = nested.pop("baseline", None)
            # A bare number is the baseline's value; its date is then reported missing.
            if not isinstance(baseline, dict):
                baseline = {"value": baseline}
            nested |= {"baseline": baseline.get("value"), "baseline_date": baseline.get("date")}
            given = nested if isinstance(item, dict) else item
            indicator = self._row(IndicatorRow, given, path, nested=BASELINE_FIELDS)
            code = key_text(nested.get("code"))
            if indicator is not None:
                indicators.append(indicator)
            elif code:
                self.unreadable.add(code)
            if not code:
                continue
            for key, kind in (("targets", "target"), ("values", "actual")):
                extra = {"code": code, "kind": kind}
                values += self._inner(IndicatorValueRow, inner[key], (*path, key), extra)
        return indicators, values

    def _inner(
        self, model: type[Row], value: Any, path: YamlPath, extra: dict[str, Any]
    ) -> list[Row]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.reading.problems.add(Problem(where=self._place(path), reason="expected a list"))
            return []
        rows = [self._row(model, item, (*path, i), extra) for i, item in enumerate(value)]
        return [row for row in rows if row is not None]
