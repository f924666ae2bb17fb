"""Checks across rows, files and the database: every problem is collected, none stops the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import TypeVar

from catalogue.known import Known, PeopleDirectory
from catalogue.problems import Location, Problem
from catalogue.rows import Catalogue, IndicatorRow, MeasureRow, OzgRow, SourceRow
from models.enums import MaturityModel, ValueKind
from models.vocabulary import did_you_mean, normalise

Row = TypeVar("Row", bound=SourceRow)


def validate(catalogue: Catalogue, known: Known, *, suggestions: int = 100) -> Iterator[Problem]:
    """Every problem of the catalogue as a whole, each check in the order of its sources.

    Looking for the closest name among tens of thousands takes a moment, so only the first
    `suggestions` unknown names of each check get a "did you mean": no more are shown.
    """
    people = PeopleDirectory.of(known, catalogue, suggestions=suggestions)
    codes = known.codes | {m.code for m in catalogue.measures} | catalogue.unreadable_keys
    yield from _duplicates(catalogue.people, lambda p: p.email.casefold(), "e-mail", "email")
    yield from _deputies(catalogue, people)
    yield from _duplicates(catalogue.measures, lambda m: m.code, "code", "code")
    yield from _measures(catalogue, known, people, _Hints(codes, suggestions))
    yield from _cycles(catalogue, known)
    yield from _milestones(catalogue, _Hints(codes, suggestions))
    yield from _ozg_services(catalogue, known, _Hints(codes, suggestions))
    yield from _committees(catalogue)
    yield from _duplicates(catalogue.indicators, lambda i: i.code, "indicator code", "code")
    yield from _indicators(catalogue, known, people)
    yield from _indicator_values(catalogue, known)


class _Hints:
    """`did you mean` for the first few unknown names of one check; nothing for the rest."""

    def __init__(self, known: set[str], budget: int) -> None:
        self.known = known
        self._left = budget

    def __call__(self, wrong: str) -> str:
        self._left -= 1
        return did_you_mean(wrong, self.known) if self._left >= 0 else ""


def _duplicates(
    rows: list[Row], key_of: Callable[[Row], str], what: str, field: str
) -> Iterator[Problem]:
    first: dict[str, Location] = {}
    for row in rows:
        key = key_of(row)
        if key in first:
            reason = f"duplicate {what} {getattr(row, field)} (first at {_short(first[key], row)})"
            yield Problem(where=row.at(field), reason=reason)
        else:
            first[key] = row.where


def _short(first: Location, row: SourceRow) -> str:
    """Where the first occurrence is, without repeating the file when it is the same."""
    if first.file == row.where.file and first.sheet == row.where.sheet:
        return f"row {first.row}" if first.row is not None else f"line {first.line}"
    return str(first)


def _deputies(catalogue: Catalogue, people: PeopleDirectory) -> Iterator[Problem]:
    for person in catalogue.people:
        if person.deputy is None:
            continue
        try:
            deputy = people.email_of(
                person.deputy, role="deputy", unreadable=catalogue.unreadable_keys
            )
        except ValueError as error:
            yield Problem(where=person.at("deputy"), reason=str(error))
            continue
        if deputy is not None and deputy.casefold() == person.email.casefold():
            yield Problem(where=person.at("deputy"), reason="a person cannot be their own deputy")


def _measures(
    catalogue: Catalogue, known: Known, people: PeopleDirectory, hint: _Hints
) -> Iterator[Problem]:
    strict = known.defines_fields or catalogue.defines_fields
    fields = [*known.fields_of_action, *(f.name for f in catalogue.fields_of_action)]
    pillars = [*known.pillars, *(p.name for p in catalogue.pillars)]
    for measure in catalogue.measures:
        if measure.start and measure.end and measure.end < measure.start:
            reason = f"end {measure.end} is before start {measure.start}"
            yield Problem(where=measure.at("end"), reason=reason)
        if measure.owner is not None:
            try:
                people.email_of(measure.owner, role="owner", unreadable=catalogue.unreadable_keys)
            except ValueError as error:
                yield Problem(where=measure.at("owner"), reason=str(error))
        if strict and measure.field_of_action is not None:
            yield from _unknown_names(measure, "field_of_action", [measure.field_of_action], fields)
        if strict:
            yield from _unknown_names(measure, "pillars", measure.pillars, pillars)
        yield from _dependencies(measure, hint)


def _unknown_names(
    measure: SourceRow, field: str, names: list[str], known: list[str]
) -> Iterator[Problem]:
    """Names the strategy does not define; it defines them, so a new one is a mistake."""
    what = "field of action" if field == "field_of_action" else "pillar"
    keys = {normalise(name) for name in known}
    for name in names:
        if normalise(name) not in keys:
            reason = f'unknown {what} "{name}"{did_you_mean(name, known)}'
            yield Problem(where=measure.at(field), reason=reason)


def _dependencies(measure: MeasureRow, hint: _Hints) -> Iterator[Problem]:
    for code in measure.depends_on:
        if code == measure.code:
            yield Problem(
                where=measure.at("depends_on"), reason="a measure cannot depend on itself"
            )
        elif code not in hint.known:
            reason = f'unknown measure "{code}"{hint(code)}'
            yield Problem(where=measure.at("depends_on"), reason=reason)


def _cycles(catalogue: Catalogue, known: Known) -> Iterator[Problem]:
    """Measures that wait for each other in a circle, each circle told once at the first of
    its measures whose dependencies this import sets: `A-01 → B-02 → C-03 → A-01`."""
    rows: dict[str, MeasureRow] = {}
    for measure in catalogue.measures:
        if measure.given("depends_on"):
            rows.setdefault(measure.code, measure)
    graph = {code: sorted(set(codes)) for code, codes in known.dependencies.items()}
    graph |= {code: sorted(set(row.depends_on)) for code, row in rows.items()}
    rank = {code: index for index, code in enumerate(rows)}
    for circle in circles(graph, start_with=list(rows)):
        first = min((code for code in circle if code in rank), key=rank.__getitem__, default=None)
        if first is None:
            continue
        turn = circle.index(first)
        chain = " → ".join([*circle[turn:], *circle[:turn], first])
        yield Problem(
            where=rows[first].at("depends_on"), reason=f"dependencies form a cycle: {chain}"
        )


def circles(graph: dict[str, list[str]], *, start_with: list[str]) -> Iterator[list[str]]:
    """Circles of a dependency graph (code → codes it depends on), at least one in every
    knot of them, each as its codes in order; a code depending on itself is not one."""
    state: dict[str, bool] = {}  # True while on the path being walked, False when done
    for start in [*start_with, *sorted(graph)]:
        if start in state:
            continue
        path, walks = [start], [iter(graph.get(start, []))]
        state[start] = True
        while walks:
            for code in walks[-1]:
                if code == path[-1] or code not in graph:
                    continue
                if state.get(code) is True:
                    yield path[path.index(code) :]
                elif code not in state:
                    state[code] = True
                    path.append(code)
                    walks.append(iter(graph[code]))
                    break
            else:
                state[path.pop()] = False
                walks.pop()


def _milestones(catalogue: Catalogue, hint: _Hints) -> Iterator[Problem]:
    seen: dict[tuple[str, str], Location] = {}
    for milestone in catalogue.milestones:
        if milestone.code not in hint.known:
            reason = f'unknown measure "{milestone.code}"{hint(milestone.code)}'
            yield Problem(where=milestone.at("code"), reason=reason)
        key = (milestone.code, milestone.title)
        if key in seen:
            first = _short(seen[key], milestone)
            reason = (
                f'duplicate milestone "{milestone.title}" of {milestone.code} (first at {first})'
            )
            yield Problem(where=milestone.at("title"), reason=reason)
        seen.setdefault(key, milestone.where)


def _ozg_services(catalogue: Catalogue, known: Known, hint: _Hints) -> Iterator[Problem]:
    yield from _duplicates(catalogue.ozg_services, lambda s: s.ozg_id, "OZG id", "ozg_id")
    for service in catalogue.ozg_services:
        if service.code is not None and service.code not in hint.known:
            reason = f'unknown measure "{service.code}"{hint(service.code)}'
            yield Problem(where=service.at("code"), reason=reason)
        yield from _maturity(service, known.ozg_levels.get(service.ozg_id))
    yield from _ozg_link_conflicts(catalogue)


def _maturity(service: OzgRow, stored: tuple[MaturityModel, int, int] | None) -> Iterator[Problem]:
    """Levels the model does not have, counting stored values the import leaves as they are."""
    if not service.readable("maturity_model"):
        return
    model = service.maturity_model
    levels = {
        "maturity_current": service.maturity_current,
        "maturity_target": service.maturity_target,
    }
    kept: set[str] = set()
    if stored is not None:
        if not service.given("maturity_model"):
            model = stored[0]
        for field, level in (("maturity_current", stored[1]), ("maturity_target", stored[2])):
            if not service.given(field):
                levels[field] = level
                kept.add(field)
    top = model.highest_level
    for field, level in levels.items():
        if level > top:
            note = f" (the stored {field.removeprefix('maturity_')} level)" if field in kept else ""
            reason = f"maturity level {level}{note} does not exist in model {model.value} (0–{top})"
            yield Problem(where=service.at("maturity_model" if note else field), reason=reason)


def _ozg_link_conflicts(catalogue: Catalogue) -> Iterator[Problem]:
    """A measure's OZG column and an OZG service's measure column must tell the same story."""
    listed = {m.code: set(m.ozg_ids) for m in catalogue.measures if m.given("ozg_ids")}
    for service in catalogue.ozg_services:
        if not service.given("code"):
            continue
        claims = sorted(code for code, ids in listed.items() if service.ozg_id in ids)
        others = [code for code in claims if code != service.code]
        missing = service.code in listed and service.ozg_id not in listed[service.code]
        if others or missing:
            said = f"measure {', '.join(others)} lists it" if others else "its measure does not"
            linked = service.code or "no measure"
            reason = f"OZG service {service.ozg_id} belongs to {linked} here, but {said}"
            yield Problem(where=service.at("code"), reason=reason)


def _committees(catalogue: Catalogue) -> Iterator[Problem]:
    seen: set[str] = set()
    for committee in catalogue.committees:
        if normalise(committee.name) in seen:
            reason = f'duplicate committee "{committee.name}"'
            yield Problem(where=committee.at("name"), reason=reason)
        seen.add(normalise(committee.name))


def _indicators(catalogue: Catalogue, known: Known, people: PeopleDirectory) -> Iterator[Problem]:
    codes = known.codes | {m.code for m in catalogue.measures} | catalogue.unreadable_keys
    strict = known.defines_fields or catalogue.defines_fields
    fields = [*known.fields_of_action, *(f.name for f in catalogue.fields_of_action)]
    for indicator in catalogue.indicators:
        if indicator.owner is not None:
            try:
                people.email_of(indicator.owner, role="owner", unreadable=catalogue.unreadable_keys)
            except ValueError as error:
                yield Problem(where=indicator.at("owner"), reason=str(error))
        if strict and indicator.field_of_action is not None:
            names = [indicator.field_of_action]
            yield from _unknown_names(indicator, "field_of_action", names, fields)
        for code in indicator.measures:
            if code not in codes:
                reason = f'unknown measure "{code}"{did_you_mean(code, codes)}'
                yield Problem(where=indicator.at("measures"), reason=reason)
        yield from _first_target(indicator)


def _first_target(indicator: IndicatorRow) -> Iterator[Problem]:
    """A target in the indicator's own row needs its value and its date, after the baseline."""
    if not (indicator.readable("target") and indicator.readable("target_date")):
        return
    if (indicator.target is None) != (indicator.target_date is None):
        missing = "target_date" if indicator.target_date is None else "target"
        reason = "a target needs both a value and a date"
        yield Problem(where=indicator.at(missing), reason=reason)
    elif indicator.target_date is not None and indicator.target_date <= indicator.baseline_date:
        yield Problem(where=indicator.at("target_date"), reason=_before_baseline(indicator))


def _before_baseline(indicator: IndicatorRow) -> str:
    return (
        f"target date {indicator.target_date} is not after "
        f"the baseline date {indicator.baseline_date}"
    )


def _indicator_values(catalogue: Catalogue, known: Known) -> Iterator[Problem]:
    """Values and further targets: of a known indicator, a target after its baseline, one target
    per day."""
    baselines = dict(known.indicator_baselines)
    baselines |= {
        i.code: i.baseline_date for i in catalogue.indicators if i.readable("baseline_date")
    }
    codes = set(baselines) | {i.code for i in catalogue.indicators} | catalogue.unreadable_keys
    targets: dict[tuple[str, date], tuple[Decimal | None, Location]] = {
        (i.code, i.target_date): (i.target, i.at("target_date"))
        for i in catalogue.indicators
        if i.target_date is not None
    }
    for row in catalogue.indicator_values:
        if row.code not in codes:
            reason = f'unknown indicator "{row.code}"{did_you_mean(row.code, codes)}'
            yield Problem(where=row.at("code"), reason=reason)
            continue
        if row.kind is not ValueKind.TARGET:
            continue
        baseline = baselines.get(row.code)
        if baseline is not None and row.date <= baseline:
            reason = f"target date {row.date} is not after the baseline date {baseline}"
            yield Problem(where=row.at("date"), reason=reason)
        first = targets.setdefault((row.code, row.date), (row.value, row.where))
        if first[0] != row.value:
            reason = (
                f"a second target for {row.code} on {row.date} "
                f"({row.value} here, {first[0]} at {_short(first[1], row)})"
            )
            yield Problem(where=row.at("value"), reason=reason)
