"""The notification ledger in tests: a fake clock for the leases of its claims."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Notification


def let_claims_run_out(session: Session, lease_seconds: float = 600.0) -> None:
    """Move every claim in the ledger back by a lease, as if that much time had passed since
    (the claims' own rows still say who holds them)."""
    claimed = select(Notification).where(Notification.claimed_at.is_not(None))
    for row in session.scalars(claimed):
        assert row.claimed_at is not None
        row.claimed_at -= timedelta(seconds=lease_seconds + 1)
