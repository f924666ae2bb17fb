"""Real servers on loopback for tests: an SMTP server (aiosmtpd), a webhook receiver and a
council information system speaking OParl 1.1."""

from __future__ import annotations

import email
import json
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Received:
    """Everything the SMTP server accepted, as parsed e-mails with their envelopes.

    Mails are kept as received and parsed when read, so that a server taking thousands of
    mails from several processes answers each as fast as a real one would. `on_data`, when
    set, is called with each mail's number (1, 2, …) before the server answers it.
    """

    def __init__(self) -> None:
        self._raw: list[bytes] = []
        self._parsed: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()
        self.connections: list[Any] = []  # each mail's client (host, port): its connection
        self.on_data: Callable[[int], None] | None = None

    @property
    def mails(self) -> list[EmailMessage]:
        for raw in self._raw[len(self._parsed) :]:
            parsed = email.message_from_bytes(raw, policy=default)
            assert isinstance(parsed, EmailMessage)
            self._parsed.append(parsed)
        return self._parsed

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.connections.append(session.peer)
        self._raw.append(envelope.original_content)
        if self.on_data is not None:
            self.on_data(len(self._raw))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [mail for mail in self.mails if mail["To"] == address]


class SmtpServer:
    """An SMTP server on 127.0.0.1 that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received = Received()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=digitalfahrplan@example.org"

    def start(self) -> None:
        self._controller = Controller(self.received, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class WebhookServer:
    """An HTTP server on 127.0.0.1 that keeps the JSON bodies posted to it."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                posts.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


OPARL = "https://schema.oparl.org/1.1/"
STAMP = {"created": "2026-01-12T09:00:00+01:00", "modified": "2026-01-12T09:00:00+01:00"}
LOCATION = {
    "type": OPARL + "Location",
    "description": "Rathaus Musterstadt, Rathausplatz 1, 12345 Musterstadt",
}


class OparlServer:
    """A council information system on 127.0.0.1 speaking OParl 1.1, shaped after the examples
    of the specification (System-01, Body-01, Organization-01, Meeting-01): a system, a body,
    the committee's organization and its meeting list in pages of `page_size` entries.

    Tests change `meetings` between readings (`add`, `move`, `cancel`) and stop and start the
    server on the same port to take the council system down. `/body/1` (not an Organization)
    and `/broken` (not JSON) are there for the bad URLs a catalogue may name.
    """

    def __init__(self, *, page_size: int = 2) -> None:
        self.port = free_port()
        self.page_size = page_size
        self.meetings: list[dict[str, Any]] = []
        self.requests: list[str] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/oparl/v1"

    @property
    def organization_url(self) -> str:
        return f"{self.base}/organization/34"

    @property
    def body_url(self) -> str:
        return f"{self.base}/body/1"

    @property
    def broken_url(self) -> str:
        return f"{self.base}/broken"

    def add(self, number: int, start: str, *, cancelled: bool = False) -> None:
        """A meeting of the committee, starting at this ISO date-time (two hours long)."""
        begins = datetime.fromisoformat(start)
        meeting: dict[str, Any] = {
            "id": f"{self.base}/meeting/{number}",
            "type": OPARL + "Meeting",
            "name": f"{number}. Sitzung des Ausschusses für Digitalisierung",
            "meetingState": "terminiert",
            "start": begins.isoformat(),
            "end": (begins + timedelta(hours=2)).isoformat(),
            "location": {**LOCATION, "id": f"{self.base}/location/1"},
            "organization": [self.organization_url],
            **STAMP,
        }
        if cancelled:
            meeting["cancelled"] = True
        self.meetings.append(meeting)

    def move(self, number: int, start: str) -> None:
        """The council office moved this meeting."""
        begins = datetime.fromisoformat(start)
        for meeting in self.meetings:
            if meeting["id"].endswith(f"/meeting/{number}"):
                meeting["start"] = begins.isoformat()
                meeting["end"] = (begins + timedelta(hours=2)).isoformat()

    def cancel(self, number: int) -> None:
        """The council office cancelled this meeting."""
        for meeting in self.meetings:
            if meeting["id"].endswith(f"/meeting/{number}"):
                meeting["cancelled"] = True

    def answer(self, path: str, query: dict[str, list[str]]) -> Any:
        """The JSON at this path; None for an unknown path (404)."""
        documents: dict[str, Any] = {
            "/oparl/v1/": self._system(),
            "/oparl/v1/bodies": self._list([self._body()], "bodies"),
            "/oparl/v1/body/1": self._body(),
            "/oparl/v1/body/1/organizations": self._list([self._organization()], "organizations"),
            "/oparl/v1/organization/34": self._organization(),
        }
        if path == "/oparl/v1/organization/34/meetings":
            return self._page(int(query.get("page", ["1"])[0]))
        return documents.get(path)

    def _system(self) -> dict[str, Any]:
        return {
            "id": f"{self.base}/",
            "type": OPARL + "System",
            "oparlVersion": OPARL,
            "body": f"{self.base}/bodies",
            "name": "Ratsinformationssystem Musterstadt",
            "contactEmail": "ratsinfo@musterstadt.example",
            **STAMP,
        }

    def _body(self) -> dict[str, Any]:
        return {
            "id": self.body_url,
            "type": OPARL + "Body",
            "system": f"{self.base}/",
            "shortName": "Musterstadt",
            "name": "Stadt Musterstadt",
            "organization": f"{self.body_url}/organizations",
            "meeting": f"{self.body_url}/meetings",
            "legislativeTerm": [],
            **STAMP,
        }

    def _organization(self) -> dict[str, Any]:
        return {
            "id": self.organization_url,
            "type": OPARL + "Organization",
            "body": self.body_url,
            "name": "Ausschuss für Digitalisierung",
            "shortName": "Digitalausschuss",
            "organizationType": "Gremium",
            "classification": "Ausschuss",
            "meeting": f"{self.organization_url}/meetings",
            "membership": [],
            **STAMP,
        }

    def _list(self, data: list[dict[str, Any]], name: str) -> dict[str, Any]:
        return {"data": data, "pagination": {}, "links": {"self": f"{self.base}/{name}"}}

    def _page(self, number: int) -> dict[str, Any]:
        """One page of the meeting list; `links.next` on every page but the last."""
        size = self.page_size
        pages = max(1, -(-len(self.meetings) // size))
        url = f"{self.organization_url}/meetings"
        links = {"first": url, "self": f"{url}?page={number}", "last": f"{url}?page={pages}"}
        if number < pages:
            links["next"] = f"{url}?page={number + 1}"
        if number > 1:
            links["prev"] = f"{url}?page={number - 1}"
        return {
            "data": self.meetings[(number - 1) * size : number * size],
            "pagination": {
                "totalElements": len(self.meetings),
                "elementsPerPage": size,
                "currentPage": number,
                "totalPages": pages,
            },
            "links": links,
        }

    def start(self) -> None:
        council = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                council.requests.append(self.path)
                if parts.path == "/oparl/v1/broken":
                    self._send(200, b'{"id": "https://ris.example/", "type": ')
                    return
                found = council.answer(parts.path, parse_qs(parts.query))
                if found is None:
                    self._send(404, b'{"error": "not found"}')
                    return
                self._send(200, json.dumps(found).encode())

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts connections and never says a word, like a mail
    server that hangs; or, with `drip`, sends a greeting one byte at a time, never finishing."""

    def __init__(self, *, drip: float | None = None) -> None:
        self.drip = drip
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)  # so that the accepting thread notices a stop
        self.port = int(self._listener.getsockname()[1])
        self._connections: list[socket.socket] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=digitalfahrplan@example.org"

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._connections.append(connection)
            if self.drip is not None:
                threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    def _trickle(self, connection: socket.socket) -> None:
        assert self.drip is not None
        while not self._stopped.wait(self.drip):
            try:
                connection.sendall(b"2")
            except OSError:
                return

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()
        self._listener.close()
        for connection in self._connections:
            connection.close()
