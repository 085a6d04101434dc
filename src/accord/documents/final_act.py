"""What every rendering of a final act shows (HTML, PDF, the command line), computed once
from a verified final act: a renderer shows only what verification established."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.core.credentials import FullPowers
from accord.core.final_act import FinalActReport
from accord.core.keys import fingerprint
from accord.core.proceedings import Signature, Statement
from accord.core.state import ConferenceState
from accord.core.times import format_time
from accord.documents.errors import DocumentError


def final_act_context(report: FinalActReport) -> dict[str, Any]:
    """What the renderings show, from a verified final act."""
    if not report.ok:
        raise DocumentError(f"only a valid final act is rendered: {report.problem}")
    assert report.version and report.decision and report.record and report.record.state
    state, v, d = report.record.state, report.version, report.decision
    signers = {s.signer for s in report.signatures}
    powers = {fp.label(): fp for fp in state.credentials.values()}
    initialling = state.genesis.rules.procedure.initialling_is_signature
    adopted_at = d.closed_at or d.deadline  # a silence not closed ended at its deadline
    marks = state.seating.marks  # acts of delegations seated provisionally (12.5)
    return {
        "version": {"title": v.title, "number": v.number, "hash": v.hash,
                    "paragraphs": [{"number": p.number, "plain": p.plain} for p in v.paragraphs]},
        "conference": {"title": state.genesis.title, "id": state.conf,
                       "genesis": state.genesis_hash, "place": state.genesis.place},
        "decision": {
            "id": d.id, "procedure": d.procedure, "rule": (d.rule or "").replace("_", " "),
            "seq": d.seq, "opened": format_time(d.opened_at), "closed_seq": d.closed_seq,
            "deadline": format_time(d.deadline) if d.deadline else None,
            "time_zone": d.time_zone,
            "tally": d.tally() if d.procedure == "vote" else None,
            "votes": [(code, _answer(vote, seq, marks))
                      for code, (seq, vote, _) in sorted(d.votes.items())],
            # Procedure 2: every member state's answer, "present" and "absent" included.
            "roll_call": [(code, _answer(answer, d.votes[code].seq if code in d.votes else None,
                                         marks)) for code, answer in d.roll_call()]
            if d.procedure == "vote" and d.settings.version > 1 else None,
            "late": [(seq, format_time(time), who, kind) for seq, time, who, kind in d.late],
            "adopted_at": format_time(adopted_at) if adopted_at else None,
        },
        "rules": rules_of_procedure(state),
        "participants": [
            {"code": s.code, "name": s.name, "role": s.role, "seating": _seating(state, s.code)}
            for s in sorted(state.states.values(), key=lambda s: s.code)
        ],
        # The states' statements; observers' contributions apart, labelled as such.
        "statements": [_statement(s, marks) for s in report.statements if not s.observer],
        "observers_statements": [_statement(s, marks) for s in report.statements if s.observer],
        "signature_blocks": [
            {"state": s.name, "code": s.code,
             "signatures": [_signature(x, powers, initialling, marks) for x in report.signatures
                            if x.state == s.code]}
            for s in sorted(state.states.values(), key=lambda s: s.code) if s.role == "member"
        ],
        "signatures": [_signature(s, powers, initialling, marks) for s in report.signatures],
        "full_powers": [
            {"label": fp.label(), "key": fingerprint(fp.key), "id": fp.id,
             "function": OFFICES.get(fp.office or ""),
             "powers": ", ".join(sorted(fp.powers)), "state": fp.state,
             "root": fingerprint(fp.root)}
            for fp in state.credentials.values() if fp.label() in signers
        ],
        "entries": report.record.entries,
        "sealed": report.sealed,
    }  # fmt: skip


def rules_of_procedure(state: ConferenceState) -> str:
    """The rules of procedure the conference followed, in words (docs/protocol.md 12.4)."""
    p = state.genesis.rules.procedure
    if p.version == 1:
        return (
            "rules of procedure version 1 (the conference's decision rule; votes by "
            "simple or two-thirds majority of the votes cast)"
        )
    basis = {
        "present_and_voting": "the members present and voting",
        "present": "the members present",
        "all_members": "all members",
    }[p.majority]
    parts = [
        f"majorities of {basis}",
        f"a quorum of {p.quorum}",
        "adoption of text without brackets only" if p.clean_text else "",
        "nothing agreed until everything is agreed" if p.package else "",
        "initialling constitutes signature" if p.initialling_is_signature else "",
        f"credentials committee: {', '.join(p.credentials_committee)}"
        if p.credentials_committee
        else "",
    ]
    return "rules of procedure version 2 (" + "; ".join(x for x in parts if x) + ")"


SEATING_WORDS = {"accepted": "credentials accepted", "provisional": "seated provisionally",
                 "pending": "credentials pending, not seated",
                 "rejected": "credentials rejected"}  # fmt: skip


def _mark(seq: int | None, marks: Mapping[int, str]) -> str | None:
    """How an act's author was seated when it acted, if not simply accepted (12.5)."""
    return SEATING_WORDS[marks[seq]] if seq is not None and seq in marks else None


def _answer(answer: str, seq: int | None, marks: Mapping[int, str]) -> str:
    words = "present, not voting" if answer == "present" else answer
    mark = _mark(seq, marks)
    return f"{words} ({mark})" if mark else words


def _seating(state: ConferenceState, code: str) -> str | None:
    """Who sat for a state and on what footing, where it was ever more than plain
    accreditation: each authority that claimed the seat and the fate of its claim."""
    claims = sorted(state.seating.claims.get(code, {}).values(), key=lambda c: c.seq)
    if len(claims) <= 1 and all(c.status == "accepted" for c in claims):
        return None
    return "; ".join(f"{c.authority}: {SEATING_WORDS[c.status]}" for c in claims)


def _statement(s: Statement, marks: Mapping[int, str]) -> dict[str, Any]:
    timing = {"before": "before the decision", "after": "after the decision"}.get(s.timing or "")
    kind = {"facilitator_report": "facilitator's report",
            "alignment": f"alignment with the statement of entry #{s.aligns_with}"}.get(
        s.kind, s.kind.replace("_", " "))  # fmt: skip
    # A group's spokesperson speaks on behalf of the group's members (12.8).
    who = s.state + (f", on behalf of {s.on_behalf_of}" if s.on_behalf_of else "")
    return {"state": who, "kind": kind, "text": s.text,
            "subject": s.subject, "timing": timing, "seating": _mark(s.seq, marks)}  # fmt: skip


# Who represents a state in virtue of their functions, without full powers (VCLT 7(2)(a)).
OFFICES = {"head_of_state": "Head of State", "head_of_government": "Head of Government",
           "minister_for_foreign_affairs": "Minister for Foreign Affairs"}  # fmt: skip


def _signature(
    s: Signature, powers: dict[str, FullPowers], initialling: bool, marks: Mapping[int, str]
) -> dict[str, Any]:
    fp = powers.get(s.signer)
    function = OFFICES.get(fp.office or "") if fp is not None else None
    if s.act == "initialling":
        meaning = "constitutes signature (VCLT art. 12(2)(a))" if initialling else (
            "authenticates the text (VCLT art. 10)")  # fmt: skip
    else:
        meaning = None
    return {
        "signer": s.signer, "act": s.act, "ad_referendum": s.ad_referendum, "seq": s.seq,
        "time": format_time(s.time), "pending": s.pending, "meaning": meaning,
        "unauthorised": s.unauthorised,
        # An office holder acts in virtue of functions; a delegate under full powers.
        "capacity": f"{function}, in virtue of functions (VCLT art. 7(2)(a))" if function
        else "under full powers",
        "status": (("pending confirmation" if s.pending else "confirmed by its state")
        + (" (made without full powers to sign: VCLT art. 8)" if s.unauthorised else "")
        if s.pending or s.ad_referendum or s.unauthorised else "signed")
        + (f"; {mark}" if (mark := _mark(s.seq, marks)) else ""),
        "seating": mark,
    }  # fmt: skip
