"""`accord verify` (records and final acts, offline), `accord fingerprint`, `accord version`.

This is what an archive that only verifies runs: it needs the core and nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from rich.table import Table

from accord import __version__
from accord.cli.common import EXIT_INVALID, EXIT_UNREADABLE, EXIT_VALID, console, err
from accord.cli.display import message_line
from accord.core.errors import AccordError, RecordFormatError
from accord.core.keys import PublicKey, fingerprint, safety_number
from accord.core.record import Report
from accord.core.times import format_time
from accord.infra.record_file import read_record


def verify(
    file: Path = typer.Argument(..., help="An exported record (.accord.jsonl) or final act."),
    genesis: str | None = typer.Option(
        None, "--genesis", help="The genesis hash you expect (obtained out of band)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    show_messages: bool = typer.Option(False, "--messages", help="List the messages."),
) -> None:
    """Verify a record or a final act offline. Exit 0: valid; 1: invalid (reason printed);
    2: unreadable."""
    if not file.is_file():
        err.print(f"[red]error:[/red] {file} is not a readable file")
        raise typer.Exit(EXIT_UNREADABLE)
    total = file.stat().st_size
    with open(file, "rb") as f:
        is_final_act = f.read(16).startswith(b'{"adopted":')
    if is_final_act:
        from accord.core.final_act import verify as verify_final_act  # noqa: PLC0415
        from accord.documents.console import print_final_act  # noqa: PLC0415

        try:
            act = verify_final_act(file.read_bytes())
        except RecordFormatError as exc:
            err.print(f"[red]error:[/red] {file}: {exc}")
            raise typer.Exit(EXIT_UNREADABLE) from exc
        print_final_act(console, act)
        raise typer.Exit(EXIT_VALID if act.ok else EXIT_INVALID)
    try:
        with Progress(
            "[progress.description]{task.description}", BarColumn(), DownloadColumn(),
            TimeRemainingColumn(), console=err, transient=True, disable=total < 4_000_000,
        ) as progress:  # fmt: skip
            task = progress.add_task("verifying", total=total)
            report = read_record(
                file,
                expected_genesis=genesis,
                keep_messages=show_messages or as_json,
                on_bytes=lambda n: progress.advance(task, n),
            )
    except RecordFormatError as exc:
        err.print(f"[red]error:[/red] {file}: {exc}")
        raise typer.Exit(EXIT_UNREADABLE) from exc
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot read {file}: {exc.strerror}")
        raise typer.Exit(EXIT_UNREADABLE) from exc
    if as_json:
        console.print_json(json.dumps(_report_json(report)))
    else:
        _print_report(file, report, show_messages)
    raise typer.Exit(EXIT_VALID if report.ok else EXIT_INVALID)


def _report_json(report: Report) -> dict[str, object]:
    return {
        "valid": report.ok,
        "entries": report.entries,
        "head": report.head,
        "problem": None
        if report.problem is None
        else {
            "seq": report.problem.seq,
            "code": report.problem.code,
            "message": report.problem.message,
        },
        "notices": [{"seq": n.seq, "code": n.code, "message": n.message} for n in report.notices],
        "state": report.state.summary() if report.state else None,
    }


def _print_report(file: Path, report: Report, show_messages: bool) -> None:
    state = report.state
    if not report.ok:
        assert report.problem is not None
        console.print(
            f"[red]INVALID[/red] ({report.problem.code}): {escape(report.problem.message)}"
        )
        console.print(f"{report.entries} entries verified before the problem, in {file}")
        return
    if state is not None:
        g = state.genesis
        console.print(f"[bold]{g.title}[/bold]  ({state.conf})")
        console.print(f"genesis  {state.genesis_hash}")
        console.print(f"chair    {g.chair.name}; decision rule {g.rules.decision_rule}")
        table = Table("state", "name", "role", "root key fingerprint", box=None)
        for s in state.states.values():
            table.add_row(s.code, s.name, s.role, fingerprint(s.root))
        console.print(table)
        delegates = Table("delegate", "state", "powers", "joined", "revoked", box=None)
        for cid, fp in state.credentials.items():
            delegates.add_row(
                fp.delegate, fp.state, ", ".join(sorted(fp.powers)),
                f"#{state.joined_at[cid]}", format_time(state.revoked_at(fp)),
            )  # fmt: skip
        if state.credentials:
            console.print(delegates)
        console.print(f"messages {state.message_count}")
        if show_messages:
            for m in state.messages.values():
                console.print("  " + message_line(m))
    for n in report.notices:
        console.print(f"[yellow]notice[/yellow] #{n.seq}: {escape(n.message)}")
    console.print(
        f"[green]VALID[/green]: {report.entries} entries, every signature, receipt, "
        f"chain and credential checks out; head {report.head} "
        f"(checkpoint {format_time(report.checkpoint_time)})"
    )
    console.print(
        "Trust rests on the genesis hash and the root fingerprints above: compare them "
        "with those each ministry and the host published."
    )


def fingerprint_cmd(
    key: str = typer.Argument(..., help="A public key, e.g. ed25519:..."),
    other: str | None = typer.Argument(None, help="A second key: print their safety number."),
) -> None:
    """Print the fingerprint of a key, or the safety number of two keys, to compare aloud."""
    try:
        a = PublicKey.parse(key)
        if other is None:
            console.print(fingerprint(a))
        else:
            console.print(safety_number(a, PublicKey.parse(other)))
    except AccordError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_UNREADABLE) from exc


def version() -> None:
    """Print the version."""
    console.print(f"accord {__version__}")
