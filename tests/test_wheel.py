"""The built wheel stands on its own: installed into a fresh venv, it migrates and serves."""

from __future__ import annotations

import os
import shutil
import site
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.paths import PROJECT_ROOT

# What a build must not see: local state that a fresh clone does not have.
LOCAL_STATE = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", "*.pyc", "instance", "build", "dist", "*.egg-info",
    ".pytest_cache", ".ruff_cache", ".hypothesis", ".coverage", "htmlcov", "screenshots",
    "node_modules",
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the source tree, as a fresh clone would."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(PROJECT_ROOT, source, ignore=LOCAL_STATE)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--wheel-dir", str(work / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = (work / "dist").glob("notes_app-*.whl")
    return built


def test_the_wheel_carries_templates_static_files_and_migrations(wheel):
    with zipfile.ZipFile(wheel) as archive:
        carried = set(archive.namelist())
    expected = {
        f"notes_app/{folder}/{path.relative_to(PROJECT_ROOT / folder).as_posix()}"
        for folder in ("templates", "migrations")
        for path in (PROJECT_ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    expected |= {
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in (PROJECT_ROOT / "notes_app" / "static").rglob("*")
        if path.is_file()
    }
    assert len(expected) > 60
    assert expected - carried == set()


def test_an_installed_wheel_migrates_and_serves_the_login_page(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The venv borrows the installed dependencies (no network), but not this checkout's code:
    # directories named in a .pth file do not have their own .pth files (the editable
    # install's hook) read.
    (target,) = Path(venv / "lib").glob("python3*/site-packages")
    (target / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '')}",
        "NOTES_DATABASE_URL": f"sqlite:///{tmp_path / 'notes.sqlite3'}",
        "NOTES_SECRET_KEY": "a-secret-for-this-test-only",
    }
    where = subprocess.run(
        [python, "-c", "import notes_app; print(notes_app.__file__)"],
        cwd=empty, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(venv)
    upgrade = subprocess.run(
        [venv / "bin" / "notes-app", "db", "upgrade"],
        cwd=empty, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert upgrade.returncode == 0, upgrade.stderr
    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "notes_app:create_app()"],
        cwd=empty, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        page = fetch_when_up(f"http://127.0.0.1:{port}/login", server)
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stderr.close()
    assert "<h1>Log in</h1>" in page and 'name="csrf_token"' in page
    assert list(empty.iterdir()) == []  # nothing written beside the working directory


def fetch_when_up(url: str, server: subprocess.Popen, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (localhost)
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {timeout} s")
