from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from models import AuditEntry, ReplacedStatusLink, StatusRequest, StatusRequestItem
from models.db import session_scope
from models.status.answers import hash_token
from models.status.links import current_link_token, link_token, renew_link, replaced_link
from models.status.requests import PeriodTerms, create_missing_requests, open_period
from models.status.tables import request_by_token_hash
from tests.builders import catalogue

SECRET = b"s" * 32
BERLIN = ZoneInfo("Europe/Berlin")
AT = datetime(2026, 7, 1, 7, tzinfo=UTC)
TERMS = PeriodTerms(due_days=15, grace_days=30, federal_state="NW", zone="Europe/Berlin")


def test_a_link_token_is_derived_from_period_owner_and_generation_under_the_key() -> None:
    token = link_token(SECRET, period_id=3, person_id=7, generation=1)
    assert token == link_token(SECRET, period_id=3, person_id=7, generation=1)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    others = {
        link_token(SECRET, period_id=3, person_id=7, generation=2),
        link_token(SECRET, period_id=3, person_id=8, generation=1),
        link_token(SECRET, period_id=4, person_id=7, generation=1),
        link_token(b"t" * 32, period_id=3, person_id=7, generation=1),
    }
    assert token not in others and len(others) == 4


def _asked_town() -> tuple[int, list[int]]:
    """A period with two owners asked; its id and the requests' ids."""
    with session_scope() as session:
        town = catalogue.municipality(session)
        for _ in range(2):
            owner = catalogue.person(session, town)
            catalogue.measure(session, town, owner_id=owner.id)
        period = open_period(
            session=session, municipality_id=town.id, code="2026-Q3", on=AT.date(), terms=TERMS
        )
        create_missing_requests(session=session, period=period, at=AT, zone=BERLIN, secret=SECRET)
        ids = sorted(session.scalars(sa.select(StatusRequest.id)))
        return period.id, ids


def test_requests_are_created_once_however_often_and_their_links_resolve(
    settings_env: Path,
) -> None:
    period_id, request_ids = _asked_town()
    with session_scope() as session:
        period = open_period(
            session=session, municipality_id=1, code="2026-Q3", on=date(2026, 7, 2), terms=TERMS
        )
        assert period.id == period_id and period.due_on == date(2026, 7, 16)
        again = create_missing_requests(
            session=session, period=period, at=AT, zone=BERLIN, secret=SECRET
        )
        assert again == 0
        assert session.scalar(sa.select(sa.func.count(StatusRequestItem.id))) == 2
        for request in session.scalars(sa.select(StatusRequest)):
            token = current_link_token(session=session, request=request, secret=SECRET, at=AT)
            found = request_by_token_hash(session=session, token_hash=hash_token(token))
            assert found is not None and found.id == request.id
        audited = session.scalars(
            sa.select(AuditEntry.entity).where(AuditEntry.entity == "reporting_period")
        ).all()
        assert audited == ["reporting_period"]
        assert sorted(session.scalars(sa.select(StatusRequest.id))) == request_ids


def test_a_renewed_link_replaces_the_old_one_which_is_kept_as_replaced(
    settings_env: Path,
) -> None:
    _, (request_id, other_id) = _asked_town()
    renewed_at = datetime(2026, 7, 10, 12, tzinfo=UTC)
    with session_scope() as session:
        request = session.get_one(StatusRequest, request_id)
        first = current_link_token(session=session, request=request, secret=SECRET, at=AT)
        request.link_sent_at = AT
    with session_scope() as session:
        second = renew_link(session=session, request_id=request_id, secret=SECRET, at=renewed_at)
    with session_scope() as session:
        request = session.get_one(StatusRequest, request_id)
        assert (request.link_generation, request.link_sent_at) == (2, None)
        assert current_link_token(session=session, request=request, secret=SECRET, at=AT) == second
        assert request_by_token_hash(session=session, token_hash=hash_token(first)) is None
        assert request_by_token_hash(session=session, token_hash=hash_token(second)) == request
        old = replaced_link(session=session, token_hash=hash_token(first))
        assert old is not None and old.request_id == request_id and old.replaced_at == renewed_at
        assert old.request.period.code == "2026-Q3"
        untouched = session.get_one(StatusRequest, other_id)
        assert untouched.link_generation == 1


def test_a_changed_secret_key_renews_a_link_at_its_next_message_once(
    settings_env: Path,
) -> None:
    _, (request_id, _) = _asked_town()
    new_key = b"n" * 32
    with session_scope() as session:
        request = session.get_one(StatusRequest, request_id)
        old = current_link_token(session=session, request=request, secret=SECRET, at=AT)
        new = current_link_token(session=session, request=request, secret=new_key, at=AT)
        # A second run with the new key renders the same link and changes nothing more.
        assert current_link_token(session=session, request=request, secret=new_key, at=AT) == new
    with session_scope() as session:
        assert request_by_token_hash(session=session, token_hash=hash_token(new)) is not None
        replaced = session.scalars(sa.select(ReplacedStatusLink.token_hash)).all()
        assert replaced == [hash_token(old)]
