"""`accord relay serve`: a relay process (the web stack loads only when it starts)."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.relay.limits import Limits

relay_app = typer.Typer(help="Run a relay.", no_args_is_help=True)


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
