"""The speaker handle: the one rule for what may follow `@` in the notes and in a speaker's record.

A handle is 1 to 64 characters: ASCII letters, digits, ``_``, ``.`` and ``-``, starting and
ending with a letter, a digit or ``_``. It must end that way because in the notes a statement is
``@handle:`` and a handle ending in ``.`` or ``-`` would read ``@robin.: x`` or ``@robin-: x`` as
punctuation after ``@robin``; the notes format would then write a statement it cannot read back.
ASCII only, so that two handles that look the same (a Cyrillic ``о`` in ``rоbin``) cannot
point at two speakers. 64 is the length the database keeps.
"""

from __future__ import annotations

import re

MAX_LENGTH = 64
PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?"
RULE = (
    "may hold only letters, digits, '_', '.' and '-' (at most 64), "
    "and must start and end with a letter, a digit or '_'"
)

_HANDLE = re.compile(PATTERN)


def is_handle(text: str) -> bool:
    """Tell whether a text is a valid speaker handle."""
    return _HANDLE.fullmatch(text) is not None
