"""The outbox keeps every message; SMTP sends them; failures are retried, never lost."""

import smtplib

import pytest

from notes_app.extensions import db
from notes_app.models import OutboxMessage
from notes_app.services import mail
from notes_app.services.errors import ServiceError
from notes_app.worker import deliver_due


def deliver() -> tuple[int, int]:
    delivery = deliver_due()
    return delivery.sent, delivery.failed


class FakeSMTP:
    sent: list = []
    fail_for: set = set()

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def quit(self):
        pass

    def close(self):
        pass

    def send_message(self, message):
        if message["To"] in self.fail_for:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no")})
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail_for = [], set()
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config["MAIL_URL"] = "smtp://mail.invalid:2525"
    yield FakeSMTP
    app.config["MAIL_URL"] = None


def queue_two(app):
    with app.app_context():
        mail.queue("a@example.org", "First", "Plain text", "<p>HTML</p>")
        mail.queue("b@example.org", "Second", "Plain text")
        db.session.commit()


def test_without_smtp_messages_stay_in_the_outbox(app):
    queue_two(app)
    with app.app_context():
        with pytest.raises(ServiceError, match="NOTES_MAIL_URL"):
            deliver()
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 2
        assert mail.count_waiting() == 2


def test_smtp_sends_text_and_html_parts(app, smtp):
    queue_two(app)
    with app.app_context():
        assert deliver() == (2, 0)
        db.session.commit()
        assert all(m.sent_at for m in db.session.scalars(db.select(OutboxMessage)))
        assert deliver() == (0, 0)  # nothing is sent twice
    first = smtp.sent[0]
    assert first["Subject"] == "First"
    assert {part.get_content_type() for part in first.walk()} >= {"text/plain", "text/html"}


def test_a_failed_send_is_kept_and_retried(app, smtp):
    queue_two(app)
    smtp.fail_for = {"b@example.org"}
    with app.app_context():
        assert deliver() == (1, 1)
        db.session.commit()
        failed = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        ).one()
        assert failed.attempts == 1 and "SMTPRecipientsRefused" in failed.last_error
        failed.next_attempt_at = None  # as if the back-off had passed
        db.session.commit()
        smtp.fail_for = set()
        assert deliver() == (1, 0)


def test_an_unreachable_server_charges_no_message(app, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    app.config["MAIL_URL"] = "smtp://127.0.0.1:1"
    try:
        queue_two(app)
        with app.app_context():
            with pytest.raises(mail.MailServerUnreachable, match="refused"):
                deliver()
            # An outage is not the messages' fault: none is charged an attempt or delayed.
            assert all(
                m.attempts == 0 and m.next_attempt_at is None and m.sent_at is None
                for m in db.session.scalars(db.select(OutboxMessage))
            )
    finally:
        app.config["MAIL_URL"] = None


@pytest.mark.parametrize(
    ("url", "host", "port", "ssl", "starttls", "user"),
    [
        ("smtp://localhost:1025", "localhost", 1025, False, False, None),
        ("smtps://u%40x:p@mail.example.org", "mail.example.org", 465, True, False, "u@x"),
        ("smtp://mail.example.org?starttls=1", "mail.example.org", 25, False, True, None),
    ],
)
def test_mail_urls(url, host, port, ssl, starttls, user):
    settings = mail.parse_mail_url(url)
    assert (settings.host, settings.port, settings.ssl, settings.starttls, settings.username) == (
        host,
        port,
        ssl,
        starttls,
        user,
    )


def test_a_bad_mail_url_is_a_clear_error():
    with pytest.raises(ServiceError, match="smtp://host:port"):
        mail.parse_mail_url("http://example.org")
