"""The domain core stays free of web and database libraries, and no module imports in a circle."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "notes_app"
DOMAIN = PACKAGE / "domain"
FORBIDDEN = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy", "werkzeug")


def module_name(path: Path, root: Path = PACKAGE.parent) -> str:
    """Name the module a source file is (a package by its `__init__.py`)."""
    parts = path.relative_to(root).with_suffix("").parts
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


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Map each module of the package to the modules of the package it imports.

    Every `import` and `from ... import` counts, at module level and inside functions (an import
    moved into a function to dodge a circle is still a circle); relative imports are resolved,
    and `from package import module` is an import of the module. Importing a submodule runs its
    package's `__init__` first, but that is not counted: a package may import its own modules.
    Imports under `if TYPE_CHECKING:` count too (there are none today).
    """
    files = {module_name(path, package.parent): path for path in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - node.level + 1]
                    source = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    found.add(submodule if submodule in files else source)
        graph[name] = {module for module in found if module in files}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module, and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        # Tarjan's algorithm, iteratively: (module, the neighbours still to visit).
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            module, neighbours = work[-1]
            step = next(neighbours, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in stack:
                    low[module] = min(low[module], index[step])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1 or module in graph[module]:
                    found.append(sorted(component))
    return found


def describe(graph: dict[str, set[str]], component: list[str]) -> str:
    members = set(component)
    return "; ".join(f"{m} imports {', '.join(sorted(graph[m] & members))}" for m in component)


def test_no_module_of_the_app_imports_itself_round_a_circle():
    graph = import_graph()
    assert "notes_app.services.publishing" in graph["notes_app.web.notes"]
    found = [describe(graph, component) for component in circles(graph)]
    assert not found, "import circles: " + " | ".join(found)


def test_the_circle_check_finds_a_planted_circle(tmp_path):
    package = tmp_path / "app"
    (package / "services").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "services" / "__init__.py").write_text("")
    (package / "services" / "a.py").write_text("from app.services import b\n")
    (package / "services" / "b.py").write_text("def f():\n    from . import c\n")
    (package / "services" / "c.py").write_text("import app.services.a\n")
    (package / "services" / "d.py").write_text("from .d import x\n")
    (package / "services" / "e.py").write_text("from app.services import a\n")
    graph = import_graph(package)
    assert circles(graph) == [
        ["app.services.a", "app.services.b", "app.services.c"],
        ["app.services.d"],
    ]
