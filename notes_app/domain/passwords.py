"""What makes a password acceptable: long enough and hard to guess, judged by zxcvbn."""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

MAX_LENGTH = 1000
# zxcvbn refuses more than 72 characters (its cost grows with length): it judges the first 72.
JUDGED_LENGTH = 72


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _personal_words(name: str, email: str) -> tuple[list[str], list[str]]:
    """Return the words zxcvbn should know, and those a password must not contain at all."""
    local, _, domain = email.lower().partition("@")
    words = [name, *re.split(r"[\W_]+", name), local, *re.split(r"[\W_]+", local)]
    known = {w.lower() for w in [*words, email, domain, *domain.split(".")] if len(w) >= 3}
    # The mail domain is often shared (example.org, a public provider): zxcvbn may weigh it,
    # but only the person's own words are refused outright.
    forbidden = {_letters(w) for w in words if len(_letters(w)) >= 4}
    return sorted(known), sorted(forbidden)


def password_problem(
    password: str, *, min_length: int, min_score: int, name: str = "", email: str = ""
) -> str | None:
    """Return why a new password is refused, in plain words, or None if it is acceptable."""
    if len(password) < min_length:
        return f"The password must be at least {min_length} characters long."
    if len(password) > MAX_LENGTH:
        return "The password is too long."
    known, forbidden = _personal_words(name, email)
    if any(word in _letters(password) for word in forbidden):
        return "The password must not contain your name or email address."
    result = zxcvbn(password[:JUDGED_LENGTH], user_inputs=known)
    if result["score"] >= min_score:
        return None
    feedback = result["feedback"]
    advice = " ".join([feedback.get("warning") or "", *feedback.get("suggestions", [])]).strip()
    return (
        "This password is too easy to guess: it is common, or close to a known one. "
        + (advice or "Add a few uncommon words.")
    ).strip()
