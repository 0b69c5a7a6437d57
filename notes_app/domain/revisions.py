"""Comparing two revisions of a draft, line by line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Op = Literal["same", "added", "removed", "hunk"]


@dataclass(frozen=True)
class DiffLine:
    op: Op
    text: str


_OPS: dict[str, Op] = {" ": "same", "+": "added", "-": "removed", "@": "hunk"}


def diff_lines(old: str, new: str, context: int = 3) -> list[DiffLine]:
    """Return the changed lines between two texts, with a little context around each change."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context)
    result = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        result.append(DiffLine(_OPS[line[:1]], line[1:] if line[:1] != "@" else line))
    return result
