"""What makes a password acceptable: long enough and hard to guess, judged by zxcvbn.

zxcvbn knows English words and QWERTY keyboards. A password is therefore judged in every form
it could be guessed in (as typed; NFKC, which turns full-width "ｐａｓｓ" into "pass"; with
look-alike letters folded to Latin; and Cyrillic typed on the keys a QWERTY keyboard names,
since "пароль" is typed on the keys of "gfhjkm") and the weakest form decides.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from zxcvbn import zxcvbn

from notes_app.domain import textmatch
from notes_app.domain.canonical import strip_hidden

MAX_LENGTH = 1000
# zxcvbn refuses more than 72 characters (its cost grows with length): it judges the first 72.
JUDGED_LENGTH = 72

# The Russian (ЙЦУКЕН) and Ukrainian layouts: each letter becomes the QWERTY key it sits on.
_RUSSIAN_KEYS = "йцукенгшщзхъфывапролджэячсмитьбюё"
_QWERTY_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_KEYBOARD = str.maketrans(
    {
        **dict(zip(_RUSSIAN_KEYS, _QWERTY_KEYS, strict=True)),
        **dict(zip(_RUSSIAN_KEYS.upper(), _QWERTY_KEYS.upper(), strict=True)),
        **dict(zip("іїєґІЇЄҐ", "s]'`S]'`", strict=True)),
    }
)

# Among the first guesses of any cracker, and scored too kindly by zxcvbn once a year and a
# symbol are added ("Summer2024!!"): a season, month, weekday or stock word, with nothing but
# digits and symbols around it.
_COMMON_WORDS = frozenset(
    [
        *("spring", "summer", "autumn", "fall", "winter"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("password", "passwort", "welcome", "letmein", "changeme", "admin", "login"),
        *("qwerty", "iloveyou", "secret", "monkey", "dragon", "master", "sunshine"),
        *("princess", "football", "baseball", "hello", "freedom", "whatever"),
    ]
)
_WORD_WITH_DIGITS = re.compile(r"[\W\d_]*([^\W\d_]+)[\W\d_]*")


def fold(text: str) -> str:
    """Return text as it reads to the eye: the matching's own fold (compatibility form, no
    accents, look-alike letters mapped with Unicode's confusables data, case folded)."""
    return textmatch.fold(text)


def _forms(password: str) -> list[str]:
    """Return the distinct forms a guesser could try the password in, as typed first."""
    # Invisible characters (a zero-width space inside "password") change nothing a guesser types.
    nfkc = unicodedata.normalize("NFKC", strip_hidden(password))
    forms = [password, nfkc, fold(nfkc), nfkc.translate(_KEYBOARD)]
    return list(dict.fromkeys(forms))


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def _personal_words(name: str, email: str) -> tuple[list[str], list[str]]:
    """Return the words zxcvbn should know, and those a password must not contain at all."""
    local, _, domain = email.lower().partition("@")
    words = [name, *re.split(r"[\W_]+", name), local, *re.split(r"[\W_]+", local)]
    known = {w.lower() for w in [*words, email, domain, *domain.split(".")] if len(w) >= 3}
    known |= {fold(w) for w in known}
    # The mail domain is often shared (example.org, a public provider): zxcvbn may weigh it,
    # but only the person's own words are refused outright.
    forbidden = {_letters(w) for w in words if len(_letters(w)) >= 4}
    return sorted(known), sorted(forbidden)


def _is_common_word_with_digits(form: str) -> bool:
    found = _WORD_WITH_DIGITS.fullmatch(fold(form))
    return bool(found and found.group(1) in _COMMON_WORDS)


def password_problem(
    password: str, *, min_length: int, min_score: int, name: str = "", email: str = ""
) -> str | None:
    """Return why a new password is refused, in plain words, or None if it is acceptable."""
    if len(password) < min_length:
        return f"The password must be at least {min_length} characters long."
    if len(password) > MAX_LENGTH:
        return "The password is too long."
    forms = _forms(password)
    known, forbidden = _personal_words(name, email)
    if any(word in _letters(form) for form in forms for word in forbidden):
        return "The password must not contain your name or email address."
    results: list[dict[str, Any]] = [
        zxcvbn(form[:JUDGED_LENGTH], user_inputs=known) for form in forms
    ]
    weakest = min(results, key=lambda result: result["score"])
    if weakest["score"] >= min_score:
        if any(_is_common_word_with_digits(form) for form in forms):
            return _too_easy(
                "A season, month or common word with a year or digits is an early guess."
            )
        return None
    feedback = weakest["feedback"]
    advice = " ".join([feedback.get("warning") or "", *feedback.get("suggestions", [])]).strip()
    return _too_easy(advice or "Add a few uncommon words.")


def _too_easy(advice: str) -> str:
    return "This password is too easy to guess: it is common, or close to a known one. " + advice
