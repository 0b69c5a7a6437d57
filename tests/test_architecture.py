"""The domain core stays free of web and database libraries."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "notes_app"
DOMAIN = PACKAGE / "domain"
FORBIDDEN = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy", "werkzeug")


def module_name(path: Path) -> str:
    """Name the module a source file is (a package by its `__init__.py`)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


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
    files = sorted(DOMAIN.rglob("*.py"))
    assert files, "the domain package is empty"
    for path in files:
        assert not imported_modules(path) & set(FORBIDDEN), path.relative_to(DOMAIN)


def test_importing_the_domain_loads_no_web_or_database_library():
    modules = ", ".join(f"'{module_name(p)}'" for p in sorted(DOMAIN.rglob("*.py")))
    probe = (
        "import importlib, sys\n"
        f"for name in [{modules}]: importlib.import_module(name)\n"
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
