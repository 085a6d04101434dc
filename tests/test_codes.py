"""The codes of refusals and violations: one enumeration, each with an HTTP status, and
docs/protocol.md's table agreeing with it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from accord.core.codes import EPOCH_RACES, HTTP_STATUS, Code

ROOT = Path(__file__).resolve().parents[1]


def test_every_code_has_a_status_and_no_status_is_for_a_non_code() -> None:
    assert set(HTTP_STATUS) == set(Code)
    for code, status in HTTP_STATUS.items():
        assert 400 <= status < 600, code


def test_codes_are_their_own_strings() -> None:
    # Programs match on the plain string, in JSON and in tests.
    for code in Code:
        assert code == code.value
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code.value)
        assert Code(code.value) is code


def test_statuses_follow_the_protocol_classes() -> None:
    # docs/protocol.md 10: 401 authentication, 403 authority, 409 conflicts with the log.
    assert {c for c, s in HTTP_STATUS.items() if s == 401} == {
        Code.UNSIGNED_REQUEST, Code.BAD_REQUEST_SIGNATURE, Code.STALE_REQUEST,
        Code.REPLAYED_REQUEST,
    }  # fmt: skip
    for code in (Code.NOT_MEMBER, Code.POWER_MISSING, Code.REVOKED, Code.CHAIR_ONLY):
        assert HTTP_STATUS[code] == 403
    for code in (Code.CHAIN_BREAK, Code.FORK, Code.DUPLICATE_EVENT, Code.CONFERENCE_EXISTS):
        assert HTTP_STATUS[code] == 409
    assert HTTP_STATUS[Code.RATE_LIMITED] == 429
    assert HTTP_STATUS[Code.UNAVAILABLE] == 503


def test_the_protocol_document_lists_every_code_with_its_status() -> None:
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|$", text, re.M))
    assert {k: int(v) for k, v in table.items()} == {c.value: s for c, s in HTTP_STATUS.items()}


def test_epoch_races_are_the_refusals_a_node_retries_after_syncing() -> None:
    assert {
        Code.EPOCH_SEQUENCE, Code.STALE_EPOCH, Code.WRONG_EPOCH, Code.EPOCH_RECIPIENTS,
    } == EPOCH_RACES  # fmt: skip
    assert all(HTTP_STATUS[c] in (400, 409) for c in EPOCH_RACES)


def test_no_code_is_written_as_a_bare_string_where_errors_are_raised() -> None:
    # mypy checks the type; this also catches a `# type: ignore` or an `Any` slipping one in.
    raisers = {"Violation", "RelayError", "RequestAuthError", "refuse", "error_response"}
    offenders = []
    for path in (ROOT / "src" / "accord").rglob("*.py"):
        if path.parts[-2:] == ("node", "client.py"):
            continue  # the node's RelayError carries whatever code a relay sent
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in raisers:
                continue
            literal = [a for a in node.args[:2] if isinstance(a, ast.Constant)]
            if literal and isinstance(literal[0].value, str) and literal[0].value in set(Code):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
