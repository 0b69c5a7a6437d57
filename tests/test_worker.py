"""The worker sends the outbox by itself, survives outages and restarts, and stops cleanly.

The acceptance tests run `notes-app worker` as a separate process, as the README says, against
a real SMTP server (aiosmtpd) and the test database; nobody runs `mail deliver`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from notes_app import create_app
from notes_app.config import TestConfig
from notes_app.extensions import db
from notes_app.models import OutboxMessage
from notes_app.models.types import utcnow
from notes_app.services import mail, publishing
from notes_app.worker import Worker, periodic_jobs
from tests.conftest import NOTES_FILE, drop_everything, empty_tables, require_service
from tests.mailserver import MailServer

NOTES_APP = Path(sys.executable).with_name("notes-app")
CANARY = "Canary body 7f3a: Robin Example said the funder will cut the programme"


class WorkerProcess:
    """`notes-app worker` in its own process, with its output kept in files."""

    def __init__(self, tmp_path: Path, database_url: str, mail_url: str | None, **env: str):
        self.tmp_path = tmp_path
        environment = {k: v for k, v in os.environ.items() if not k.startswith("NOTES_")}
        environment.update(
            NOTES_DATABASE_URL=database_url, NOTES_SECRET_KEY="worker-test-key", **env
        )
        if mail_url:
            environment["NOTES_MAIL_URL"] = mail_url
        number = len(list(tmp_path.glob("worker-*.err")))
        self.out = tmp_path / f"worker-{number}.out"
        self.err = tmp_path / f"worker-{number}.err"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [str(NOTES_APP), "worker"], env=environment, stdout=out, stderr=err
            )

    def log(self) -> str:
        return self.err.read_text()

    def output(self) -> str:
        return self.out.read_text()

    def wait_for_log(self, needle: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.log():
            assert self.process.poll() is None, f"the worker died:\n{self.log()}"
            assert time.monotonic() < deadline, f"no {needle!r} in:\n{self.log()}"
            time.sleep(0.05)

    def terminate(self, timeout: float = 10) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


@pytest.fixture
def start_worker(app, database_url, tmp_path):
    started: list[WorkerProcess] = []

    def start(
        mail_url: str | None, *, url: str | None = None, count: int = 1, **env: str
    ) -> WorkerProcess | list[WorkerProcess]:
        workers = [WorkerProcess(tmp_path, url or database_url, mail_url, **env)]
        for _ in range(count - 1):  # started together, so the test waits for one start-up
            workers.append(WorkerProcess(tmp_path, url or database_url, mail_url, **env))
        started.extend(workers)
        for worker in workers:
            worker.wait_for_log("worker started")
        return workers[0] if count == 1 else workers

    yield start
    for worker in started:
        worker.terminate()


@pytest.fixture
def smtp_server():
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def circulating(app, create_user, create_network, add_member, create_meeting):
    """A network of four with a meeting ready to publish; returns publish() and the emails."""
    network = create_network("river-network", "River network")
    facilitator = create_user("fac@example.org", "Fay Facilitator")
    add_member(network, facilitator, "facilitator")
    emails = {"fac@example.org"}
    for number in range(3):
        member = create_user(f"member{number}@example.org", f"Member {number}")
        add_member(network, member, "member")
        emails.add(member.email)
    meeting = create_meeting(network, "Monthly meeting", NOTES_FILE)

    def publish() -> None:
        with app.app_context():
            publishing.publish(
                db.session.merge(meeting), actor_id=facilitator.id, accept_warnings=True
            )
            db.session.commit()

    return publish, emails


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def queue(app, count: int, body: str = "Plain text") -> None:
    with app.app_context():
        for number in range(count):
            mail.queue(f"person{number}@example.org", f"Message {number}", body)
        db.session.commit()


def assert_each_once(received, emails) -> None:
    ids = [message["Message-ID"] for message in received]
    assert len(ids) == len(set(ids)), "a message was sent twice"
    assert sorted(message["To"] for message in received) == sorted(emails)


# Acceptance: a real worker process and a real SMTP server -----------------------------------


def test_a_publication_reaches_the_mail_server_within_seconds(
    app, start_worker, smtp_server, circulating
):
    publish, emails = circulating
    start_worker(smtp_server.url)
    published_at = time.monotonic()
    publish()
    received = smtp_server.wait_for(len(emails), timeout=10)
    took = time.monotonic() - published_at
    assert len(received) == len(emails), f"only {len(received)} arrived in {took:.1f}s"
    assert took < 10
    assert_each_once(received, emails)
    assert {message["Subject"] for message in received} == {"Notes: Monthly meeting"}
    assert all(message.sent_at for message in outbox(app))


def test_an_smtp_outage_loses_nothing_and_sends_each_message_once(
    app, start_worker, smtp_server, circulating
):
    publish, emails = circulating
    smtp_server.stop()
    worker = start_worker(smtp_server.url)
    publish()
    worker.wait_for_log("mail server is unreachable")
    assert smtp_server.messages() == []
    assert all(m.sent_at is None and m.attempts == 0 for m in outbox(app))
    smtp_server.start()
    received = smtp_server.wait_for(len(emails), timeout=15)
    assert len(received) == len(emails), worker.log()
    time.sleep(1.5)  # another poll or two: nothing goes twice
    assert_each_once(smtp_server.messages(), emails)
    assert all(m.sent_at for m in outbox(app))


def test_sigterm_finishes_the_message_in_hand_and_exits_cleanly(app, start_worker, tmp_path):
    server = MailServer(delay=0.5)
    server.start()
    try:
        worker = start_worker(server.url)
        queue(app, 4)
        server.wait_for(1, timeout=10)
        stopped_at = time.monotonic()
        assert worker.terminate() == 0, worker.log()
        assert time.monotonic() - stopped_at < 3
    finally:
        server.stop()
    assert "worker stopped" in worker.log()
    sent = [m for m in outbox(app) if m.sent_at]
    # Everything the server took is marked sent, and the worker did not drain the queue first.
    assert len(sent) == len(server.messages()) < 4


def test_an_idle_worker_stops_at_once_on_sigterm(start_worker, smtp_server):
    worker = start_worker(smtp_server.url)
    stopped_at = time.monotonic()
    assert worker.terminate() == 0
    assert time.monotonic() - stopped_at < 2
    assert "worker stopped" in worker.log()


def test_a_restarted_worker_sends_what_waited(app, start_worker, smtp_server):
    first = start_worker(smtp_server.url)
    assert first.terminate() == 0
    queue(app, 3)  # committed while no worker runs
    start_worker(smtp_server.url)
    assert len(smtp_server.wait_for(3, timeout=10)) == 3


def test_production_without_a_mail_server_keeps_messages_and_says_so(app, start_worker):
    queue(app, 2, body=CANARY)
    worker = start_worker(None)
    worker.wait_for_log("mail is not configured")
    assert "2 message(s) wait" in worker.log()
    time.sleep(1.2)
    assert all(m.sent_at is None for m in outbox(app))
    assert CANARY not in worker.output() + worker.log()


def test_development_without_a_mail_server_prints_the_mail(app, start_worker):
    queue(app, 1, body=CANARY)
    worker = start_worker(None, NOTES_ENV="development")
    deadline = time.monotonic() + 10
    while CANARY not in worker.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    printed = worker.output()
    assert "development mail" in printed and CANARY in printed
    assert "To: person0@example.org" in printed
    deadline = time.monotonic() + 5
    while not all(m.sent_at for m in outbox(app)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(m.sent_at for m in outbox(app))


# Several workers against PostgreSQL ------------------------------------------------------------


def _reachable(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


@pytest.fixture
def postgres_app(app, database_url, tmp_path):
    """The test app when the suite runs on PostgreSQL, else an app on a PostgreSQL of our own."""
    if database_url.startswith("postgresql"):
        yield app, database_url
        return
    url = os.environ.get(
        "NOTES_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    require_service("PostgreSQL", _reachable(url))
    other = create_app(TestConfig(instance_path=str(tmp_path), database_url=url))
    with other.app_context():
        from flask_migrate import upgrade

        drop_everything()
        upgrade()
    yield other, url
    with other.app_context():
        db.session.remove()
        empty_tables()
        db.engine.dispose()


def test_two_workers_on_postgresql_send_each_message_once(postgres_app, start_worker):
    pg_app, url = postgres_app
    # A slow server: one worker alone would take longer than a poll, so both take a share.
    server = MailServer(delay=0.05)
    server.start()
    try:
        workers = start_worker(server.url, url=url, count=2)
        queue(pg_app, 40)
        received = server.wait_for(40, timeout=20)
        time.sleep(1.5)  # let both poll again: nothing goes twice
        received = server.messages()
    finally:
        for worker in workers:
            assert worker.terminate() == 0
        server.stop()
    assert_each_once(received, [f"person{n}@example.org" for n in range(40)])
    assert all(m.sent_at and m.attempts == 1 for m in outbox(pg_app))
    shares = [worker.log().count("INFO sent message ") for worker in workers]
    assert sum(shares) == 40 and all(shares), shares


# The periodic job: retention --------------------------------------------------------------------


def test_the_retention_purge_deletes_bodies_of_old_sent_mail_only(app):
    now = utcnow()
    with app.app_context():
        for name, sent_days_ago, attempts in [
            ("old-sent", 8, 1),
            ("recent-sent", 2, 1),
            ("old-waiting", None, 0),
            ("old-failed", None, app.config["MAIL_MAX_ATTEMPTS"]),
        ]:
            db.session.add(
                OutboxMessage(
                    recipient=f"{name}@example.org",
                    subject=f"Notes: {CANARY}",
                    text=CANARY,
                    html=f"<p>{CANARY}</p>",
                    kind="notes",
                    created_at=now - timedelta(days=9),
                    sent_at=now - timedelta(days=sent_days_ago) if sent_days_ago else None,
                    attempts=attempts,
                )
            )
        db.session.commit()
        Worker(app).run_due_jobs()  # the worker runs its jobs when it starts
    kept = {m.recipient.split("@")[0]: m for m in outbox(app)}
    purged = kept.pop("old-sent")
    assert (purged.subject, purged.text, purged.html) == ("", "", "")
    assert purged.purged_at and purged.sent_at and purged.recipient  # the metadata stays
    for name, message in kept.items():
        assert CANARY in message.text and CANARY in message.html, name
        assert message.purged_at is None


def test_the_retention_period_is_a_setting(app):
    app.config["MAIL_RETENTION_DAYS"] = 1
    try:
        with app.app_context():
            mail.queue("a@example.org", "Subject", CANARY)
            db.session.flush()
            message = db.session.scalars(db.select(OutboxMessage)).one()
            message.sent_at = utcnow() - timedelta(days=2)
            db.session.commit()
            assert mail.purge_sent_bodies() == 1
            db.session.commit()
            assert mail.purge_sent_bodies() == 0  # nothing twice
    finally:
        app.config["MAIL_RETENTION_DAYS"] = 7
    assert CANARY not in outbox(app)[0].text


def test_jobs_run_when_due_and_not_before(app):
    runs = []
    job = periodic_jobs()[0]
    job.run = lambda: runs.append(1) or "ran"
    with app.app_context():
        worker = Worker(app, jobs=[job])
        worker.run_due_jobs()
        worker.run_due_jobs()
    assert runs == [1] and job.every == timedelta(hours=1)


def test_re_making_copies_never_brings_back_a_purged_body(app):
    now = utcnow()
    with app.app_context():
        for name, sent_at, purged_at in [
            ("waiting", None, None),
            ("sent", now, None),
            ("purged", now - timedelta(days=8), now),
        ]:
            db.session.add(
                OutboxMessage(
                    recipient=f"{name}@example.org",
                    subject="" if purged_at else "Old subject",
                    text="" if purged_at else CANARY,
                    html="",
                    ref="publication:1",
                    sent_at=sent_at,
                    purged_at=purged_at,
                )
            )
        db.session.commit()
        mail.remake_copies("publication:1", "New subject", "Re-made text", "<p>Re-made</p>")
        db.session.commit()
    by_name = {m.recipient.split("@")[0]: m for m in outbox(app)}
    assert by_name["waiting"].text == "Re-made text"
    for name in ("sent", "purged"):
        message = by_name[name]
        assert (message.subject, message.text, message.html) == ("", "", ""), name
        assert message.purged_at is not None


def test_a_message_the_server_refuses_is_retried_later_and_others_still_go(app, monkeypatch):
    server = MailServer()
    server.start()
    app.config["MAIL_URL"] = server.url
    try:
        queue(app, 3)
        real_send = mail.SmtpTransport.send

        def refuse_the_second(self, email):
            if email["To"] == "person1@example.org":
                raise __import__("smtplib").SMTPDataError(554, b"refused")
            real_send(self, email)

        monkeypatch.setattr(mail.SmtpTransport, "send", refuse_the_second)
        with app.app_context():
            from notes_app.worker import deliver_due

            delivery = deliver_due()
        assert (delivery.sent, delivery.failed) == (2, 1)
        refused = [m for m in outbox(app) if not m.sent_at]
        assert len(refused) == 1 and refused[0].attempts == 1 and refused[0].next_attempt_at
        assert "SMTPDataError" in refused[0].last_error
        assert len(server.messages()) == 2
    finally:
        app.config["MAIL_URL"] = None
        server.stop()


def run_cli(app, *args):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    return CliRunner().invoke(app.cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_mail_deliver_sends_what_is_due_and_exits(app, smtp_server):
    queue(app, 3)
    app.config["MAIL_URL"] = smtp_server.url
    try:
        first = run_cli(app, "mail", "deliver")
        again = run_cli(app, "mail", "deliver")
    finally:
        app.config["MAIL_URL"] = None
    assert first.exit_code == 0 and "sent 3, failed 0" in first.stdout
    assert again.exit_code == 0 and "sent 0, failed 0" in again.stdout
    assert len(smtp_server.messages()) == 3


def test_mail_deliver_exits_1_when_the_server_is_down(app):
    queue(app, 1)
    server = MailServer()  # never started: nothing listens on its port
    app.config["MAIL_URL"] = server.url
    try:
        result = run_cli(app, "mail", "deliver")
    finally:
        app.config["MAIL_URL"] = None
    assert result.exit_code == 1 and "Error:" in result.stderr
    assert all(m.sent_at is None and m.attempts == 0 for m in outbox(app))


def test_red_team_a_message_that_cannot_be_written_never_holds_up_the_others(
    app, smtp_server, start_worker
):
    """A subject with a line break once crashed every worker on start, so no mail ever left."""
    with app.app_context():
        # Written straight to the table: `mail.queue` would have folded the line break away.
        db.session.add(
            OutboxMessage(
                recipient="poison@example.org",
                subject="QZX title\r\nBcc: bcc@evil.test",
                text="Body",
                # A kind the send-time check passes as it stands (notes without a publication
                # would be withheld before they were written).
                kind="invitation",
            )
        )
        db.session.commit()
    queue(app, 2)
    worker = start_worker(smtp_server.url)
    received = smtp_server.wait_for(2, timeout=10)
    assert sorted(m["To"] for m in received) == ["person0@example.org", "person1@example.org"]
    assert worker.process.poll() is None  # still running
    poison = next(m for m in outbox(app) if m.recipient == "poison@example.org")
    assert poison.sent_at is None and "ValueError" in poison.last_error
    assert poison.attempts >= app.config["MAIL_MAX_ATTEMPTS"]  # given up: never due again
    assert all("bcc@evil.test" not in str(m.get("Bcc", "")) for m in smtp_server.messages())


def test_red_team_a_queued_subject_is_always_one_line(app):
    with app.app_context():
        mail.queue("one@example.org", "Notes: QZX\r\nBcc: bcc@evil.test\u2028x", "Body")
        db.session.commit()
    (stored,) = outbox(app)
    assert stored.subject == "Notes: QZX Bcc: bcc@evil.test x"
