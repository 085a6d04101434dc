"""`accord demo`: the story in one process, or through a running relay (`--relay`)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from accord.cli.common import console, err
from accord.core.errors import AccordError


def demo(
    out: Path = typer.Option(Path("data/demo"), "--out", help="Folder for the exported record."),
    relay: str | None = typer.Option(
        None, "--relay", help="Run the story through this relay, each party its own node."
    ),
) -> None:
    """Run a small conference, export its record and verify it (in one process, or
    through a running relay with --relay)."""
    if relay is None:
        from accord.demo.story import run_demo  # noqa: PLC0415 - the core alone

        run_demo(out, console)
        return
    from accord.demo.relay import run_relay_demo  # noqa: PLC0415 - a node per party (accord[node])

    try:
        run_relay_demo(relay, out, console)
    except AccordError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from exc
