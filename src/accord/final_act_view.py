"""How `accord verify` shows a final act: what was adopted, by whom, when, under which rule,
with which statements and signatures, and the fingerprints to check it by hand."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from accord.core.final_act import FinalActReport
from accord.core.keys import fingerprint
from accord.core.times import format_time


def print_final_act(console: Console, report: FinalActReport) -> None:
    if not report.ok:
        console.print(f"[red]INVALID FINAL ACT[/red]: {escape(report.problem or '')}")
        return
    assert report.version and report.decision and report.negotiation and report.record
    state = report.record.state
    assert state is not None
    v, d = report.version, report.decision
    console.print(f"[bold]{escape(v.title)}[/bold], version {v.number}")
    console.print(f"text hash {v.hash}")
    console.print(f"conference {state.conf} ({escape(state.genesis.title)}), genesis "
                  f"{state.genesis_hash}")  # fmt: skip
    rule = f" ({d.rule.replace('_', ' ')})" if d.rule else ""
    closed = f", closed at entry #{d.closed_seq}" if d.closed_seq is not None else ""
    deadline = (
        f", silence until {format_time(d.deadline)} ({escape(d.time_zone or '')})"
        if d.deadline else ""
    )  # fmt: skip
    console.print(
        f"adopted by {d.procedure}{rule}: decision {escape(d.id)} opened at entry #{d.seq}, "
        f"{format_time(d.opened_at)}{deadline}{closed}"
    )
    if d.procedure == "vote":
        cast = ", ".join(f"{code}: {vote}" for code, (_, vote, _) in sorted(d.votes.items()))
        console.print(f"  votes: {d.tally()}; {cast}")
    for seq, time, who, kind in d.late:
        console.print(f"  late {kind} by {who} (entry #{seq}, {format_time(time)}): no effect")
    for p in v.paragraphs:
        console.print(f"  {escape(p.number)}. {escape(p.plain)}")
    for s in report.statements:
        console.print(f"statement ({s.kind.replace('_', ' ')}) by {s.state}: {escape(s.text)}")
    for sig in report.signatures:
        status = "pending confirmation by its state" if sig.pending else (
            "confirmed" if sig.ad_referendum else "")  # fmt: skip
        console.print(
            f"{sig.act} by {escape(sig.signer)}, entry #{sig.seq}, {format_time(sig.time)}"
            f"{' ad referendum' if sig.ad_referendum else ''}{', ' + status if status else ''}"
        )
    console.print("credentials of the signers, each chained to its state's root:")
    signers = {s.signer for s in report.signatures}
    for fp in state.credentials.values():
        if fp.label() in signers:
            root = state.states[fp.state].root
            console.print(
                f"  {escape(fp.label())}: key {fingerprint(fp.key)}, full powers {fp.id} "
                f"(to {', '.join(sorted(fp.powers))}), root of {fp.state} {fingerprint(root)}"
            )
    console.print(
        f"[green]VALID FINAL ACT[/green]: {report.record.entries} entries verified, "
        f"{report.sealed} messages left sealed. Compare "
        "the genesis hash and the root fingerprints with those published."
    )
