"""A verified final act on the command line (`accord verify`, the demo): what was adopted,
by whom, when, under which rule, with which statements and signatures, and the
fingerprints to check it by hand; from the same context as the HTML and PDF renderings."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from accord.core.final_act import FinalActReport
from accord.documents.final_act import final_act_context


def print_final_act(console: Console, report: FinalActReport) -> None:
    if not report.ok:
        console.print(f"[red]INVALID FINAL ACT[/red]: {escape(report.problem or '')}")
        return
    c = final_act_context(report)
    v, conference, d = c["version"], c["conference"], c["decision"]
    console.print(f"[bold]{escape(v['title'])}[/bold], version {v['number']}")
    console.print(f"text hash {v['hash']}")
    console.print(f"conference {conference['id']} ({escape(conference['title'])}), genesis "
                  f"{conference['genesis']}")  # fmt: skip
    _print_decision(console, d)
    console.print(f"under {c['rules']}")
    for p in v["paragraphs"]:
        console.print(f"  {escape(p['number'])}. {escape(p['plain'])}")
    for s in c["statements"]:
        console.print(_statement_line(s))
    for s in c["observers_statements"]:
        console.print("observer's contribution: " + _statement_line(s))
    for sig in c["signatures"]:
        status = "pending confirmation by its state" if sig["pending"] else (
            "confirmed" if sig["ad_referendum"] or sig["unauthorised"] else "")  # fmt: skip
        if sig["unauthorised"]:
            status += " (made without full powers to sign: VCLT art. 8)"
        meaning = f" ({sig['meaning']})" if sig["meaning"] else ""
        console.print(
            f"{sig['act']}{meaning} by {escape(sig['signer'])}, {sig['capacity']}, entry "
            f"#{sig['seq']}, {sig['time']}{' ad referendum' if sig['ad_referendum'] else ''}"
            f"{', ' + status if status else ''}" + (f", {sig['seating']}" if sig["seating"] else "")
        )
    states = ", ".join(f"{p['code']}{' (observer)' if p['role'] == 'observer' else ''}"
                       f"{' (' + escape(p['seating']) + ')' if p['seating'] else ''}"
                       for p in c["participants"])  # fmt: skip
    console.print(f"participating states: {states}")
    console.print("full powers of the signers, each chained to its state's root:")
    for fp in c["full_powers"]:
        console.print(
            f"  {escape(fp['label'])}: key {fp['key']}, "
            + (
                f"{fp['function']}, in virtue of functions, designation {fp['id']} "
                if fp["function"]
                else f"full powers {fp['id']} "
            )
            + f"(to {fp['powers']}), root of {fp['state']} {fp['root']}"
        )
    console.print(
        f"[green]VALID FINAL ACT[/green]: {c['entries']} entries verified, "
        f"{c['sealed']} messages left sealed. Compare "
        "the genesis hash and the root fingerprints with those published."
    )


def _print_decision(console: Console, d: dict[str, Any]) -> None:
    rule = f" ({d['rule']})" if d["rule"] else ""
    closed = f", closed at entry #{d['closed_seq']}" if d["closed_seq"] is not None else ""
    deadline = (
        f", silence until {d['deadline']} ({escape(d['time_zone'] or '')})"
        if d["deadline"] else ""
    )  # fmt: skip
    console.print(
        f"adopted by {d['procedure']}{rule}: decision {escape(d['id'])} opened at entry "
        f"#{d['seq']}, {d['opened']}{deadline}{closed}"
    )
    if d["procedure"] == "vote":
        cast = ", ".join(f"{code}: {vote}" for code, vote in d["roll_call"] or d["votes"])
        said = "roll-call" if d["roll_call"] else "votes"
        console.print(f"  {said}: {_tally(d['tally'])}; {cast}")
    for seq, time, who, kind in d["late"]:
        console.print(f"  late {kind} by {who} (entry #{seq}, {time}): no effect")


def _statement_line(s: dict[str, Any]) -> str:
    when = f", {s['timing']}" if s["timing"] else ""
    seated = f" ({s['seating']})" if s["seating"] else ""
    return (
        f"statement ({s['kind']}{when}) by {s['state']}{seated} on {escape(s['subject'])}: "
        + escape(s["text"])
    )


def _tally(tally: dict[str, int]) -> str:
    """A vote's count in words: "2 yes, 0 no, 1 abstaining"."""
    return f"{tally['yes']} yes, {tally['no']} no, {tally['abstain']} abstaining"
