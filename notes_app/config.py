"""Settings, read from the environment (`NOTES_*`)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


class ConfigError(RuntimeError):
    """The environment does not describe a usable configuration."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


class Config:
    """Production settings; anything unsafe must be asked for explicitly."""

    ENV_NAME = "production"
    DEBUG = False
    TESTING = False

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    SESSION_COOKIE_NAME = "notes_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    WTF_CSRF_TIME_LIMIT = None  # the token is bound to the session, which expires anyway

    # Failed logins from one client address, and failed logins to one account from anywhere.
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_LOGIN_ACCOUNT = "5 per 15 minutes"
    # Reset links asked for from one address, and sent to one account (no mail bombing).
    RATELIMIT_PASSWORD_RESET = "5 per minute;20 per hour"  # noqa: S105 (a rate)
    RATELIMIT_PASSWORD_RESET_ACCOUNT = "3 per hour"  # noqa: S105 (a rate)
    # Per person (or per address for anyone not logged in).
    RATELIMIT_INVITATIONS = "30 per hour;100 per day"
    RATELIMIT_CONSENT_REQUESTS = "20 per hour"
    RATELIMIT_COMMENTS = "10 per minute;60 per hour"
    # Edits re-render and re-index one comment: looser than posting, but no flood.
    RATELIMIT_COMMENT_EDITS = "60 per minute;300 per hour"
    # Comments refused by the gate, posts and edits together (one limit per member).
    RATELIMIT_COMMENT_REFUSALS = "5 per 10 minutes;20 per day"
    RATELIMIT_HEADERS_ENABLED = True

    # Request bodies: a notes paste at its longest (domain/limits.py) fits well within these.
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    MAX_FORM_PARTS = 1000
    HSTS = "max-age=31536000; includeSubDomains"

    # At most one consent request to a speaker per meeting in this time, however often asked.
    CONSENT_REQUEST_INTERVAL = timedelta(minutes=10)
    INVITATION_LIFETIME = timedelta(days=14)
    PASSWORD_RESET_LIFETIME = timedelta(hours=2)
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_MIN_SCORE = 3  # zxcvbn's 0-4 guessability score
    SESSION_TOUCH_INTERVAL = timedelta(minutes=5)  # how stale a session's last_seen_at may get
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method name)
    MAIL_SENDER = "Notes <notes@localhost>"
    MAIL_MAX_ATTEMPTS = 8
    MAIL_TIMEOUT = 10  # seconds; the worker holds one message (on SQLite, the database) this long
    MAIL_TO_TERMINAL = False  # development prints the mail it cannot send
    WORKER_POLL_SECONDS = 1.0

    def __init__(self, instance_path: str | None = None) -> None:
        self.SQLALCHEMY_DATABASE_URI = _env("NOTES_DATABASE_URL") or _sqlite_default(instance_path)
        self.SECRET_KEY = _env("NOTES_SECRET_KEY") or self.fallback_secret_key(instance_path)
        self.MAIL_URL = _env("NOTES_MAIL_URL")
        self.MAIL_SENDER = _env("NOTES_MAIL_SENDER", self.MAIL_SENDER)
        self.MAIL_RETENTION_DAYS = _count("NOTES_MAIL_RETENTION_DAYS", 7)
        self.BASE_URL = _env("NOTES_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.RATELIMIT_STORAGE_URI = _env("NOTES_REDIS_URL", "memory://")
        self.PROXY_HOPS = _count("NOTES_PROXY_HOPS", 0)
        idle_hours = _count("NOTES_SESSION_IDLE_HOURS", 12, minimum=1)
        self.SESSION_IDLE_LIFETIME = timedelta(hours=idle_hours)

    def fallback_secret_key(self, instance_path: str | None) -> str:
        raise ConfigError(
            "NOTES_SECRET_KEY must be set outside development (NOTES_ENV=development)"
        )


class DevelopmentConfig(Config):
    """Local development: plain-HTTP cookies and a generated key kept in the instance folder."""

    ENV_NAME = "development"
    DEBUG = _env("NOTES_DEBUG") == "1"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    MAIL_TO_TERMINAL = True
    HSTS = None  # plain HTTP on localhost

    def fallback_secret_key(self, instance_path: str | None) -> str:
        path = Path(instance_path or "instance") / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


class TestConfig(DevelopmentConfig):
    """The test suite: a throwaway key and the test database."""

    __test__ = False  # not a pytest test class, despite the name

    ENV_NAME = "test"
    TESTING = True
    DEBUG = False
    SQLALCHEMY_RECORD_QUERIES = True
    # A deliberately cheap hash keeps the suite fast; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 (a method name)
    # Tests ask the same speaker several times in a row; the test of the interval sets it.
    CONSENT_REQUEST_INTERVAL = timedelta(0)

    def __init__(self, instance_path: str | None = None, database_url: str | None = None) -> None:
        super().__init__(instance_path)
        self.SECRET_KEY = secrets.token_urlsafe(32)
        self.SQLALCHEMY_DATABASE_URI = database_url or self.SQLALCHEMY_DATABASE_URI
        self.MAIL_URL = None
        self.MAIL_TO_TERMINAL = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.BASE_URL = "http://localhost"


def _count(name: str, default: int, *, minimum: int = 0) -> int:
    value = _env(name, str(default))
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise ConfigError(f"{name} must be a whole number of at least {minimum}, not {value!r}")
    return int(value)


def _sqlite_default(instance_path: str | None) -> str:
    path = Path(instance_path or "instance") / "notes.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def config_from_environment(instance_path: str) -> Config:
    """Pick the settings class named by `NOTES_ENV` (production unless told otherwise)."""
    name = _env("NOTES_ENV", "production")
    classes = {"production": Config, "development": DevelopmentConfig}
    if name not in classes:
        raise ConfigError(f"NOTES_ENV must be one of {', '.join(classes)}, not {name!r}")
    return classes[name](instance_path)
