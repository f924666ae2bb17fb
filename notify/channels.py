"""Where messages go: an outbox folder of .eml files (the default) or Apprise (e-mail and more)."""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formataddr, formatdate, make_msgid
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import apprise
from pydantic import BaseModel

from models.errors import required
from notify.message import Message

OUTBOX_SENDER = "Digitalfahrplan <digitalfahrplan@localhost>"
# Python folds a long header that starts "Word: …" by breaking right after the header name,
# which readers then show with a leading space; headers of up to 998 characters (RFC 5322)
# stay on one line.
MAIL_POLICY = default_policy.clone(max_line_length=998)


class DeliveryError(Exception):
    """A message could not be handed over; the text says why.

    Raised as such, the channel itself failed (server down, silent, refusing the sender): a
    run stops trying a channel after a few of these in a row. `RecipientError` is the
    channel working but not taking this one message.
    """


class RecipientError(DeliveryError):
    """The channel works but refused this recipient (e.g. an unknown mailbox)."""


class MailTimeouts(BaseModel):
    """How long to wait for the mail server, in seconds (see models.settings)."""

    connect: float = 10.0
    read: float = 30.0
    total: float = 60.0


class Channel(Protocol):
    """Sends one message or raises DeliveryError."""

    name: str

    def send(self, message: Message) -> None: ...

    def close(self) -> None:
        """Let go of connections held for the batch; the next send opens them again."""


def as_email(message: Message, sender: str) -> EmailMessage:
    """The message as a MIME e-mail with plain text, HTML and attachments."""
    mail = EmailMessage(policy=MAIL_POLICY)
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain="digitalfahrplan.local")
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    for path in message.attachments:
        mail.add_attachment(
            path.read_bytes(), maintype="application", subtype="pdf", filename=path.name
        )
    return mail


def _apprise_send(urls: list[str], message: Message) -> None:
    """The plain text to chat and webhook targets, which rarely render HTML well."""
    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            raise RecipientError(f"not a usable Apprise URL: {_redacted(url)}")
    attach = apprise.AppriseAttachment([str(path) for path in message.attachments]) or None
    if not sender.notify(
        body=message.text,
        title=message.subject,
        body_format=apprise.NotifyFormat.TEXT,
        attach=attach,
    ):
        raise RecipientError(f"Apprise could not deliver to {', '.join(map(_redacted, urls))}")


@cache
def tls_context(*, verify: bool) -> ssl.SSLContext:
    """One TLS context per process: loading the system's certificates takes tens of
    milliseconds, which every message of a batch paid when each made its own."""
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


# A batch's mails share one SMTP connection: opening one per message (connect, EHLO, TLS,
# login, QUIT) cost more than sending the mail. Servers cap the mails per connection, so it
# is renewed after this many; and they drop idle ones, so after a pause this long (a slow
# Apprise target) the connection is checked with a NOOP before a mail is trusted to it.
MAILS_PER_CONNECTION = 100
QUIET_SECONDS = 2.0


class _TimedSMTP(smtplib.SMTP):
    """SMTP whose connection is opened within the connect timeout and then waits for each of
    the server's answers at most the read timeout (smtplib knows only one timeout for both)."""

    def __init__(self, timeouts: MailTimeouts) -> None:
        self.timeouts = timeouts
        super().__init__(timeout=timeouts.connect)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return _open(host, port, self.timeouts, self.source_address)


def _open(host: str, port: int, timeouts: MailTimeouts, source: Any) -> socket.socket:
    try:
        sock = socket.create_connection((host, port), timeouts.connect, source)
    except TimeoutError as error:
        raise TimeoutError(f"no connection within {timeouts.connect:g} s") from error
    sock.settimeout(timeouts.read)
    return sock


class _TimedSMTPSSL(smtplib.SMTP_SSL):
    """`_TimedSMTP` with implicit TLS (`?mode=ssl`)."""

    def __init__(self, timeouts: MailTimeouts, context: ssl.SSLContext) -> None:
        self.timeouts = timeouts
        super().__init__(timeout=timeouts.connect, context=context)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = _open(host, port, self.timeouts, self.source_address)
        return self.context.wrap_socket(sock, server_hostname=host)


class _Watchdog:
    """One thread that calls `cut` when an armed deadline passes: a thread per batch, not one
    per message, which costs milliseconds each on a busy machine."""

    def __init__(self, cut: Callable[[], None]) -> None:
        self._cut = cut
        self._changed = threading.Condition()
        self._deadline: float | None = None
        self._expired = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def arm(self, seconds: float) -> threading.Event:
        """Watch the next `seconds`; the event is set if they pass before `disarm`."""
        with self._changed:
            self._expired = threading.Event()
            self._deadline = time.monotonic() + seconds
            self._stopping = False
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, daemon=True)
                self._thread.start()
            self._changed.notify()
            return self._expired

    def disarm(self) -> None:
        with self._changed:
            self._deadline = None
            self._changed.notify()

    def stop(self) -> None:
        """Let the thread end; arming again starts a new one."""
        with self._changed:
            self._stopping, self._deadline = True, None
            self._changed.notify()

    def _watch(self) -> None:
        with self._changed:
            while not self._stopping:
                if self._deadline is None:
                    self._changed.wait()
                    continue
                left = self._deadline - time.monotonic()
                if left > 0:
                    self._changed.wait(left)
                    continue
                self._deadline = None
                self._expired.set()
                self._cut()


class MailServer:
    """The SMTP server of an Apprise mailto:// URL, with one connection kept for a batch.

    Apprise's e-mail plugin would derive the plain-text part from the HTML; ours is written
    for reading as plain text, so Apprise only parses the URL (host, port, security, login,
    sender) and the mail itself goes out as rendered. `mailto://` talks plain SMTP (e.g. to a
    relay on loopback), `mailtos://` uses STARTTLS, `?mode=ssl` implicit TLS.

    Each message gets at most `timeouts.total` seconds, connecting included: a server that
    answers byte by byte would otherwise stay within the read timeout for ever.
    """

    def __init__(self, mail_url: str, timeouts: MailTimeouts | None = None) -> None:
        # Apprise's e-mail plugin is untyped in the attributes read here.
        server: Any = apprise.Apprise.instantiate(mail_url)
        if server is None or not hasattr(server, "smtp_host"):
            raise DeliveryError(f"not a usable mailto:// URL: {_redacted(mail_url)}")
        self.server = server
        self.label = f"{server.smtp_host}:{server.port}"
        self.timeouts = timeouts or MailTimeouts()
        name, self.address = server.from_addr
        self.sender = formataddr((name or "", self.address))
        self._smtp: smtplib.SMTP | None = None
        self._mails = 0
        self._last_used = 0.0
        self._watchdog = _Watchdog(self._cut)

    def send(self, message: Message) -> None:
        mail = as_email(message, self.sender)
        with self._deadline() as expired:
            try:
                smtp = self._connection()
                smtp.send_message(mail, from_addr=self.address, to_addrs=[message.recipient])
            except smtplib.SMTPRecipientsRefused as refused:
                # A clear no before any data: smtplib has reset the connection for the next.
                raise RecipientError(f"e-mail refused: {_refusal(refused)}") from refused
            except BaseException as error:
                # The server may or may not have taken the mail; a connection in an unknown
                # state is dropped (not even a QUIT, which a silent server would not answer),
                # and the mail is not sent again on a new one.
                self._drop()
                if expired.is_set():
                    raise TimeoutError(
                        f"no complete answer within {self.timeouts.total:g} s"
                    ) from error
                if _timed_out(error):
                    raise TimeoutError(f"no answer within {self.timeouts.read:g} s") from error
                raise
        self._mails += 1
        self._last_used = time.monotonic()

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        self._watchdog.stop()
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    @contextmanager
    def _deadline(self) -> Iterator[threading.Event]:
        """Shut the connection's socket when the message takes longer than the total timeout;
        whatever waits on it then fails at once."""
        expired = self._watchdog.arm(self.timeouts.total)
        try:
            yield expired
        finally:
            self._watchdog.disarm()

    def _cut(self) -> None:
        sock = self._smtp.sock if self._smtp is not None else None
        if sock is not None:
            # Closed meanwhile: then nothing waits on it any more.
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None and not self._usable(self._smtp):
            self._drop()
        if self._smtp is None:
            self._connect()
        return required(self._smtp, "the SMTP connection just opened")

    def _usable(self, smtp: smtplib.SMTP) -> bool:
        if self._mails >= MAILS_PER_CONNECTION:
            return False
        if time.monotonic() - self._last_used < QUIET_SECONDS:
            return True
        try:
            return smtp.noop()[0] == 250
        except (OSError, smtplib.SMTPException):
            return False

    def _connect(self) -> None:
        """Open a connection, kept in `_smtp` from the start so the deadline can cut it."""
        server = self.server
        context = tls_context(verify=bool(server.verify_certificate))
        smtp: smtplib.SMTP = (
            _TimedSMTPSSL(self.timeouts, context)
            if server.secure_mode == "ssl"
            else _TimedSMTP(self.timeouts)
        )
        self._smtp, self._mails = smtp, 0
        smtp.connect(server.smtp_host, server.port)
        if server.secure_mode == "starttls":
            smtp.starttls(context=context)
        if server.user and server.password:
            smtp.login(server.user, server.password)


def _reason(error: BaseException) -> str:
    """What went wrong, in words also when Python's own text is empty."""
    text = str(error)
    if isinstance(error, TimeoutError):
        return f"timed out{': ' + text if text and text != 'timed out' else ''}"
    return text or type(error).__name__


def _timed_out(error: BaseException) -> bool:
    """Whether a socket timeout lies behind this error (smtplib wraps it in its own)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _refusal(refused: smtplib.SMTPRecipientsRefused) -> str:
    """The server's answers to the refused recipients, e.g. `550 mailbox unavailable`."""
    return "; ".join(
        f"{code} {answer.decode(errors='replace') if isinstance(answer, bytes) else answer}"
        for code, answer in refused.recipients.values()
    )


def _redacted(url: str) -> str:
    """A URL without its password, for error messages and logs."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


class OutboxChannel:
    """Writes every e-mail as an .eml file, so a newcomer can read each message."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: Message) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9@._-]+", "_", f"{message.kind}-{message.recipient}")
        path = self.folder / f"{message.on_date.isoformat()}-{safe}-{abs(hash(message.key)):x}.eml"
        path.write_bytes(bytes(as_email(message, OUTBOX_SENDER)))
        if message.apprise_urls:
            _apprise_send(message.apprise_urls, message)

    def close(self) -> None:
        pass


def mail_url_for(mail_url: str, recipient: str) -> str:
    """The configured mailto:// URL with this recipient added as `to=`."""
    parts = urlsplit(mail_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "to"] + [("to", recipient)]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


class AppriseChannel:
    """E-mail through the configured SMTP server, and the recipient's other Apprise URLs.

    A message counts as delivered when every target took it; when one fails, the next run
    sends it again to all of them. The SMTP connection stays open until `close`.
    """

    name = "apprise"

    def __init__(self, mail_url: str, timeouts: MailTimeouts | None = None) -> None:
        self.mail_url = mail_url
        self.timeouts = timeouts or MailTimeouts()
        self._mail_server: MailServer | None = None

    def send(self, message: Message) -> None:
        server = self._server(message.recipient)
        try:
            server.send(message)
        except RecipientError:
            raise
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"e-mail via {server.label} failed: {_reason(error)}") from error
        if message.apprise_urls:
            _apprise_send(message.apprise_urls, message)

    def close(self) -> None:
        if self._mail_server is not None:
            self._mail_server.close()

    def _server(self, recipient: str) -> MailServer:
        # Parsed on the first message, so that a wrong URL fails each message (and is
        # recorded in the ledger) instead of the whole batch.
        if self._mail_server is None:
            self._mail_server = MailServer(mail_url_for(self.mail_url, recipient), self.timeouts)
        return self._mail_server
