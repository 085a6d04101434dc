"""`make mutation`: mutation testing of the core against the fast tests (mutmut 3).

mutmut (pinned in pyproject's `test` extra) makes the mutants, runs for each one only
the fast tests that reach the mutated function, and keeps its results in `mutants/`.
Three operators that mutmut lacks are added here, because the refusal rules of a protocol
are mostly `if ...: raise`, and the question is whether a test notices each one go:

- a `raise` statement deleted (the refusal silently skipped);
- a `return` statement deleted (an early exit skipped);
- an `if` condition negated.

And three families mutmut makes are left out, because they are words for people and not
rules: the insides of f-strings (messages, history lines), plain strings with a space in
them (sentences), and the `what` argument of the field checkers (`schema.text(value,
"text id")`: the label a refusal names). Codes, field names and choices (strings without
spaces) are still mutated, so a test must pin each code.

Usage: python scripts/mutation.py [run|results|report] [mutmut arguments...]
`report` prints the per-file table that docs/testing.md quotes and every survivor that
docs/testing.md does not list as equivalent (with the very change listed); it fails if
there is one, or a mutant not run, or one that hung or crashed the test run.

mutmut keeps each verdict until the mutated function changes; so that a change of the
tests, of this wrapper, of mutmut or of its configuration is never judged on old verdicts,
`run` starts afresh whenever one of those changed.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable
from importlib.metadata import version as mutmut_version
from pathlib import Path

import libcst as cst
from mutmut.__main__ import cli
from mutmut.mutation import file_mutation, mutators
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code


def _delete(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    yield cst.Pass()


def _negate_if(node: cst.If) -> Iterable[cst.If]:
    test = node.test.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    yield node.with_changes(test=cst.UnaryOperation(operator=cst.Not(), expression=test))


def _code_strings_only(node: cst.BaseString) -> Iterable[cst.BaseString]:
    value = node.evaluated_value if isinstance(node, cst.SimpleString) else None
    if isinstance(value, str) and re.search(r"\s", value):
        return
    yield from mutators.operator_string(node)


# The position of the `what` (label) parameter of the checkers that take one.
_LABEL_AT = {
    "obj": 1, "text": 1, "integer": 1, "version": 1, "choice": 1, "string_list": 1,
    "check_hash": 1, "parse_hash": 1, "decode_tagged": 3,
}  # fmt: skip


def _label_index(call: cst.Call) -> int | None:
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
    return _LABEL_AT.get(name) if isinstance(name, str) else None


def _labels_kept(node: cst.Call) -> Iterable[cst.Call]:
    label = _label_index(node)
    for mutated in mutators.operator_arg_removal(node):
        if (
            label is not None
            and len(mutated.args) == len(node.args)
            and (label < len(node.args) and mutated.args[label] is not node.args[label])
        ):
            continue  # the label replaced by None: a message's wording
        yield mutated


_REPLACED = {
    mutators.operator_string: _code_strings_only,
    mutators.operator_arg_removal: _labels_kept,
}
_OPERATORS = [(t, _REPLACED.get(op, op)) for t, op in mutators.mutation_operators]
_OPERATORS += [(cst.Raise, _delete), (cst.Return, _delete), (cst.If, _negate_if)]
mutators.mutation_operators[:] = _OPERATORS  # type: ignore[index]
file_mutation.mutation_operators = mutators.mutation_operators  # type: ignore[attr-defined]

_skip = file_mutation.MutationVisitor._skip_node_and_children


def _skip_words(self: file_mutation.MutationVisitor, node: cst.CSTNode) -> bool:
    if isinstance(node, cst.FormattedString):
        return True
    if isinstance(node, cst.Call):
        label = _label_index(node)
        if label is not None and label < len(node.args):
            self._labels = getattr(self, "_labels", set()) | {id(node.args[label])}
    if isinstance(node, cst.Arg) and id(node) in getattr(self, "_labels", ()):
        return True
    return _skip(self, node)


file_mutation.MutationVisitor._skip_node_and_children = _skip_words  # type: ignore[method-assign]

KILLED, SURVIVED, NO_TESTS, TIMEOUT = "killed", "survived", "no tests", "timeout"


def _status(code: int | None) -> str:
    return str(status_by_exit_code[code])


def _changed_lines(name: str) -> str:
    """A survivor's change in one line: the removed and the added source lines."""
    diff = get_diff_for_mutant(name)
    lines = [x for x in diff.splitlines() if x[:1] in "-+" and x[:3] not in ("---", "+++")]
    return " => ".join(" ".join(x[1:].split()) for x in lines)


def _equivalents(doc: Path = Path("docs/testing.md")) -> dict[str, str]:
    """The mutants docs/testing.md lists as equivalent, each with the change it makes (the
    first two cells of its table rows: the name, and the change as `report` prints it)."""
    rows = re.findall(r"^\| `(accord\.[^`]+__mutmut_\d+)` \| `(.+?)` \|", doc.read_text(), re.M)
    return dict(rows)


def report(root: Path = Path("mutants")) -> int:
    """Print a table per file and every survivor that is not a listed equivalent, with its
    change; the score counts listed equivalents out. Exit 1 if any such survivor, or any
    mutant not run or with another verdict (a hang, a crash of the test run)."""
    equivalent = _equivalents()
    rows: list[tuple[str, Counter[str]]] = []
    problems: list[str] = []
    deleted_raises = 0
    timeouts: list[str] = []
    names: set[str] = set()
    for meta in sorted(root.rglob("*.py.meta")):
        data = json.loads(meta.read_text())
        counts: Counter[str] = Counter()
        for name, code in data.get("exit_code_by_key", {}).items():
            names.add(name)
            status = _status(code)
            if status == TIMEOUT:  # killed by its CPU time limit (a loop that never ends)
                timeouts.append(name)
                status = KILLED
            if status in (KILLED, "caught by type check"):
                status = KILLED
            elif status in (SURVIVED, NO_TESTS):
                change = _changed_lines(name)
                if equivalent.get(name) == change:
                    status = "equivalent"
                else:
                    problems.append(f"{status:11} {name}\n            {change}")
                    deleted_raises += change.startswith("raise ") and change.endswith("=> pass")
            elif status != "not checked":
                status = "other"  # a crash of the test run, an interrupted run: look at it
                problems.append(f"{_status(code):11} {name}")
            counts[status] += 1
        rows.append((str(meta.relative_to(root))[: -len(".meta")], counts))
    print(
        "| file | mutants | killed | equivalent | survived | no tests | other | not run | score |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path, c in rows:
        total = sum(c.values())
        counted = total - c["equivalent"] - c["not checked"]  # the score of the mutants run
        score = 100 * c[KILLED] / counted if counted else 100.0
        print(
            f"| `{path}` | {total} | {c[KILLED]} | {c['equivalent']} | {c[SURVIVED]} "
            f"| {c[NO_TESTS]} | {c['other']} | {c['not checked']} | {score:.1f}% |"
        )
    print()
    print(f"deleted raises not noticed: {deleted_raises}")
    if timeouts:
        print("killed by their time limit:", *timeouts)
    print("\n".join(sorted(problems)) or "no survivors but the listed equivalents")
    stale = sorted(set(equivalent) - names)
    if stale:
        print("listed as equivalent but no longer mutants:", *stale)
    not_run = sum(c["not checked"] for _, c in rows)
    return 1 if problems or not_run or stale else 0


def inputs_digest() -> str:
    """What verdicts depend on besides the mutated code: this wrapper, mutmut's version,
    the configuration and the tests."""
    parts = [Path(__file__).read_bytes(), mutmut_version("mutmut").encode()]
    parts.append(repr(tomllib.loads(Path("pyproject.toml").read_text())["tool"]["mutmut"]).encode())
    parts += [p.read_bytes() for p in sorted(Path("tests").rglob("*.py"))]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def _fresh_if_inputs_changed(root: Path = Path("mutants")) -> None:
    """Start afresh when anything but the mutated code changed (see the module's doc)."""
    digest = inputs_digest()
    stamp = root / "inputs.sha256"
    if root.exists() and (not stamp.exists() or stamp.read_text() != digest):
        shutil.rmtree(root)
    root.mkdir(exist_ok=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if argv[:1] == ["report"]:
        return report()
    if argv[:1] == ["run"]:
        _fresh_if_inputs_changed()
    sys.argv = ["mutmut", *argv]
    return int(cli(standalone_mode=False) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
