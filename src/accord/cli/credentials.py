"""Credentials and seating: `accord credentials ...` (lodge, report, seat, show).

An authority lodges credentials for a seat with its root key; the credentials committee
(the chair, where the rules name none) reports; the chair puts the report to the plenary
(`accord decision open --kind credentials --report ...`) and, once it is approved,
records the seating (docs/protocol.md 12.5).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from accord.cli.common import CONF, HOME, console, open_node, posted, refresh
from accord.documents.final_act import SEATING_WORDS
from accord.infra.clock import now_ms

credentials_app = typer.Typer(
    help="Credentials and seating (rules of procedure 2).", no_args_is_help=True
)


@credentials_app.command("lodge")
def lodge(
    conf: str = CONF,
    state: str = typer.Option(..., "--state", help="The seat claimed, by its state code."),
    authority: str = typer.Option(..., "--authority", help='e.g. "Government of Elbonia".'),
    home: Path = HOME,
) -> None:
    """Lodge credentials for a state's seat, signed by this node's root key for it."""
    with open_node(home) as node:
        receipt = node.lodge_credentials(conf, state, authority, now_ms())
    posted(f"credentials of {authority} for {state} lodged", receipt)


def _finding(text: str) -> tuple[str, str, str]:
    seat, _, rest = text.partition(":")
    root, _, finding = rest.rpartition(":")
    if not (seat and root and finding):
        raise typer.BadParameter(f"{text!r}: write SEAT:ROOT:FINDING, e.g. ELB:ed25519:Jr0n:accept")
    return seat, root, finding


@credentials_app.command("report")
def report(
    conf: str = CONF,
    finding: list[str] = typer.Option(
        ..., "--finding",
        help="SEAT:ROOT:FINDING, ROOT a prefix of the claiming root key (see `credentials "
        "show`), FINDING accept, reject or defer; once per claim reported on.",
    ),
    text: str = typer.Option(..., "--text", help="The report's text."),
    home: Path = HOME,
) -> None:  # fmt: skip
    """The credentials committee's report (the chair's, where the rules name none)."""
    findings = [_finding(f) for f in finding]
    with open_node(home) as node:
        receipt = node.report_credentials(conf, findings, text, now_ms())
    posted(f"credentials report {receipt['event']}", receipt)


@credentials_app.command("seat")
def seat(
    conf: str = CONF,
    report: str = typer.Option(..., "--report", help="The report's id (prefix)."),
    decision: str = typer.Option(..., "--decision", help="The plenary's decision approving it."),
    home: Path = HOME,
) -> None:
    """The chair records the seating on a report the plenary approved."""
    with open_node(home) as node:
        receipt = node.record_seating(conf, report, decision, now_ms())
    posted("seating recorded", receipt)


@credentials_app.command("show")
def show(conf: str = CONF, home: Path = HOME) -> None:
    """Every seat's claims and their status, and the reports on them."""
    with open_node(home) as node:
        refresh(node, conf)
        state = node.view(conf).state
        assert state is not None
        flags = [f for f in node.negotiation(conf).flags if f.seq in state.seating.applied_at()]
    for code, claims in sorted(state.seating.claims.items()):
        for c in sorted(claims.values(), key=lambda c: c.seq):
            lodged = "in the genesis" if c.seq == 0 else f"lodged at #{c.seq}"
            console.print(
                f"{code}: {escape(c.authority)} (root {c.root}, {lodged}): "
                f"[bold]{SEATING_WORDS[c.status]}[/bold]"
            )
    for h, (seq, by, r) in state.seating.reports.items():
        applied = state.seating.applied.get(h)
        after = f", seating recorded at #{applied[0]} (decision {applied[1]})" if applied else ""
        console.print(f"report {h} by {escape(by)} at #{seq}{after}: {escape(r.text)}")
        for x in r.findings:
            console.print(f"  {x.seat} {x.root}: {x.finding}")
    for f in flags:
        console.print(f"[yellow]contested[/yellow] #{f.seq} {escape(f.who)}: {escape(f.reason)}")
