"""`accord web ...`: serve a delegation's web interface, or the three-delegation demo.

The interface listens on 127.0.0.1 only: the browser talks to its own node, and the
node alone talks to the relay.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from accord.cli.common import console
from accord.infra.clock import monotonic

if TYPE_CHECKING:  # the web stack loads only when a command serves it
    import uvicorn

    from accord.node.web.service import WebNode

LOOPBACK = "127.0.0.1"


def _server(home: Path, port: int, poll: float) -> tuple[uvicorn.Server, WebNode]:
    import uvicorn  # noqa: PLC0415

    from accord.node.web.app import create_app  # noqa: PLC0415
    from accord.node.web.service import WebNode  # noqa: PLC0415

    class Server(uvicorn.Server):
        # Several servers share one process: `_serve_all` handles Ctrl-C for all of them
        # (each uvicorn server would otherwise take the signal handlers from the others).
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    service = WebNode(home, poll)
    config = uvicorn.Config(
        create_app(service), host=LOOPBACK, port=port, log_level="warning",
        timeout_graceful_shutdown=1, lifespan="off",
    )  # fmt: skip
    return Server(config), service


async def _serve_all(servers: list[tuple[uvicorn.Server, WebNode]]) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop every server and lock every node."""
    import asyncio  # noqa: PLC0415 - only a command that serves needs an event loop

    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server, _ in servers:
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    for _, service in servers:
        service.start()
    try:
        await asyncio.gather(*(server.serve() for server, _ in servers))
    finally:
        for _, service in servers:
            service.stop()


def _run(main: Coroutine[Any, Any, None]) -> None:
    import asyncio  # noqa: PLC0415

    asyncio.run(main)


web_app = typer.Typer(help="The delegation's web interface.", no_args_is_help=True)


@web_app.command("serve")
def serve(
    home: Path = typer.Option(
        Path("data/node"), "--home", envvar="ACCORD_HOME", help="The node's folder."
    ),
    port: int = typer.Option(8480, "--port"),
    poll: float = typer.Option(1.0, "--poll", help="Seconds between syncs with the relay."),
) -> None:
    """Serve this node's web interface on http://127.0.0.1:PORT (unlock it there with
    the keystore passphrase)."""
    if not (home / "keystore.json").exists():
        console.print(
            f"[red]error:[/red] no node in {escape(str(home))}: create one with `accord init`"
        )
        raise typer.Exit(2)
    console.print(f"Delegation web interface: http://{LOOPBACK}:{port}/", highlight=False)
    _run(_serve_all([_server(home, port, poll)]))


@web_app.command("demo")
def demo(
    data: Path = typer.Option(Path("data"), "--data", help="Where the relay and nodes live."),
    relay_port: int = typer.Option(8470, "--relay-port"),
    first_port: int = typer.Option(8471, "--port", help="The first delegation's port."),
) -> None:
    """A relay (SQLite) and three demo delegations in a demo conference, each serving
    its web interface: the main job of `make run`."""
    from accord.demo.web import DELEGATIONS, PASSPHRASE, ensure_demo  # noqa: PLC0415

    relay_url = f"http://{LOOPBACK}:{relay_port}"
    relay = _start_relay(data, relay_port, relay_url)
    try:
        console.print(
            f"Relay on {relay_url} (database {escape(str(data))}/relay/relay.sqlite).",
            highlight=False,
        )
        cast = ensure_demo(relay_url, data / "web-demo")
        console.print(f"Demo conference [bold]{cast.conf}[/bold], genesis {cast.genesis}.")
        servers = []
        for k, code in enumerate(DELEGATIONS):
            port = first_port + k
            servers.append(_server(cast.homes[code], port, 1.0))
            role = " (presides as chair)" if k == 0 else ""
            console.print(
                f"  {DELEGATIONS[code][1]} of {DELEGATIONS[code][0]}{role}: "
                f"http://{LOOPBACK}:{port}/", highlight=False,
            )  # fmt: skip
        console.print(f"Unlock each with the demo passphrase: [bold]{PASSPHRASE}[/bold]")
        console.print("Ctrl-C stops the relay and the three nodes.")
        _run(_serve_all(servers))
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def _start_relay(data: Path, port: int, url: str) -> subprocess.Popen[bytes]:
    (data / "relay").mkdir(parents=True, exist_ok=True)
    log = open(data / "relay" / "relay.log", "ab")  # noqa: SIM115 (the relay's lifetime)
    proc = subprocess.Popen(
        [sys.executable, "-m", "accord", "relay", "serve",
         "--db", f"sqlite:///{data}/relay/relay.sqlite",
         "--key", str(data / "relay" / "sequencer.key"),
         "--host", LOOPBACK, "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    import httpx  # noqa: PLC0415

    deadline = monotonic() + 30
    while monotonic() < deadline:
        if proc.poll() is not None:
            raise typer.BadParameter(
                f"the relay did not start (is port {port} taken?); see {data}/relay/relay.log"
            )
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.terminate()
    raise typer.BadParameter(f"the relay did not answer on {url}; see {data}/relay/relay.log")
