"""The floors of the house: which package may import which, and what `accord --help` and
`accord verify` load. Checked on the source, statically (no process is started)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src"
PACKAGE = SRC / "accord"

# Each floor, and the floors of the project it must never import (at any depth of its
# own modules, even inside a function).
FORBIDDEN = {
    "accord.core": {"accord.relay", "accord.node", "accord.cli", "accord.demo",
                    "accord.documents", "accord.infra"},
    "accord.infra": {"accord.relay", "accord.node", "accord.cli", "accord.demo",
                     "accord.documents"},
    "accord.documents": {"accord.relay", "accord.node", "accord.cli", "accord.demo"},
    "accord.relay": {"accord.node", "accord.cli", "accord.demo", "accord.documents"},
    "accord.node": {"accord.relay", "accord.cli", "accord.demo"},
    "accord.demo": {"accord.cli"},
}  # fmt: skip
# What starting the command line must not load: the web stack, databases, HTTP clients,
# Word and PDF. They load inside the commands that use them.
HEAVY = {"fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "psycopg", "httpx",
         "websockets", "docx", "reportlab", "jinja2", "asyncio"}  # fmt: skip


def _name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _imports(path: Path, top_level_only: bool) -> set[str]:
    """The modules `path` imports; with `top_level_only`, those imported when it loads
    (not inside functions, not under `if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if top_level_only and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return
        if (
            top_level_only
            and isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
        ):
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1],
                                 *([base] if base else [])])  # fmt: skip
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("floor", sorted(FORBIDDEN))
def test_each_floor_imports_only_what_it_may(floor: str) -> None:
    for name, path in sorted(_modules().items()):
        if not _within(name, floor):
            continue
        for imported in _imports(path, top_level_only=False):
            for above in FORBIDDEN[floor]:
                assert not _within(imported, above), f"{name} imports {imported}"


@cache
def _loaded_by(module: str) -> frozenset[str]:
    """Every module loaded when `module` loads: its top-level imports, followed through
    the project's own modules (and the packages they sit in)."""
    modules = _modules()
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        for k in range(1, len(parts)):  # importing a.b.c runs a/__init__ and a/b/__init__
            todo.append(".".join(parts[:k]))
        if name in modules:
            todo.extend(_imports(modules[name], top_level_only=True))
    return frozenset(seen)


@pytest.mark.parametrize("module", ["accord.cli", "accord.cli.verify"])
def test_the_command_line_starts_without_the_heavy_stacks(module: str) -> None:
    loaded = {name.split(".")[0] for name in _loaded_by(module)}
    assert not loaded & HEAVY, f"{module} loads {sorted(loaded & HEAVY)} at start-up"


def test_the_layer_rules_see_the_project() -> None:
    modules = _modules()
    assert {"accord.cli", "accord.node.session", "accord.relay.app", "accord.documents.pdf"} <= set(
        modules
    )
    assert "accord.node.session" in _loaded_by("accord.node.web.app")


def test_the_clock_is_read_in_one_place() -> None:
    # The core is given times; everything else asks accord.infra.clock, so that a test, a
    # benchmark or a replay can set the time in one place.
    readers = {("time", "time"), ("time", "time_ns"), ("time", "monotonic"),
               ("datetime", "now"), ("datetime", "utcnow"), ("date", "today")}  # fmt: skip
    found = []
    for path in (SRC / "accord").rglob("*.py"):
        if path.relative_to(SRC).as_posix() == "accord/infra/clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id.lstrip("_"), node.attr) in readers
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []
