"""What the commands share: the consoles, the node home option, the passphrase,
opening a node, reading and writing JSON files, exit codes; for the negotiation's
commands, the `--conf` and `--text` options, finding a version, reporting a receipt.

Nothing heavy is imported here: a node (SQLAlchemy, httpx) is imported when a command
opens one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from accord.core.errors import AccordError
from accord.core.times import format_time
from accord.node import acts

if TYPE_CHECKING:
    from accord.core.negotiation import Negotiation
    from accord.core.texts import Version
    from accord.node.session import Node

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2

HOME = typer.Option(
    Path("data/node"), "--home", envvar="ACCORD_HOME", help="The node's folder (keystore, replica)."
)


def quiet_option(what: str) -> Any:
    """`--quiet`/`-q`: print only `what`, alone on its line, for a script to capture
    (`KEY=$(accord identity create --quiet)`, as in docs/tour.sh)."""
    return typer.Option(False, "--quiet", "-q", help=f"Print only {what} (for scripts).")


def print_value(value: str) -> None:
    """A value a script captures: plain, on one line, never styled or wrapped."""
    typer.echo(value)


def passphrase(confirm: bool = False) -> str:
    value = os.environ.get("ACCORD_PASSPHRASE")
    if value is None:
        value = typer.prompt("Keystore passphrase", hide_input=True, confirmation_prompt=confirm)
    return value


@contextmanager
def open_node(home: Path) -> Iterator[Node]:
    """The node in `home`, unlocked; a refusal exits 1, a node that cannot open exits 2."""
    from accord.node.session import Node  # noqa: PLC0415 - loads the node's stack

    try:
        node = Node.open(home, passphrase())
    except AccordError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    try:
        yield node
    except AccordError as exc:
        code = getattr(exc, "code", None)
        err.print(f"[red]refused[/red]{f' ({code})' if code else ''}: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    finally:
        node.close()


def read_json(path: Path) -> dict[str, object]:
    try:
        value = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] cannot read {path}: {exc}")
        raise typer.Exit(2) from exc
    if not isinstance(value, dict):
        err.print(f"[red]error:[/red] {path} does not hold a JSON object")
        raise typer.Exit(2)
    return value


def write_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", "utf-8")


CONF = typer.Option(..., "--conf")
TEXT = typer.Option(..., "--text", help="The text's id.")


def version_of(negotiation: Negotiation, text: str, number: int | None) -> Version:
    try:
        return acts.version_of(negotiation, text, number)
    except acts.ActError as exc:
        raise typer.BadParameter(str(exc)) from exc


def posted(what: str, receipt: dict[str, Any], void: str | None = None) -> None:
    """The receipt of an act; one the record gives no effect is reported as refused."""
    where = (
        f"entry #{receipt['seq']}, receipt time {format_time(receipt['time'])}, "
        f"id {receipt['event']}"
    )
    if void is not None:
        err.print(f"[red]recorded, but without effect[/red] ({where}): {escape(void)}")
        raise typer.Exit(1)
    console.print(f"{what}: {where}")


def refresh(node: Node, conf: str) -> None:
    """Sync before showing what the record says; a relay that cannot be reached leaves the
    node's verified copy to show, and says so (a read needs no relay)."""
    from accord.node.client import RelayError  # noqa: PLC0415 - loads the node's stack

    try:
        node.sync(conf)
    except RelayError as exc:
        if exc.code != "unreachable":
            raise
        err.print(
            f"[yellow]the relay cannot be reached[/yellow]: shown from this node's verified "
            f"copy ({node.view(conf).length} entries, {node.synced_note(conf)}). "
            f"{escape(exc.message)}"
        )
