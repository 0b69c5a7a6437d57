"""What redaction reports: each change and why, the warnings, the checks that ran, the leaks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    """One change redaction made: under which rule, where, what, and what replaced it."""

    rule: str
    item_id: str
    action: str
    replacement: str = ""


@dataclass(frozen=True)
class ReportWarning:
    """Something a facilitator must look at and confirm before publishing."""

    kind: str
    item_id: str
    message: str


@dataclass(frozen=True)
class Leak:
    """Protected or confidential text found in the final HTML: publication is refused."""

    kind: str
    what: str
    item_id: str
    view: str
    normal_form: str


@dataclass(frozen=True)
class Report:
    """What redaction did and found; for facilitators only."""

    changes: tuple[Change, ...] = ()
    warnings: tuple[ReportWarning, ...] = ()
    checks: tuple[str, ...] = ()
    leaks: tuple[Leak, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.leaks


@dataclass
class Log:
    """Collects the report while redaction runs, without duplicates."""

    changes: list[Change] = field(default_factory=list)
    warnings: dict[ReportWarning, None] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    leaks: dict[Leak, None] = field(default_factory=dict)

    def warn(self, kind: str, item_id: str, message: str) -> None:
        self.warnings[ReportWarning(kind, item_id, message)] = None

    def report(self) -> Report:
        return Report(
            tuple(self.changes), tuple(self.warnings), tuple(self.checks), tuple(self.leaks)
        )
