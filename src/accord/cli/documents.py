"""Restricted documents: `accord document ...` (circulate, list, read, trace).

A document goes to named delegations only, one copy each, worded for its recipient; a
recipient reads its copy and signs for it; the circulator names the recipient of a copy
that leaked (docs/protocol.md 12.6 and 12.7).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from accord.cli.common import CONF, HOME, console, open_node, posted
from accord.core.restricted import MARKINGS
from accord.infra.clock import now_ms

document_app = typer.Typer(
    help="Restricted documents: to named delegations, one traceable copy each.",
    no_args_is_help=True,
)
DOCUMENT = typer.Option(..., "--id", help="The document's id.")


def _paragraphs(path: Path) -> list[str]:
    """A plain text file, paragraphs separated by blank lines."""
    blocks = path.read_text("utf-8").replace("\r\n", "\n").split("\n\n")
    return [" ".join(b.split()) for b in blocks if b.strip()]


@document_app.command("circulate")
def circulate(
    conf: str = CONF,
    document: str = DOCUMENT,
    title: str = typer.Option(..., "--title"),
    file: Path = typer.Option(..., "--file", help="The text: paragraphs separated by blank lines."),
    to: list[str] = typer.Option(..., "--to", help="A recipient state (repeat for each)."),
    marking: str = typer.Option(
        "working draft for informal consultations", "--marking",
        help=f"One of: {', '.join(sorted(MARKINGS))}.",
    ),
    home: Path = HOME,
) -> None:  # fmt: skip
    """Circulate a text to named delegations only, each copy traceable to its recipient."""
    paragraphs = _paragraphs(file)
    with open_node(home) as node:
        done = node.circulate(conf, document, title, marking, paragraphs, to, now_ms())
    posted(f"{document} circulated to {', '.join(sorted(set(to)))}", done.receipt)
    console.print(_traceability(done.capacity, len(set(to))))


def _traceability(sites: int, recipients: int) -> str:
    """What the wording variants of a circulated text can tell apart, in words."""
    if sites == 0:
        return (
            "this text has no wording variant: a retyped copy cannot be traced; digital "
            "copies carry invisible marks"
        )
    told = (
        f"{sites} wording variant{'s tell' if sites != 1 else ' tells'} the copies apart if retyped"
    )
    if 2**sites - 1 < recipients:
        told += f", among at most {2**sites - 1} of the {recipients} recipients"
    return told + "; digital copies also carry invisible marks"


@document_app.command("list")
def list_documents(conf: str = CONF, home: Path = HOME) -> None:
    """The restricted documents in the record: who circulated them, to whom, receipts."""
    with open_node(home) as node:
        records = node.documents(conf)
    for doc_id, r in sorted(records.items()):
        signed = ", ".join(f"{state} (#{seq})" for state, rs in sorted(r.receipts.items())
                           for seq, _ in rs[:1])  # fmt: skip
        console.print(
            f"{doc_id}: by {escape(r.by)} at #{r.seq}, to {', '.join(r.body.distribution)}; "
            f"signed for by {signed or 'nobody yet'}"
        )


@document_app.command("read")
def read(
    conf: str = CONF,
    document: str = DOCUMENT,
    out: Path | None = typer.Option(None, "--out", help="Also write the copy's text here."),
    home: Path = HOME,
) -> None:
    """Open this delegation's copy, and sign for it the first time."""
    with open_node(home) as node:
        copy = node.read_document(conf, document, now_ms())
    console.print(f"[bold]{escape(copy.marking.upper())}[/bold]")
    console.print(f"{escape(copy.title)} (copy of {copy.state}, {copy.commit})")
    for p in copy.paragraphs:
        console.print(escape(p))
    if out is not None:
        out.write_text("\n\n".join(copy.paragraphs) + "\n", "utf-8")


@document_app.command("trace")
def trace(
    conf: str = CONF,
    document: str = DOCUMENT,
    leaked: Path = typer.Option(..., "--leaked", help="The leaked text, as found (a file)."),
    home: Path = HOME,
) -> None:
    """Name the recipient whose copy a leaked text comes from, where the evidence does."""
    with open_node(home) as node:
        found = node.trace_leak(conf, document, leaked.read_text("utf-8"))
    t = found.trace
    console.print(f"[bold]{t.verdict}[/bold]: {escape(t.explanation)}")
    for s in t.ranking:
        receipts = found.receipts.get(s.recipient, [])
        signed = (
            f"; signed for at #{receipts[0][0]} by {escape(receipts[0][1])}" if receipts else ""
        )
        console.print(f"  {s.recipient}: {s.matched} of {s.compared} wording marks agree{signed}")
