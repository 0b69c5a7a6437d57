"""The domain core stays free of web and database libraries."""

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "notes_app" / "domain"
FORBIDDEN = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy", "werkzeug")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_sources_import_no_web_or_database_library():
    files = sorted(DOMAIN.glob("*.py"))
    assert files, "the domain package is empty"
    for path in files:
        assert not imported_modules(path) & set(FORBIDDEN), path.name


def test_importing_the_domain_loads_no_web_or_database_library():
    modules = ", ".join(f"'notes_app.domain.{p.stem}'" for p in DOMAIN.glob("*.py"))
    probe = (
        "import importlib, sys\n"
        f"for name in [{modules}]: importlib.import_module(name)\n"
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
