"""An owner's calendar link: the same for as long as the server's secret key, and nothing stored.

A status request's link changes with every reminder (only its hash is stored), so a calendar
subscribed with it would break at the next one. The calendar token is therefore derived from
the person instead: `<person id>-<MAC>`, where the MAC is the HMAC-SHA256 of
`calendar:<person id>` under the secret key (`models.settings.secret_key_bytes`), in base64url
without padding. Nobody can make one for another person without the key; changing the key
ends every calendar subscription. Whether the feed answers is decided elsewhere, by the
owner's most recent status request (`models.status.requests.latest_request`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from pydantic import BaseModel

PURPOSE = b"calendar:"
# The whole 256-bit MAC: 43 base64url characters.
TOKEN_SHAPE = re.compile(r"^(?P<person_id>[1-9][0-9]{0,17})-[A-Za-z0-9_-]{43}$")


def _mac(secret: bytes, person_id: int) -> str:
    digest = hmac.new(secret, PURPOSE + str(person_id).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def calendar_token(secret: bytes, person_id: int) -> str:
    """The person's calendar token under this secret key."""
    return f"{person_id}-{_mac(secret, person_id)}"


def person_of_calendar_token(secret: bytes, token: str) -> int | None:
    """The id of the person this token was made for, or None for a forged or malformed one."""
    shape = TOKEN_SHAPE.match(token)
    if shape is None:
        return None
    person_id = int(shape["person_id"])
    # Compared in constant time, so response times do not tell how much of a guess matched.
    expected = calendar_token(secret, person_id)
    return person_id if hmac.compare_digest(expected.encode(), token.encode()) else None


class CalendarLink(BaseModel):
    """Where an owner subscribes to their deadlines: the feed's URL and its `webcal://` twin."""

    url: str
    webcal: str

    @classmethod
    def of(cls, *, secret: bytes, portal_url: str, person_id: int) -> CalendarLink:
        """The link to this person's feed on the portal at `portal_url` (no trailing slash)."""
        url = f"{portal_url}/ical/{calendar_token(secret, person_id)}.ics"
        # Calendar programs open webcal:// links as a subscription rather than a download.
        return cls(url=url, webcal="webcal://" + url.split("://", 1)[1])
