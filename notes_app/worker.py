"""The worker: sends the outbox as messages fall due, and runs the periodic jobs.

Like the request life cycle and the commands, this is a place that commits: one short
transaction per message or job, and none while it waits. Several workers may run against one
database: a message is held while it is sent, so another worker skips it (PostgreSQL) or waits
for the database (SQLite), and the jobs are safe to run twice.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from notes_app.extensions import db
from notes_app.services import mail, send_checks
from notes_app.services.errors import ServiceError

log = logging.getLogger("notes_app.worker")

OUTAGE_BACKOFF_MAX = 60.0  # seconds between tries while the mail server or database is down


@dataclass
class Job:
    """Something the worker does every so often; it returns a line for the log."""

    name: str
    every: timedelta
    run: Callable[[], str]
    due_at: float = field(default=0.0)  # monotonic seconds; 0 runs it when the worker starts


def purge_mail_bodies() -> str:
    return f"deleted the bodies of {mail.purge_sent_bodies()} sent message(s)"


def periodic_jobs() -> list[Job]:
    """The scheduled jobs, in the order they run when several are due."""
    return [Job("mail retention", timedelta(hours=1), purge_mail_bodies)]


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    withheld: int = 0


def deliver_due(should_stop: Callable[[], bool] = lambda: False) -> Delivery:
    """Send every message that is due, one short transaction each, each checked again as it
    goes (`services/send_checks.py`); return the counts.

    Raises `MailServerUnreachable` when the server cannot be reached (no message is charged an
    attempt for that) and `ServiceError` when mail is not configured.
    """
    delivery = Delivery()
    due = mail.has_due()
    db.session.rollback()  # never keep a transaction open while connecting or waiting
    if not due:
        return delivery
    transport = mail.open_transport()
    try:
        while not should_stop():
            try:
                result = mail.send_next(transport, send_checks.check)
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
            if result is None:
                break
            message, outcome = result
            if outcome is mail.Outcome.SENT:
                delivery.sent += 1
                log.info("sent message %s (%s)", message.id, message.kind or "mail")
                continue
            if outcome is mail.Outcome.WITHHELD:
                delivery.withheld += 1
                log.info(
                    "withheld message %s (%s): %s",
                    message.id,
                    message.kind,
                    message.withheld_reason,
                )
                continue
            delivery.failed += 1
            log.warning(
                "message %s (%s) failed, attempt %s: %s",
                message.id,
                message.kind or "mail",
                message.attempts,
                message.last_error,
            )
            if outcome is mail.Outcome.BROKEN:
                transport.close()
                transport = mail.open_transport()
    finally:
        transport.close()
    return delivery


class Worker:
    """The long-running loop; SIGTERM or SIGINT stop it after the message in hand."""

    def __init__(self, app: Flask, jobs: list[Job] | None = None) -> None:
        self.app = app
        self.jobs = periodic_jobs() if jobs is None else jobs
        self.poll = float(app.config["WORKER_POLL_SECONDS"])
        self.stopping = False
        self._backoff = 0.0
        self._said_unconfigured = False

    def stop(self, *_signal_args) -> None:
        self.stopping = True

    def run(self) -> None:
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            with self.app.app_context():
                log.info("worker started (polling every %ss)", self.poll)
                while not self.stopping:
                    self.run_due_jobs()
                    self._sleep(self.deliver_once())
                db.session.remove()
            log.info("worker stopped")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def deliver_once(self) -> float:
        """Send what is due; return how long to wait before looking again."""
        try:
            if not mail.mail_configured():
                self._say_unconfigured()
                return self.poll
            deliver_due(lambda: self.stopping)
        except mail.MailServerUnreachable as error:
            return self._outage(f"the mail server is unreachable: {error}")
        except SQLAlchemyError as error:
            db.session.rollback()
            return self._outage(f"the database is unreachable: {type(error).__name__}")
        except Exception:  # a bug must not stop the mail for everyone: log it, wait, go on
            db.session.rollback()
            log.exception("delivery failed unexpectedly")
            return self._outage("delivery failed unexpectedly")
        self._backoff = 0.0
        return self.poll

    def run_due_jobs(self) -> None:
        for job in self.jobs:
            if self.stopping or time.monotonic() < job.due_at:
                continue
            job.due_at = time.monotonic() + job.every.total_seconds()
            try:
                line = job.run()
                db.session.commit()
            except (SQLAlchemyError, ServiceError) as error:
                db.session.rollback()
                log.error("job %r failed: %s; it runs again in %s", job.name, error, job.every)
            else:
                log.info("%s: %s", job.name, line)

    def _outage(self, what: str) -> float:
        self._backoff = min(max(self._backoff * 2, self.poll), OUTAGE_BACKOFF_MAX)
        log.warning("%s; trying again in %.0fs", what, self._backoff)
        return self._backoff

    def _say_unconfigured(self) -> None:
        if not self._said_unconfigured:
            self._said_unconfigured = True
            waiting = mail.count_waiting()
            db.session.rollback()
            log.warning(
                "mail is not configured (set NOTES_MAIL_URL): %s message(s) wait in the outbox",
                waiting,
            )

    def _sleep(self, seconds: float) -> None:
        # Short naps, so that a signal stops the worker at once.
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.1, max(end - time.monotonic(), 0)))
