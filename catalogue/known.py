"""What the database already holds that an import may refer to, and how names resolve to people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.rows import Catalogue
from models.enums import MaturityModel
from models.indicator import Indicator
from models.measure import measures_of
from models.municipality import Municipality, Strategy, current_strategy
from models.ozg import ozg_services_of
from models.person import people_of
from models.vocabulary import closest, normalise


@dataclass
class Known:
    """The target municipality's catalogue as it stands, reduced to names and keys."""

    people: dict[str, str] = field(default_factory=dict)  # e-mail → name
    codes: set[str] = field(default_factory=set)
    dependencies: dict[str, list[str]] = field(default_factory=dict)  # code → codes
    fields_of_action: list[str] = field(default_factory=list)
    pillars: list[str] = field(default_factory=list)
    defines_fields: bool = False
    ozg_links: dict[str, str | None] = field(default_factory=dict)  # OZG id → measure code
    # OZG id → (model, current level, target level) as stored.
    ozg_levels: dict[str, tuple[MaturityModel, int, int]] = field(default_factory=dict)
    # Indicator code → its baseline date as stored.
    indicator_baselines: dict[str, date] = field(default_factory=dict)


def target_strategy(
    *, session: Session, municipality: Municipality, catalogue: Catalogue
) -> Strategy | None:
    """The existing strategy an import adds to: the one the YAML names, else the current one."""
    if catalogue.strategy is not None:
        wanted = normalise(catalogue.strategy.name)
        return next((s for s in municipality.strategies if normalise(s.name) == wanted), None)
    return current_strategy(session=session, municipality_id=municipality.id)


def load_known(*, session: Session, municipality: Municipality, strategy: Strategy | None) -> Known:
    """The names and keys of the municipality's catalogue in the database."""
    measures = measures_of(session=session, municipality_id=municipality.id)
    code_of = {measure.id: measure.code for measure in measures}
    services = ozg_services_of(session=session, municipality_id=municipality.id)
    baselines = select(Indicator.code, Indicator.baseline_on).where(
        Indicator.municipality_id == municipality.id
    )
    return Known(
        people={
            p.email: p.name for p in people_of(session=session, municipality_id=municipality.id)
        },
        codes=set(code_of.values()),
        dependencies={m.code: [other.code for other in m.depends_on] for m in measures},
        fields_of_action=[f.name for f in strategy.fields_of_action] if strategy else [],
        pillars=[p.name for p in strategy.pillars] if strategy else [],
        defines_fields=bool(strategy and strategy.defines_fields),
        ozg_links={s.ozg_id: code_of.get(s.measure_id or 0) for s in services},
        ozg_levels={
            s.ozg_id: (s.maturity_model, s.maturity_current, s.maturity_target) for s in services
        },
        indicator_baselines=dict(session.execute(baselines).tuples().all()),
    )


class PeopleDirectory:
    """Finds a person by e-mail address, or by a name that belongs to exactly one person."""

    def __init__(self, people: Mapping[str, str], *, suggestions: int = 100) -> None:
        self._emails = {email.casefold(): email for email in people}
        self._names: dict[str, list[str]] = {}
        for email, name in people.items():
            self._names.setdefault(normalise(name), []).append(email)
        self._shown = [*people.values(), *people]
        # Looking for the closest of thousands of people takes a moment: only for the first
        # unknown names of each role, as many as an error message shows.
        self._suggestions = suggestions
        self._suggested: dict[str, int] = {}

    @classmethod
    def of(cls, known: Known, catalogue: Catalogue, *, suggestions: int = 100) -> PeopleDirectory:
        """Everyone in the database and in the import; the import's names win."""
        by_email = {email.casefold(): (email, name) for email, name in known.people.items()}
        by_email |= {p.email.casefold(): (p.email, p.name) for p in catalogue.people}
        return cls(dict(by_email.values()), suggestions=suggestions)

    def email_of(self, text: str, *, role: str, unreadable: Iterable[str] = ()) -> str | None:
        """The e-mail of the person meant; None for someone whose own row had problems.

        Raises ValueError naming the closest person when no one or several are meant.
        """
        if text.casefold() in self._emails:
            return self._emails[text.casefold()]
        if text.casefold() in {key.casefold() for key in unreadable}:
            return None
        matches = self._names.get(normalise(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(
                f'{role} "{text}" is the name of {len(matches)} people; give the e-mail'
            )
        self._suggested[role] = self._suggested.get(role, 0) + 1
        suggestion = None
        if self._suggested[role] <= self._suggestions:
            suggestion = closest(text, self._shown)
        hint = f', did you mean "{suggestion}"?' if suggestion else ""
        raise ValueError(f'unknown {role} "{text}"{hint}')
