"""The final act: one self-contained file that proves what was adopted, by whom, when,
under which rule, with which statements and signatures.

It holds the conference's whole record (every entry, content still encrypted, closed by
the sequencer's checkpoint) and the *record key* of every plenary epoch that carries
negotiation acts, each bound by the commitment its signed epoch event announces
(`accord.core.epochs`). Anyone verifies it offline: the record as any record; then each
negotiation act is opened with a key derived from its epoch's record key exactly as every
member derives it, so an act no member could read is unread here too; then the outcome
is recomputed from those acts. Messages and the other channels stay sealed: their keys
derive from the epoch keys, which are not in the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.core import events as ev
from accord.core import schema
from accord.core.encoding import b64u_decode, b64u_encode, canonical, check_hash, parse_json
from accord.core.epochs import Encrypted, commitment, decrypt_body
from accord.core.errors import AccordError, EncodingError, RecordFormatError
from accord.core.keyring import Keyring
from accord.core.negotiation import Negotiation
from accord.core.negotiation import fold as fold_negotiation
from accord.core.proceedings import Decision, Flag, Signature, Statement
from accord.core.record import Report, verify_record
from accord.core.state import ConferenceState
from accord.core.texts import Version

FORMAT = "accord-final-act"
VERSION = 1


def epoch_name(channel: str, epoch: int) -> str:
    return f"{channel}:{epoch}"


def disclosure(
    state: ConferenceState, keyring: Keyring, events: Iterable[ev.Event]
) -> dict[str, bytes]:
    """The record keys a final act discloses: those of the epochs with negotiation acts."""
    keys = {}
    for event in events:
        if event.type in ev.NEGOTIATION_TYPES:
            assert isinstance(event.body, Encrypted)
            name = epoch_name(event.channel, event.body.epoch)
            if name not in keys:
                keys[name] = keyring.record_key(state, event.channel, event.body.epoch)
    return keys


def build(
    record_lines: list[bytes], text_id: str, version_hash: str, keys: dict[str, bytes]
) -> bytes:
    """The final act's bytes: the record (as exported) and the record keys, by
    `epoch_name`."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "text": text_id,
        "adopted": version_hash,
        "record": [parse_json(line) for line in record_lines],
        "keys": {name: b64u_encode(key) for name, key in sorted(keys.items())},
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


def _record_key(text: object, state: ConferenceState, channel: str, epoch: int) -> bytes | None:
    """The disclosed record key of an epoch, if it is the one its epoch event announces."""
    if not isinstance(text, str):
        return None
    try:
        key = b64u_decode(text)
    except EncodingError:
        return None
    epochs = state.epochs.get(channel, [])
    if not 1 <= epoch <= len(epochs) or commitment(key) != epochs[epoch - 1].record:
        return None
    return key


Act = tuple[int, int, ev.Event, dict[str, Any]]


def _read_acts(
    d: dict[str, Any], state: ConferenceState, report: FinalActReport
) -> tuple[list[Act], list[Flag]] | None:
    """The negotiation's acts opened with the record keys, and those that do not open;
    None, with the problem in `report`, when a record key is missing or wrong."""
    acts: list[Act] = []
    unread: list[Flag] = []
    for item in d["record"][1:-1]:
        event = ev.Event.parse(item["event"], check_signature=False)  # verified above
        seq = item["receipt"]["seq"]
        if event.type not in ev.NEGOTIATION_TYPES:
            report.sealed += event.type in ev.ENCRYPTED_TYPES
            continue
        assert isinstance(event.body, Encrypted)
        name = epoch_name(event.channel, event.body.epoch)
        key = _record_key(d["keys"].get(name), state, event.channel, event.body.epoch)
        if key is None:
            report.problem = (
                f"entry #{seq} ({event.type}): the record key of epoch {name} is missing or "
                "not the one its epoch event announces: acts of the negotiation were withheld"
            )
            return None
        try:
            content = decrypt_body(key, event.signed, event.body)
        except AccordError as exc:  # as for every member: unread, and without effect
            unread.append(Flag(seq, state.author_label(event), f"not read: {exc}"))
            continue
        acts.append((seq, item["receipt"]["time"], event, content))
    return acts, unread


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
    read = _read_acts(d, state, report)
    if read is None:
        return report
    acts, unread = read
    # A silence ends when a receipt time reaches its deadline, as members judge it.
    last_time = d["record"][-2]["receipt"]["time"] if len(d["record"]) > 2 else 0
    negotiation = fold_negotiation(state, acts, last_time)
    negotiation.flags = sorted(negotiation.flags + unread, key=lambda f: f.seq)
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
    on_version = {x.id for x in negotiation.decisions.values() if x.subject.hash == adopted}
    report.statements = [
        s
        for s in negotiation.statements
        if s.decision in on_version or s.text_id == version.text_id
    ]
    report.signatures = [s for s in negotiation.signatures if s.version_hash == adopted]
    report.ok = True
    return report
