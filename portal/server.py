"""Serving the portal with uvicorn: in the foreground (`fahrplan portal`) or in a thread."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from models.settings import get_settings, secret_key_bytes
from portal.app import create_app
from portal.security import redacted


class RedactTokens(logging.Filter):
    """Keeps link tokens out of the access log: a token there would open the owner's form."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redacted(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def _redact_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(existing, RedactTokens) for existing in access.filters):
        access.addFilter(RedactTokens())


def _config(app: ASGIApp, host: str, port: int, log_level: str = "info") -> uvicorn.Config:
    # Forwarded headers are trusted from the loopback proxy only (uvicorn's default), so the
    # slow-down of bad tokens sees the client's address behind a local reverse proxy.
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        proxy_headers=True,
        server_header=False,
        log_level=log_level,
    )
    _redact_access_log()
    return config


def run(*, host: str, port: int) -> None:
    """Serve the portal until interrupted; a missing secret key fails before listening."""
    settings = get_settings()
    secret_key_bytes(settings)
    uvicorn.Server(_config(create_app(settings=settings), host, port)).run()


@contextmanager
def running_in_thread(
    app: ASGIApp | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    log_level: str = "warning",
) -> Iterator[str]:
    """Serve an app (the portal by default) in a background thread, on a free port unless
    one is given; yields its base URL."""
    # IPPROTO_TCP spelt out: asyncio turns Nagle off (TCP_NODELAY) only on connections of a
    # socket that says it is TCP; otherwise every response waits ~40 ms for a delayed ACK.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    port = listener.getsockname()[1]
    config = _config(app or create_app(), host, port, log_level=log_level)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the portal did not start")
            threading.Event().wait(0.01)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
