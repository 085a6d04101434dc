"""What every rendering of a final act shows (HTML, PDF, the command line), computed once
from a verified final act: a renderer shows only what verification established."""

from __future__ import annotations

from typing import Any

from accord.core.final_act import FinalActReport
from accord.core.keys import fingerprint
from accord.core.proceedings import Signature, Statement
from accord.core.times import format_time
from accord.documents.errors import DocumentError


def final_act_context(report: FinalActReport) -> dict[str, Any]:
    """What the renderings show, from a verified final act."""
    if not report.ok:
        raise DocumentError(f"only a valid final act is rendered: {report.problem}")
    assert report.version and report.decision and report.record and report.record.state
    state, v, d = report.record.state, report.version, report.decision
    signers = {s.signer for s in report.signatures}
    roles = {code: s.role for code, s in state.states.items()}
    adopted_at = d.closed_at or d.deadline  # a silence not closed ended at its deadline
    return {
        "version": {"title": v.title, "number": v.number, "hash": v.hash,
                    "paragraphs": [{"number": p.number, "plain": p.plain} for p in v.paragraphs]},
        "conference": {"title": state.genesis.title, "id": state.conf,
                       "genesis": state.genesis_hash},
        "decision": {
            "id": d.id, "procedure": d.procedure, "rule": (d.rule or "").replace("_", " "),
            "seq": d.seq, "opened": format_time(d.opened_at), "closed_seq": d.closed_seq,
            "deadline": format_time(d.deadline) if d.deadline else None,
            "time_zone": d.time_zone,
            "tally": d.tally() if d.procedure == "vote" else None,
            "votes": [(code, vote) for code, (_, vote, _) in sorted(d.votes.items())],
            # Procedure 2: every member state's answer, "present" and "absent" included.
            "roll_call": d.roll_call() if d.procedure == "vote" and d.settings.version > 1
            else None,
            "late": [(seq, format_time(time), who, kind) for seq, time, who, kind in d.late],
            "adopted_at": format_time(adopted_at) if adopted_at else None,
        },
        "participants": [
            {"code": s.code, "name": s.name, "role": s.role}
            for s in sorted(state.states.values(), key=lambda s: s.code)
        ],
        # The states' statements; observers' contributions apart, labelled as such.
        "statements": [
            _statement(s) for s in report.statements if roles.get(s.state) != "observer"
        ],
        "observers_statements": [
            _statement(s) for s in report.statements if roles.get(s.state) == "observer"
        ],
        "signature_blocks": [
            {"state": s.name, "code": s.code,
             "signatures": [_signature(x) for x in report.signatures
                            if x.signer.endswith(f"({s.code})")]}
            for s in sorted(state.states.values(), key=lambda s: s.code) if s.role == "member"
        ],
        "signatures": [_signature(s) for s in report.signatures],
        "full_powers": [
            {"label": fp.label(), "key": fingerprint(fp.key), "id": fp.id,
             "powers": ", ".join(sorted(fp.powers)), "state": fp.state,
             "root": fingerprint(state.states[fp.state].root)}
            for fp in state.credentials.values() if fp.label() in signers
        ],
        "entries": report.record.entries,
        "sealed": report.sealed,
    }  # fmt: skip


def _statement(s: Statement) -> dict[str, Any]:
    timing = {"before": "before the decision", "after": "after the decision"}.get(s.timing or "")
    return {"state": s.state, "kind": s.kind.replace("_", " "), "text": s.text,
            "subject": s.subject, "timing": timing}  # fmt: skip


def _signature(s: Signature) -> dict[str, Any]:
    return {
        "signer": s.signer, "act": s.act, "ad_referendum": s.ad_referendum, "seq": s.seq,
        "time": format_time(s.time), "pending": s.pending,
        "status": "pending confirmation" if s.pending
        else "confirmed by its state" if s.ad_referendum else "signed",
    }  # fmt: skip
