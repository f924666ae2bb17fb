"""Where messages go: an outbox folder of .eml files (the default) or Apprise (e-mail and more)."""

from __future__ import annotations

import re
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formataddr, formatdate, make_msgid
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import apprise

from notify.message import Message

OUTBOX_SENDER = "Digitalfahrplan <digitalfahrplan@localhost>"
# Python folds a long header that starts "Word: …" by breaking right after the header name,
# which readers then show with a leading space; headers of up to 998 characters (RFC 5322)
# stay on one line.
MAIL_POLICY = default_policy.clone(max_line_length=998)


class DeliveryError(Exception):
    """A message could not be handed over; the text says why."""


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
            raise DeliveryError(f"not a usable Apprise URL: {_redacted(url)}")
    attach = apprise.AppriseAttachment([str(path) for path in message.attachments]) or None
    if not sender.notify(
        body=message.text,
        title=message.subject,
        body_format=apprise.NotifyFormat.TEXT,
        attach=attach,
    ):
        raise DeliveryError(f"Apprise could not deliver to {', '.join(map(_redacted, urls))}")


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


class MailServer:
    """The SMTP server of an Apprise mailto:// URL, with one connection kept for a batch.

    Apprise's e-mail plugin would derive the plain-text part from the HTML; ours is written
    for reading as plain text, so Apprise only parses the URL (host, port, security, login,
    sender) and the mail itself goes out as rendered. `mailto://` talks plain SMTP (e.g. to a
    relay on loopback), `mailtos://` uses STARTTLS, `?mode=ssl` implicit TLS.
    """

    def __init__(self, mail_url: str) -> None:
        # Apprise's e-mail plugin is untyped in the attributes read here.
        server: Any = apprise.Apprise.instantiate(mail_url)
        if server is None or not hasattr(server, "smtp_host"):
            raise DeliveryError(f"not a usable mailto:// URL: {_redacted(mail_url)}")
        self.server = server
        name, self.address = server.from_addr
        self.sender = formataddr((name or "", self.address))
        self._smtp: smtplib.SMTP | None = None
        self._mails = 0
        self._last_used = 0.0

    def send(self, message: Message) -> None:
        mail = as_email(message, self.sender)
        smtp = self._connection()
        try:
            smtp.send_message(mail, from_addr=self.address, to_addrs=[message.recipient])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused):
            raise  # a clear no before any data: smtplib has reset the connection for the next
        except BaseException:
            # The server may or may not have taken the mail; a connection in an unknown state
            # is not reused, and the mail is not sent again on a new one.
            self.close()
            raise
        self._mails += 1
        self._last_used = time.monotonic()

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None and not self._usable(self._smtp):
            self.close()
        if self._smtp is None:
            self._smtp, self._mails = self._connect(), 0
        return self._smtp

    def _usable(self, smtp: smtplib.SMTP) -> bool:
        if self._mails >= MAILS_PER_CONNECTION:
            return False
        if time.monotonic() - self._last_used < QUIET_SECONDS:
            return True
        try:
            return smtp.noop()[0] == 250
        except (OSError, smtplib.SMTPException):
            return False

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        timeout = float(server.socket_connect_timeout or 15)
        context = tls_context(verify=bool(server.verify_certificate))
        smtp = (
            smtplib.SMTP_SSL(server.smtp_host, server.port, timeout=timeout, context=context)
            if server.secure_mode == "ssl"
            else smtplib.SMTP(server.smtp_host, server.port, timeout=timeout)
        )
        try:
            if server.secure_mode == "starttls":
                smtp.starttls(context=context)
            if server.user and server.password:
                smtp.login(server.user, server.password)
        except BaseException:
            smtp.close()
            raise
        return smtp


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

    def __init__(self, mail_url: str) -> None:
        self.mail_url = mail_url
        self._mail_server: MailServer | None = None

    def send(self, message: Message) -> None:
        try:
            self._server(message.recipient).send(message)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"e-mail failed: {error}") from error
        if message.apprise_urls:
            _apprise_send(message.apprise_urls, message)

    def close(self) -> None:
        if self._mail_server is not None:
            self._mail_server.close()

    def _server(self, recipient: str) -> MailServer:
        # Parsed on the first message, so that a wrong URL fails each message (and is
        # recorded in the ledger) instead of the whole batch.
        if self._mail_server is None:
            self._mail_server = MailServer(mail_url_for(self.mail_url, recipient))
        return self._mail_server
