"""Outgoing mail: stored in the outbox first, then sent one message at a time by the worker."""

from __future__ import annotations

import smtplib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from enum import StrEnum
from typing import Protocol, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import Select, and_, case, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from notes_app.extensions import db
from notes_app.models import Meeting, Network, OutboxMessage
from notes_app.models.types import utcnow
from notes_app.services import audit
from notes_app.services.errors import ServiceError


def queue(
    recipient: str,
    subject: str,
    text: str,
    html: str = "",
    kind: str = "",
    ref: str = "",
    meeting_id: int | None = None,
) -> None:
    """Store a message; it is committed with the change that caused it, so it is never lost."""
    db.session.add(
        OutboxMessage(
            recipient=recipient,
            subject=one_line(subject),
            text=text,
            html=html,
            kind=kind,
            ref=ref,
            meeting_id=meeting_id,
        )
    )


def one_line(text: str) -> str:
    """Fold line breaks and other control characters out of a header such as a subject."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


# Settings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    ssl: bool
    starttls: bool


def parse_mail_url(url: str) -> SmtpSettings:
    """Read `smtp://user:pass@host:port?starttls=1` or `smtps://...`."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ServiceError(f"NOTES_MAIL_URL must look like smtp://host:port, not {url!r}")
    options = parse_qs(parts.query)
    ssl = parts.scheme == "smtps"
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if ssl else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        ssl=ssl,
        starttls=options.get("starttls", ["0"])[0] in ("1", "true", "yes"),
    )


# Transports -----------------------------------------------------------------------------------


class MailServerUnreachable(ServiceError):
    """The mail server could not be reached; no message was tried, so none is charged."""


class Transport(Protocol):
    def send(self, email: EmailMessage) -> None: ...

    def close(self) -> None: ...


class SmtpTransport:
    """One SMTP connection, reused for the messages due now."""

    def __init__(self, settings: SmtpSettings, timeout: float) -> None:
        factory = smtplib.SMTP_SSL if settings.ssl else smtplib.SMTP
        try:
            self.connection = factory(settings.host, settings.port, timeout=timeout)
            if settings.starttls:
                self.connection.starttls()
            if settings.username:
                self.connection.login(settings.username, settings.password or "")
        except (OSError, smtplib.SMTPException) as error:
            raise MailServerUnreachable(f"{type(error).__name__}: {error}") from error

    def send(self, email: EmailMessage) -> None:
        self.connection.send_message(email)

    def close(self) -> None:
        try:
            self.connection.quit()
        except (OSError, smtplib.SMTPException):
            self.connection.close()


class TerminalTransport:
    """Development without a mail server: print each message for the developer to read."""

    RULE = "=" * 24

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, email: EmailMessage) -> None:
        body = email.get_body(("plain",))
        lines = [
            f"{self.RULE} development mail: not sent, NOTES_MAIL_URL is not set {self.RULE}",
            f"To: {email['To']}",
            f"Subject: {email['Subject']}",
            "",
            body.get_content().rstrip() if body is not None else "",
            f"{self.RULE} end of development mail {self.RULE}",
            "",
        ]
        self.stream.write("\n".join(lines))
        self.stream.flush()

    def close(self) -> None:
        pass


def mail_configured() -> bool:
    """Whether anything can take the outbox's messages (a mail server, or the terminal)."""
    return bool(current_app.config.get("MAIL_URL") or current_app.config.get("MAIL_TO_TERMINAL"))


def open_transport() -> Transport:
    """Connect to the configured mail server (or the terminal in development)."""
    url = current_app.config.get("MAIL_URL")
    if url:
        return SmtpTransport(parse_mail_url(url), current_app.config["MAIL_TIMEOUT"])
    if current_app.config.get("MAIL_TO_TERMINAL"):
        return TerminalTransport()
    raise ServiceError("Mail is not configured: set NOTES_MAIL_URL (e.g. smtp://host:port).")


# Sending ---------------------------------------------------------------------------------------


class Outcome(StrEnum):
    SENT = "sent"
    REFUSED = "refused"  # the server answered and refused this message; the connection is fine
    BROKEN = "broken"  # the connection failed while sending; open a new one
    WITHHELD = "withheld"  # the send-time check stopped it: never sent, never tried again


@dataclass(frozen=True)
class Verdict:
    """What the check made just before sending says of a message.

    A message waits in the outbox (seconds with a healthy worker, hours while the mail server is
    down), and what was right when it was queued may not be right when it goes: `withhold` says
    why it must not go at all, and `subject` and `text` (with `html`), when set, are what it
    must say now instead of what it said when queued.
    """

    withhold: str = ""
    subject: str | None = None
    text: str | None = None
    html: str = ""


SEND_AS_QUEUED = Verdict()
Check = Callable[[OutboxMessage], Verdict]


def retry_delay(attempts: int) -> timedelta:
    """Back off exponentially: 1, 2, 4 ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _due(now: datetime) -> Select:
    return (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.withheld_at.is_(None))
        .where(OutboxMessage.attempts < current_app.config["MAIL_MAX_ATTEMPTS"])
        .where(or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
    )


def has_due() -> bool:
    """Whether a message is due; a cheap read, so that idle polling holds nothing."""
    query = _due(utcnow()).with_only_columns(OutboxMessage.id).limit(1)
    return db.session.scalar(query) is not None


def count_waiting() -> int:
    return db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.withheld_at.is_(None)
        )
    )


def send_next(
    transport: Transport, check: Check = lambda message: SEND_AS_QUEUED
) -> tuple[OutboxMessage, Outcome] | None:
    """Hold the next due message, `check` it, send it and record what happened; the caller
    commits at once.

    The message stays held (FOR UPDATE) until that commit, so a withdrawal re-making it waits
    for the send (or holds it first, and it goes re-made), and another worker skips it. Only one
    message is held at a time, for one SMTP exchange with a short timeout: on SQLite this
    transaction is the database's one writer, so it must stay short.
    """
    message = db.session.scalars(
        _due(utcnow()).order_by(OutboxMessage.id).limit(1).with_for_update(skip_locked=True)
    ).first()
    if message is None:
        return None
    try:
        verdict = check(message)
    except SQLAlchemyError:
        raise  # the database is down: the worker waits, and the message stays due
    except Exception as error:
        # A check that fails never lets the message go unchecked: it is tried again later, and
        # given up on after the last attempt like a message the server refuses.
        _failed(message, error)
        return message, Outcome.REFUSED
    if verdict.withhold:
        withhold(message, verdict.withhold)
        return message, Outcome.WITHHELD
    if verdict.subject is not None and verdict.text is not None:
        message.subject, message.text, message.html = (
            one_line(verdict.subject),
            verdict.text,
            verdict.html,
        )
    try:
        email = _as_email(message, current_app.config["MAIL_SENDER"])
    except (ValueError, TypeError) as error:
        # A message that cannot even be written (a header with a line break, say) would fail
        # the same way for ever: give up on it now, so that it never holds up the others.
        _failed(message, error)
        message.attempts = max(message.attempts, current_app.config["MAIL_MAX_ATTEMPTS"])
        return message, Outcome.REFUSED
    try:
        transport.send(email)
    except (OSError, smtplib.SMTPServerDisconnected) as error:
        _failed(message, error)
        return message, Outcome.BROKEN
    except smtplib.SMTPException as error:
        _failed(message, error)
        return message, Outcome.REFUSED
    message.sent_at = utcnow()
    message.attempts += 1
    return message, Outcome.SENT


def _as_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@notes>"
    email.set_content(message.text)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    return email


def withhold(message: OutboxMessage, reason: str) -> None:
    """Never send this message; delete its subject and bodies, keep why (for admins)."""
    now = utcnow()
    message.withheld_at = now
    message.withheld_reason = reason[:200]
    message.subject = message.text = message.html = ""
    message.purged_at = now


def _failed(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.next_attempt_at = utcnow() + retry_delay(message.attempts)


# Stored copies ---------------------------------------------------------------------------------


def remake_copies(ref: str, subject: str, text: str, html: str) -> None:
    """Re-make the unsent messages that carry `ref`; delete the bodies of the sent ones.

    Sent copies have gone out and are never re-sent: keeping them would keep what a withdrawal
    took back, and re-making them would bring back a body the retention purge deleted.
    """
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.ref == ref, OutboxMessage.sent_at.is_(None))
        .where(OutboxMessage.withheld_at.is_(None))
        .values(subject=subject, text=text, html=html)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(_purge().where(OutboxMessage.ref == ref))


def purge_sent_bodies(now: datetime | None = None) -> int:
    """Delete the subject and bodies of messages sent longer ago than the retention period."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["MAIL_RETENTION_DAYS"])
    result = db.session.execute(_purge(now).where(OutboxMessage.sent_at < cutoff))
    return result.rowcount


def _purge(now: datetime | None = None):
    return (
        update(OutboxMessage)
        .where(OutboxMessage.sent_at.is_not(None), OutboxMessage.purged_at.is_(None))
        .values(subject="", text="", html="", purged_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


# What admins and facilitators see ---------------------------------------------------------------


class Status(StrEnum):
    SENT = "sent"
    WAITING = "waiting"
    FAILED = "failed"  # gave up after the last attempt
    WITHHELD = "withheld"  # stopped by the send-time check


def status_of(message: OutboxMessage) -> Status:
    if message.sent_at is not None:
        return Status.SENT
    if message.withheld_at is not None:
        return Status.WITHHELD
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        return Status.FAILED
    return Status.WAITING


@dataclass(frozen=True)
class Circulation:
    """How the emails that carry one thing (e.g. a publication) are doing."""

    total: int
    sent: int
    waiting: int
    retrying: int  # waiting, after a failed attempt
    failed: int
    withheld: int = 0  # stopped at sending (the member left, or a newer version replaced it)


def circulation(ref: str) -> Circulation:
    """Count the messages that carry `ref` by status, in one query."""
    withheld = OutboxMessage.withheld_at.is_not(None)
    unsent = and_(OutboxMessage.sent_at.is_(None), ~withheld)
    gave_up = OutboxMessage.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
    row = db.session.execute(
        select(
            func.count(OutboxMessage.id),
            _count(OutboxMessage.sent_at.is_not(None)),
            _count(and_(unsent, gave_up)),
            _count(and_(unsent, OutboxMessage.attempts > 0)),
            _count(withheld),
        ).where(OutboxMessage.ref == ref)
    ).one()
    total, sent, failed, tried, withheld_count = (int(value) for value in row)
    return Circulation(
        total=total,
        sent=sent,
        waiting=total - sent - failed - withheld_count,
        retrying=tried - failed,
        failed=failed,
        withheld=withheld_count,
    )


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass(frozen=True)
class OutboxEntry:
    """What admins see of a message: never its subject, bodies or links."""

    id: int
    recipient: str
    kind: str
    meeting: str  # "network-slug/meeting-slug" for the notes, the network's slug for the rest
    network_id: int | None
    status: Status
    attempts: int
    last_error: str
    withheld_reason: str
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None
    purged_at: datetime | None


def _entries() -> Select:
    return (
        select(OutboxMessage, Meeting.slug, Network.slug, Network.id)
        .outerjoin(Meeting, Meeting.id == OutboxMessage.meeting_id)
        .outerjoin(Network, Network.id == Meeting.network_id)
    )


# Mail to a speaker says who spoke at a meeting: admins outside the network must not read the
# attendee list off the outbox, so the address, and any error that may echo it, stay hidden.
TO_SPEAKERS = frozenset({"consent_request"})
# Only the notes go to every member alike; which meeting any other message is about (a reply, a
# withdrawal notice) says who took part in it, so admins see just its network.
TO_EVERY_MEMBER = frozenset({"notes"})
HIDDEN_ADDRESS = "a speaker (address hidden)"


def _entry(message: OutboxMessage, meeting_slug, network_slug, network_id) -> OutboxEntry:
    to_speaker = message.kind in TO_SPEAKERS
    if meeting_slug and message.kind in TO_EVERY_MEMBER:
        meeting = f"{network_slug}/{meeting_slug}"
    else:
        meeting = network_slug or ""
    return OutboxEntry(
        id=message.id,
        recipient=HIDDEN_ADDRESS if to_speaker else message.recipient,
        kind=message.kind,
        meeting=meeting,
        network_id=network_id,
        status=status_of(message),
        attempts=message.attempts,
        last_error=message.last_error.split(":", 1)[0] if to_speaker else message.last_error,
        withheld_reason=message.withheld_reason,
        created_at=message.created_at,
        sent_at=message.sent_at,
        next_attempt_at=message.next_attempt_at,
        purged_at=message.purged_at,
    )


def outbox_entries(limit: int = 200) -> list[OutboxEntry]:
    """The newest messages' metadata, in one query."""
    rows = db.session.execute(_entries().order_by(OutboxMessage.id.desc()).limit(limit))
    return [_entry(*row) for row in rows]


def read_outbox_entry(message_id: int, *, actor_id: int | None) -> OutboxEntry | None:
    """One message's metadata; reading it is audited."""
    row = db.session.execute(_entries().where(OutboxMessage.id == message_id)).first()
    if row is None:
        return None
    entry = _entry(*row)
    audit.record(
        "outbox_message_viewed",
        actor_id=actor_id,
        network_id=entry.network_id,
        subject=f"outbox:{entry.id}",
        kind=entry.kind,
    )
    return entry
