"""Count the CPU instructions of publishing against bare rendering, under valgrind.

Run as `python benchmarks/bench_instructions.py` (needs Debian's `valgrind`). Instruction counts
hardly move with the neighbours on a shared machine, so this ratio is steadier than the timings
of `bench_publish.py`; both measure the same draft. Each mode runs the same set-up and warm-up
(one render and one redaction, so caches are filled), then `CALLS` more of its own action; the
difference from the set-up alone, per call, is what one call costs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CALLS = 2
MODES = ("base", "render", "redact")


def run_mode(mode: str) -> None:
    import random

    from bench_publish import build_draft, consents_for, draft_markdown

    from notes_app.domain.redaction import redact
    from notes_app.domain.rendering import render_markdown

    draft = build_draft(random.Random(20261121))
    consents = consents_for(draft)
    markdown = draft_markdown(draft)
    render_markdown(markdown)
    redact(draft, consents)
    for _ in range(CALLS if mode != "base" else 0):
        if mode == "render":
            render_markdown(markdown)
        else:
            redact(draft, consents)


def count(mode: str, valgrind: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "cachegrind.out"
        result = subprocess.run(  # noqa: S603 (our own interpreter and script)
            [
                valgrind,
                "--tool=cachegrind",
                "--cache-sim=no",
                f"--cachegrind-out-file={out}",
                sys.executable,
                __file__,
                mode,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            check=True,
        )
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if not found:
        raise SystemExit(f"no instruction count from valgrind:\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] in MODES:
        run_mode(sys.argv[1])
        return
    valgrind = shutil.which("valgrind")
    if not valgrind:
        raise SystemExit("valgrind is not installed (apt-get install -y valgrind)")
    base, render, redact = (count(mode, valgrind) for mode in MODES)
    per_render, per_redact = (render - base) / CALLS, (redact - base) / CALLS
    print(f"render_markdown {per_render / 1e6:.0f}M instructions, redact {per_redact / 1e6:.0f}M")
    print(f"instruction ratio {per_redact / per_render:.3f}x")


if __name__ == "__main__":
    main()
