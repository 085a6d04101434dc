"""The exported record: one file that anyone can verify offline.

A record is UTF-8 JSON Lines, each line the RFC 8785 canonical form of one object:

1. a header ``{"format": "accord-record", "version": 1}``;
2. one line per log entry, in sequence order: ``{"event": {...}, "receipt": {...}}``;
3. a closing ``{"checkpoint": {...}}`` signed by the sequencer, naming the last sequence
   number and head, so that a record cut short or extended is detected.

The functions here turn lines into a verification report; reading the file is the
caller's business, so that the core does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.core.codes import Code
from accord.core.encoding import canonical, hash_tag, parse_json
from accord.core.errors import AccordError, EncodingError, RecordFormatError, Violation
from accord.core.events import MAX_EVENT_BYTES
from accord.core.log import Checkpoint
from accord.core.signatures import SignatureChecks
from accord.core.state import ConferenceState, Notice
from accord.core.verify import LogVerifier, check_genesis

FORMAT = "accord-record"
VERSION = 1
# One event is at most MAX_EVENT_BYTES canonical; its line adds the receipt and framing.
MAX_LINE_BYTES = MAX_EVENT_BYTES + 4096


def header_line() -> bytes:
    return canonical({"format": FORMAT, "version": VERSION}) + b"\n"


def entry_line(event: dict[str, Any], receipt: dict[str, Any]) -> bytes:
    return canonical({"event": event, "receipt": receipt}) + b"\n"


def checkpoint_line(checkpoint: dict[str, Any]) -> bytes:
    return canonical({"checkpoint": checkpoint}) + b"\n"


@dataclass(frozen=True)
class Problem:
    seq: int | None
    code: str
    message: str


@dataclass
class Report:
    """What verifying a record found. `ok` is true only if every check passed."""

    ok: bool = False
    entries: int = 0
    problem: Problem | None = None
    notices: list[Notice] = field(default_factory=list)
    state: ConferenceState | None = None
    head: str | None = None
    checkpoint_time: int | None = None


def check_header(line: bytes) -> None:
    try:
        header = parse_json(line)
    except EncodingError as exc:
        raise RecordFormatError(
            f"not an Accord record: the first line is not JSON ({exc})"
        ) from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise RecordFormatError("not an Accord record: the first line has no accord-record header")
    if header.get("version") != VERSION or set(header) != {"format", "version"}:
        raise RecordFormatError(
            f"Accord record version {header.get('version')!r}; this program reads {VERSION}"
        )


def verify_record(
    lines: Iterable[bytes],
    *,
    expected_genesis: str | None = None,
    keep_messages: bool = True,
    progress: Callable[[int], None] | None = None,
    checks: SignatureChecks | None = None,
) -> Report:
    """Verify a whole record, streaming. Raises `RecordFormatError` if it is not one.

    `checks` decides where signatures are checked (at once by default); whichever it
    is, the report names the same first problem."""
    it = iter(lines)
    try:
        first = next(it)
    except StopIteration:
        raise RecordFormatError("not an Accord record: the file is empty") from None
    check_header(first)
    verifier = LogVerifier(keep_messages, checks)
    report = Report()
    problem: Violation | None = None
    try:
        _verify_body(it, verifier, report, expected_genesis, progress)
    except Violation as v:
        problem = v
    late = verifier.checks.first_failure()
    if late is not None and (problem is None or _before(late, problem)):
        problem = late
    report.entries = verifier.length
    if problem is None:
        report.ok, report.state = True, verifier.state
    else:
        report.problem = Problem(problem.seq, problem.code, problem.message)
        if problem.seq is not None:
            report.entries = min(report.entries, problem.seq)
    return report


def _before(a: Violation, b: Violation) -> bool:
    if a.seq is None:
        return False
    return b.seq is None or a.seq <= b.seq


def _verify_body(
    lines: Iterable[bytes],
    verifier: LogVerifier,
    report: Report,
    expected_genesis: str | None,
    progress: Callable[[int], None] | None,
) -> None:
    checkpoint: Checkpoint | None = None
    for line in lines:
        seq = verifier.length
        if checkpoint is not None:
            raise Violation(
                Code.TRAILING_DATA,
                f"the record continues after its closing checkpoint (#{checkpoint.seq})",
                seq,
            )
        item = _parse_line(line, seq)
        if "checkpoint" in item:
            checkpoint = _check_checkpoint(item["checkpoint"], verifier, seq)
            report.checkpoint_time = checkpoint.time
            continue
        report.notices += verifier.append(item["event"], item["receipt"])
        if seq == 0 and expected_genesis is not None:
            check_genesis(verifier, expected_genesis)
        if progress is not None:
            progress(seq)
        if seq % 1024 == 0 and verifier.checks.has_failed():
            return  # the signature failure is reported by the caller
    last = verifier.length - 1
    if checkpoint is None:
        raise Violation(
            Code.TRUNCATED,
            f"the record ends after #{last} without its closing checkpoint: it was cut short",
            last + 1,
        )
    report.head = checkpoint.head


def _parse_line(line: bytes, seq: int) -> dict[str, Any]:
    if len(line) > MAX_LINE_BYTES:
        raise Violation(
            Code.OVERSIZED, f"entry #{seq}: line longer than {MAX_LINE_BYTES} bytes", seq
        )
    try:
        item = parse_json(line)
    except EncodingError as exc:
        raise Violation(Code.MALFORMED, f"entry #{seq}: unreadable line ({exc})", seq) from exc
    if isinstance(item, dict) and (
        set(item) == {"event", "receipt"} or set(item) == {"checkpoint"}
    ):
        return item
    raise Violation(
        Code.MALFORMED,
        f"entry #{seq}: a line must hold an event and its receipt, or a checkpoint",
        seq,
    )


def _check_checkpoint(value: Any, verifier: LogVerifier, seq: int) -> Checkpoint:
    if verifier.state is None:
        raise Violation(Code.GENESIS_MISSING, "the record holds no entries", 0)
    try:
        cp = Checkpoint.parse(value, verifier.state.genesis.sequencer)
    except AccordError as exc:
        raise Violation(
            Code.BAD_CHECKPOINT,
            f"the closing checkpoint is not valid ({exc}): it was altered or forged",
            seq,
        ) from exc
    last = verifier.length - 1
    if cp.conf != verifier.state.conf:
        raise Violation(
            Code.BAD_CHECKPOINT, "the closing checkpoint is for another conference", seq
        )
    if cp.seq > last:
        raise Violation(
            Code.TRUNCATED,
            f"the checkpoint says the log reaches #{cp.seq}, but the record stops at "
            f"#{last}: entries #{last + 1}–#{cp.seq} were removed",
            last + 1,
        )
    if cp.seq < last:
        raise Violation(
            Code.TRAILING_DATA,
            f"the checkpoint closes the log at #{cp.seq}, but the record goes on to #{last}: "
            f"entries after #{cp.seq} were added",
            cp.seq + 1,
        )
    if cp.head != hash_tag(verifier.head):
        raise Violation(
            Code.BAD_CHECKPOINT,
            f"the checkpoint's head differs from the log's head at #{last}: the log was rewritten",
            last,
        )
    if cp.time < verifier.last_time:
        raise Violation(Code.BAD_CHECKPOINT, "the checkpoint is dated before the last entry", last)
    return cp
