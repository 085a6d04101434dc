"""The `accord` command line."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from rich.table import Table

from accord import __version__, negotiation_cli, node_cli, web_cli
from accord.core.errors import AccordError, RecordFormatError
from accord.core.final_act import verify as verify_final_act
from accord.core.keys import PublicKey, fingerprint, safety_number
from accord.core.record import Report
from accord.core.times import format_time
from accord.demo import run_demo
from accord.demo_relay import run_relay_demo
from accord.display import message_line
from accord.final_act_view import print_final_act
from accord.record_file import read_record
from accord.relay.limits import Limits

app = typer.Typer(
    help="Accord: secure, verifiable digital negotiations between states.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


@app.command()
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


@app.command()
def demo(
    out: Path = typer.Option(Path("data/demo"), "--out", help="Folder for the exported record."),
    relay: str | None = typer.Option(
        None, "--relay", help="Run the story through this relay, each party its own node."
    ),
) -> None:
    """Run a small conference, export its record and verify it (in one process, or
    through a running relay with --relay)."""
    if relay is None:
        run_demo(out, console)
        return
    try:
        run_relay_demo(relay, out, console)
    except AccordError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from exc


@app.command("fingerprint")
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


node_cli.register(app)
negotiation_cli.register(app)
web_cli.register(app)
relay_app = typer.Typer(help="Run a relay.", no_args_is_help=True)
app.add_typer(relay_app, name="relay")


@relay_app.command("serve")
def relay_serve(
    db: str = typer.Option(
        "sqlite:///data/relay/relay.sqlite", "--db", help="sqlite:///FILE or postgresql://..."
    ),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8470, "--port"),
    key: Path = typer.Option(
        Path("data/relay/sequencer.key"),
        "--key",
        help="The sequencer key (created if missing). Relay processes sharing one "
        "database share this key.",
    ),
    rate: float = typer.Option(
        Limits.rate_per_second, "--rate", help="Requests per second per key."
    ),
    burst: int = typer.Option(Limits.burst, "--burst", help="Requests a key may send at once."),
    subscribers: int = typer.Option(
        Limits.max_subscribers_per_key, "--max-subscribers", help="Open streams per key."
    ),
) -> None:
    """Serve a relay: sequence, store, receipt and push conference logs."""
    if db.startswith("sqlite:///"):
        Path(db.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    limits = Limits(rate_per_second=rate, burst=burst, max_subscribers_per_key=subscribers)
    from accord.relay.serve import serve  # noqa: PLC0415 - the web stack loads only for a relay

    serve(db, host, port, key, limits)


@app.command()
def version() -> None:
    """Print the version."""
    console.print(f"accord {__version__}")


def main() -> None:
    app()
