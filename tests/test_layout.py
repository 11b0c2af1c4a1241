"""The layout the design promises (docs/DESIGN.md), checked on the source itself:

- every module imports alone, in a fresh interpreter (no hidden order between modules);
- no import cycle anywhere in redline/ (imports inside functions count too: a cycle hidden in a
  function is still two modules that cannot be understood apart);
- one blueprint area of redline/views never imports another (what they share lives in
  redline/web or the services);
- views stay thin: no query, no session rollback of their own (redline.web.failures does it),
  no route longer than about 25 lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "redline"
MAX_ROUTE_LINES = 25


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _imported(name: str, tree: ast.AST) -> set[str]:
    """The redline modules `name` imports: `from a.b import c` names a.b.c when c is a module,
    else a.b. A package is not counted as imported by its own submodules' imports: Python runs
    the package's __init__ first, but that is the package assembling itself, not a dependency."""
    is_package = MODULES[name].name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = name.split(".") if is_package else name.split(".")[:-1]
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in MODULES:
                    found.add(full)
                elif base in MODULES:
                    found.add(base)
    return found - {name}


GRAPH = {name: _imported(name, tree) for name, tree in TREES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e2"}, "e2": set()}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert _cycles(GRAPH) == []


def _view_area(name: str) -> str | None:
    """redline.views.<area>[.<module>] -> area; the registrar redline.views itself -> None."""
    parts = name.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["redline", "views"] else None


def test_view_areas_never_import_each_other():
    crossings = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if _view_area(name) is not None
        for target in targets
        if _view_area(target) not in (None, _view_area(name))
    ]
    assert crossings == []


def test_only_views_import_views():
    """The registrar (redline.views) is the only way in from outside: the API, the services
    and the rest never borrow from the HTML views."""
    borrowing = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if not name.startswith("redline.views") and name != "redline"
        for target in targets
        if target.startswith("redline.views")
    ]
    assert borrowing == []


def test_services_and_domain_stay_clear_of_the_web():
    """The services and the domain work without a request: no Flask-bound module."""
    web = ("redline.security", "redline.views", "redline.api", "redline.web", "redline.cli")
    reaching = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if name.startswith(("redline.services", "redline.domain"))
        for target in targets
        if target.startswith(web)
    ]
    assert reaching == []


QUERY_CALLS = {"execute", "scalars", "scalar", "get", "query", "select", "rollback"}


def _view_modules():
    return [(n, t) for n, t in TREES.items() if n.startswith("redline.views.")]


def test_views_do_not_query_or_roll_back():
    """Queries live in services (named in the drafters' words); a refused write is rolled back
    by redline.web.failures.refused_with, not by a block pasted into each view."""
    found = []
    for name, tree in _view_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                found += [f"{name}: imports {m}" for m in modules if m.startswith("sqlalchemy")]
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in QUERY_CALLS
                and ast.unparse(node.func.value) in ("db.session", "db", "sa")
            ):
                found.append(f"{name}:{node.lineno}: {ast.unparse(node.func)}")
    assert found == []


def _is_route(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in {
        "route",
        "get",
        "post",
        "put",
        "patch",
        "delete",
    }


def test_routes_are_short():
    long = [
        f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for name, tree in _view_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(_is_route(d) for d in node.decorator_list)
        and node.end_lineno - node.lineno + 1 > MAX_ROUTE_LINES
    ]
    assert long == []


# Run in a fresh interpreter: the third-party libraries are imported once, then a forked child
# per module imports that module alone (no redline module loaded before it).
ALONE = r"""
import importlib, os, sys, traceback
names = sys.argv[1:]
for lib in ("flask", "flask_login", "flask_wtf", "flask_migrate", "flask_sqlalchemy",
            "sqlalchemy", "jinja2", "werkzeug", "click", "markupsafe"):
    try:
        importlib.import_module(lib)
    except ImportError:
        pass
failed = []
for name in names:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        failed.append(name)
print("FAILED:" + ",".join(failed))
"""


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_every_module_imports_alone():
    result = subprocess.run(
        [sys.executable, "-c", ALONE, *sorted(MODULES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "FAILED:", result.stderr[-3000:]
