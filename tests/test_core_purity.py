"""The protocol core does no I/O and imports nothing of the project outside itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).parent.parent / "src" / "accord" / "core"
# Modules through which a program reaches files, the network, clocks, processes or threads.
IO_MODULES = {
    "asyncio", "http", "io", "multiprocessing", "os", "pathlib", "shutil", "socket",
    "sqlite3", "subprocess", "sys", "tempfile", "threading", "time", "urllib", "random",
}  # fmt: skip
FORBIDDEN_CALLS = {"open", "input", "print"}


def _modules() -> list[Path]:
    return sorted(CORE.glob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_core_module_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in IO_MODULES, f"{path.name} imports {name}"
            if name.startswith("accord"):
                assert name.startswith("accord.core"), f"{path.name} imports {name}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path.name} calls {node.func.id}()"
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"now", "utcnow", "today"}, f"{path.name} reads a clock"


def test_every_core_module_is_checked() -> None:
    assert len(_modules()) >= 12
