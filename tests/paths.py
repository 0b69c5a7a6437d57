"""Where the suite's own fixture files are, and the real posts that may lie beside the clone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVENT_POSTS = sorted((FIXTURES / "event_posts").glob("*.md"))
DESIGN = PROJECT_ROOT / "docs" / "DESIGN.md"


def shared_fixtures() -> Path:
    """Return the folder of real event posts beside the clone: skip without it, fail in CI."""
    folder = Path(
        os.environ.get("NOTES_SHARED_FIXTURES") or PROJECT_ROOT.parent / "shared" / "fixtures"
    )
    if sorted(folder.glob("*.md")):
        return folder
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the real-post test, but {folder} holds no posts")
    pytest.skip(f"no real event posts at {folder} (set NOTES_SHARED_FIXTURES to run this test)")
