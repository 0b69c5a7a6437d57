"""Outgoing mail: stored in the outbox first, then sent over SMTP when it is configured."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import or_, select

from notes_app.extensions import db
from notes_app.models import OutboxMessage
from notes_app.models.types import utcnow
from notes_app.services.errors import ServiceError


def queue(
    recipient: str, subject: str, text: str, html: str = "", kind: str = "", ref: str = ""
) -> None:
    """Store a message; it is committed with the change that caused it, so it is never lost."""
    db.session.add(
        OutboxMessage(
            recipient=recipient, subject=subject, text=text, html=html, kind=kind, ref=ref
        )
    )


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


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    factory = smtplib.SMTP_SSL if settings.ssl else smtplib.SMTP
    connection = factory(settings.host, settings.port, timeout=20)
    if settings.starttls:
        connection.starttls()
    if settings.username:
        connection.login(settings.username, settings.password or "")
    return connection


def retry_delay(attempts: int) -> timedelta:
    """Back off exponentially: 1, 2, 4 ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def deliver_pending(limit: int = 100) -> tuple[int, int]:
    """Send due messages; return (sent, failed). A failure is recorded and retried later."""
    url = current_app.config.get("MAIL_URL")
    if not url:
        return 0, 0
    settings = parse_mail_url(url)
    now = utcnow()
    due = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None))
        .where(OutboxMessage.attempts < current_app.config["MAIL_MAX_ATTEMPTS"])
        .where(or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
        .order_by(OutboxMessage.id)
        .limit(limit)
        # Held until this run commits: a withdrawal re-making these messages waits for it (or
        # holds them first, and they go next time, re-made), and two runs never send one twice.
        .with_for_update(skip_locked=True)
    ).all()
    if not due:
        return 0, 0
    sent = failed = 0
    try:
        connection = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        for message in due:
            _failed(message, error)
        return 0, len(due)
    with connection:
        for message in due:
            try:
                connection.send_message(_as_email(message, current_app.config["MAIL_SENDER"]))
            except (OSError, smtplib.SMTPException) as error:
                _failed(message, error)
                failed += 1
            else:
                message.sent_at = utcnow()
                message.attempts += 1
                sent += 1
    return sent, failed


def _failed(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.next_attempt_at = utcnow() + retry_delay(message.attempts)
