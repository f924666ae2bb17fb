"""An owner's status link: the same in every message of a period, never stored, renewable.

The token is the HMAC-SHA256 of `status-link:<period id>:<person id>:<generation>` under the
server's secret key (`models.settings.secret_key_bytes`), in base64url without padding: 43
characters, as unguessable as a random token. Only its SHA-256 is stored
(`StatusRequest.token_hash`), and a link is found by that hash alone. Every message of the
period derives the same token again, so a reminder repeats the link the owner may have open
in a browser at that moment, and two runs at once mail the same link.

A link changes only when it is renewed (`renew_link`, for the coordinators): the generation
goes up, and the old hash is kept in `ReplacedStatusLink`, so the old link answers that it was
replaced, and when, instead of "not found". A changed secret key renews a link the same way,
at the next message that carries it (`current_link_token`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from models.db import insert_or_ignore
from models.status.answers import hash_token
from models.status.tables import ReplacedStatusLink, StatusRequest

PURPOSE = b"status-link:"


def link_token(secret: bytes, *, period_id: int, person_id: int, generation: int) -> str:
    """The token of this owner's link in this period, in this generation."""
    message = PURPOSE + f"{period_id}:{person_id}:{generation}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def link_hash(secret: bytes, *, period_id: int, person_id: int, generation: int) -> str:
    """What is stored of that token: its SHA-256."""
    return hash_token(
        link_token(secret, period_id=period_id, person_id=person_id, generation=generation)
    )


def current_link_token(
    *, session: Session, request: StatusRequest, secret: bytes, at: datetime
) -> str:
    """The token of the request's link as it stands, to put into a message.

    When the secret key changed since the hash was stored, the link is renewed to the key's
    token first (the old one then answers "replaced"), so that no message carries a dead link.
    """
    token = link_token(
        secret,
        period_id=request.period_id,
        person_id=request.person_id,
        generation=request.link_generation,
    )
    digest = hash_token(token)
    if not hmac.compare_digest(digest, request.token_hash):
        _replace_hash(session, request.id, old=request.token_hash, new=digest, at=at)
        set_committed_value(request, "token_hash", digest)
    return token


def renew_link(*, session: Session, request_id: int, secret: bytes, at: datetime) -> str:
    """Give the request a new link and return its token, to be sent to the owner.

    From now on the old link answers that it was replaced, and when. Two renewals at once are
    taken one after the other: the row is locked by the first UPDATE until commit.
    """
    statement = (
        update(StatusRequest)
        .where(StatusRequest.id == request_id)
        .values(link_generation=StatusRequest.link_generation + 1)
        .returning(
            StatusRequest.period_id,
            StatusRequest.person_id,
            StatusRequest.link_generation,
            StatusRequest.token_hash,
        )
        .execution_options(synchronize_session=False)
    )
    period_id, person_id, generation, old = session.execute(statement).one()
    token = link_token(secret, period_id=period_id, person_id=person_id, generation=generation)
    _replace_hash(session, request_id, old=old, new=hash_token(token), at=at)
    request = session.get(StatusRequest, request_id)
    if request is not None:
        session.refresh(request)
    return token


def _replace_hash(session: Session, request_id: int, *, old: str, new: str, at: datetime) -> None:
    """Swap the stored hash and keep the old one as replaced; of two runs doing the same at
    once, only the first changes anything."""
    result = cast(
        CursorResult[Any],
        session.execute(
            update(StatusRequest)
            .where(StatusRequest.id == request_id, StatusRequest.token_hash == old)
            .values(token_hash=new, link_sent_at=None)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount:
        session.execute(
            insert_or_ignore(session, ReplacedStatusLink, unique=["token_hash"]),
            [{"request_id": request_id, "token_hash": old, "replaced_at": at}],
        )


def replaced_link(*, session: Session, token_hash: str) -> ReplacedStatusLink | None:
    """The replaced link with this hash, with its request's period and owner."""
    query = (
        select(ReplacedStatusLink)
        .where(ReplacedStatusLink.token_hash == token_hash)
        .options(
            selectinload(ReplacedStatusLink.request).selectinload(StatusRequest.period),
            selectinload(ReplacedStatusLink.request).selectinload(StatusRequest.person),
        )
    )
    return session.scalar(query)
