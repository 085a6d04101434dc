"""The final act: one self-contained file that proves what was adopted, by whom, when,
under which rule, with which statements and signatures.

It holds the conference's whole record (every entry, content still encrypted, closed by
the sequencer's checkpoint) and the keys of the acts that establish the outcome, each
key bound to its event by the event's own commitment (`accord.core.epochs`). Anyone
verifies it offline: the record as any record, then each disclosed act, then the outcome,
recomputed from those acts. Every negotiation act must be disclosed (texts, proposals and
positions, paragraph marks, decisions, objections, votes, closes, statements, signatures,
confirmations): its type is public in the record, so withholding one is seen. Messages
and the other channels' content stay sealed: their keys are not in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.core import events as ev
from accord.core import schema
from accord.core.encoding import b64u_decode, b64u_encode, canonical, check_hash, parse_json
from accord.core.epochs import Encrypted, open_disclosed
from accord.core.errors import AccordError, EncodingError, RecordFormatError
from accord.core.negotiation import Decision, Negotiation, Signature, Statement
from accord.core.negotiation import fold as fold_negotiation
from accord.core.record import Report, verify_record
from accord.core.texts import Version

FORMAT = "accord-final-act"
VERSION = 1
# Every negotiation act is disclosed: the decisions, and the proposals and positions that
# revisions took in or dropped (the text's negotiating history). Messages stay sealed.
DISCLOSED_TYPES = ev.NEGOTIATION_TYPES


def build(
    record_lines: list[bytes], text_id: str, version_hash: str, keys: dict[str, bytes]
) -> bytes:
    """The final act's bytes: the record (as exported) and the disclosed content keys."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "text": text_id,
        "adopted": version_hash,
        "record": [parse_json(line) for line in record_lines],
        "keys": {event: b64u_encode(key) for event, key in sorted(keys.items())},
    }
    return canonical(document) + b"\n"


@dataclass
class FinalActReport:
    ok: bool = False
    problem: str | None = None
    record: Report | None = None
    version: Version | None = None
    decision: Decision | None = None
    statements: list[Statement] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    negotiation: Negotiation | None = None
    sealed: int = 0  # encrypted entries left sealed (messages, other channels)


def verify(data: bytes) -> FinalActReport:
    """Verify a final act offline; raises `RecordFormatError` if it is not one."""
    try:
        document = parse_json(data)
    except EncodingError as exc:
        raise RecordFormatError(f"not an Accord final act: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RecordFormatError("not an Accord final act: no accord-final-act format")
    report = FinalActReport()
    try:
        d = schema.obj(document, "final act", ("format", "version", "text", "adopted", "record",
                                               "keys"))  # fmt: skip
        schema.version({"v": d["version"]}, "final act")
        adopted = check_hash(d["adopted"], "adopted version hash")
        if not isinstance(d["record"], list) or not isinstance(d["keys"], dict):
            raise RecordFormatError("a final act holds a record list and a key map")
        lines = [canonical(item) + b"\n" for item in d["record"]]
    except AccordError as exc:
        report.problem = f"malformed final act: {exc}"
        return report
    report.record = record = verify_record(lines)
    if not record.ok or record.state is None:
        problem = record.problem
        report.problem = f"the record is invalid: {problem.message if problem else 'empty'}"
        return report
    state = record.state
    acts = []
    for item in d["record"][1:-1]:
        event = ev.Event.parse(item["event"], check_signature=False)  # verified above
        if event.type not in ev.NEGOTIATION_TYPES:
            report.sealed += event.type in ev.ENCRYPTED_TYPES
            continue
        key_text = d["keys"].get(event.hash)
        if key_text is None:
            report.problem = (
                f"entry #{item['receipt']['seq']} ({event.type}) is not disclosed: an act "
                "of the negotiation was withheld"
            )
            return report
        try:
            assert isinstance(event.body, Encrypted)
            content = open_disclosed(b64u_decode(key_text), event.signed, event.body)
        except AccordError as exc:
            report.problem = f"entry #{item['receipt']['seq']}: the disclosed key fails: {exc}"
            return report
        acts.append((item["receipt"]["seq"], item["receipt"]["time"], event, content))
    last_time = d["record"][-1]["checkpoint"]["time"]
    negotiation = fold_negotiation(state, acts, last_time)
    report.negotiation = negotiation
    decision = negotiation.adopted(adopted)
    version = next(
        (v for r in negotiation.texts.values() for v in r.versions if v.hash == adopted), None
    )
    if version is None or version.text_id != d["text"]:
        report.problem = f"the record holds no version {adopted} of {d['text']}"
        return report
    if decision is None:
        report.problem = f"the record does not show version {version.number} adopted"
        return report
    report.version, report.decision = version, decision
    on_version = {
        f"decision {x.id} " for x in negotiation.decisions.values() if x.subject.hash == adopted
    }
    report.statements = [
        s for s in negotiation.statements
        if any(s.subject.startswith(p) for p in on_version) or s.subject.startswith(version.text_id)
    ]  # fmt: skip
    report.signatures = [s for s in negotiation.signatures if s.version_hash == adopted]
    report.ok = True
    return report
