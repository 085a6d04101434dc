"""Benchmark: the relay's durable, signature-checked event rate, and its fan-out delay.

For SQLite and PostgreSQL: a relay process on loopback, a conference of 32 delegations,
then 1, 8 and 32 concurrent submitters posting signed messages (each accepted only once
durably committed, with every check of docs/protocol.md section 7). Then the delay from
acceptance (the receipt's time) to delivery at 100 WebSocket subscribers. Then, in the
same run, Matrix Synapse with the same message workload (benchmarks/synapse_peer.py).

    python benchmarks/relay.py [--messages N] [--no-synapse]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from websockets.asyncio.client import connect

from accord.core.encoding import canonical
from accord.core.events import Event
from accord.core.keys import SigningKey
from accord.core.requests import sign_request

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.load import Writer, open_conference
from tests.relay_process import RelayProcess, postgres_database

CONCURRENCY = [1, 8, 32]
TEXT = "Delegation proposes to replace 'shall' by 'should' in operative paragraph 4, " * 2


def presign(writer: Writer, count: int) -> list[tuple[bytes, dict[str, str]]]:
    """Events signed ahead, so that the timed part is the relay's work."""
    out = []
    for i in range(count):
        event = writer.message(f"{i} {TEXT}")
        writer.prev = Event.parse(event).hash
        # Events authenticate themselves: no request signature (docs/protocol.md).
        out.append((canonical(event), {"content-type": "application/json"}))
    return out


def send_all(url: str, conf: str, requests: list[tuple[bytes, dict[str, str]]]) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        for body, headers in requests:
            response = client.post(f"/v1/conferences/{conf}/events", content=body, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"refused: {response.text}")


def rate(url: str, writers: list[Writer], n: int, messages: int) -> float:
    per = max(1, messages // n)
    batches = [presign(w, per) for w in writers[:n]]
    threads = [threading.Thread(target=send_all, args=(url, "load", b)) for b in batches]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    for w, batch in zip(writers[:n], batches, strict=True):
        w.receipts.extend([{}] * len(batch))
    return per * n / elapsed


async def fanout(url: str, writer: Writer, subscribers: int, posts: int) -> list[float]:
    """Delays (ms) from each receipt's time to its arrival at each subscriber."""
    path = "/v1/conferences/load/stream"
    arrivals: list[float] = []
    start_seq: int | None = None

    async def subscribe(ready: asyncio.Event, done: asyncio.Event) -> None:
        key = SigningKey.generate()
        query = f"start={start_seq}"
        headers = sign_request(
            key, "GET", path, query, b"", int(time.time() * 1000), secrets.token_urlsafe(18)
        )
        async with connect(
            url.replace("http", "ws") + f"{path}?{query}", additional_headers=headers
        ) as ws:
            ready.set()
            got = 0
            while got < posts:
                entry = json.loads(await asyncio.wait_for(ws.recv(), 30))
                arrivals.append(time.time() * 1000 - entry["receipt"]["time"])
                got += 1
        done.set()

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        length = (await client.get("/health")).status_code and None  # warm the connection
        del length
    with httpx.Client(base_url=url, timeout=30) as c:
        headers = sign_request(
            writer.key,
            "GET",
            "/v1/conferences/load/checkpoint",
            "",
            b"",
            int(time.time() * 1000),
            secrets.token_urlsafe(18),
        )
        start_seq = c.get("/v1/conferences/load/checkpoint", headers=headers).json()["seq"] + 1
    readies = [asyncio.Event() for _ in range(subscribers)]
    dones = [asyncio.Event() for _ in range(subscribers)]
    tasks = [asyncio.create_task(subscribe(r, d)) for r, d in zip(readies, dones, strict=True)]
    await asyncio.gather(*(r.wait() for r in readies))
    await asyncio.sleep(0.5)
    requests = presign(writer, posts)
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for body, headers in requests:
            response = await client.post(
                "/v1/conferences/load/events", content=body, headers=headers
            )
            response.raise_for_status()
            await asyncio.sleep(0.05)  # a steady 20 events/s: delays, not a backlog
    await asyncio.gather(*tasks)
    return arrivals


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def measure(db: str, tmp: Path, messages: int) -> tuple[dict[int, float], list[float]]:
    relay = RelayProcess(db, tmp / "sequencer.key", tmp / "relay.log",
                         args=("--rate", "1000000", "--burst", "1000000", "--max-subscribers", "1000")).start()  # fmt: skip
    try:
        writers = open_conference(relay.url, max(CONCURRENCY))
        rates = {n: rate(relay.url, writers, n, messages) for n in CONCURRENCY}
        delays = asyncio.run(fanout(relay.url, writers[0], 100, 50))
    finally:
        relay.stop()
    return rates, delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--no-synapse", action="store_true")
    args = parser.parse_args()
    console = Console()
    results: dict[str, dict[int, float]] = {}
    delays: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_dir = Path(tmp) / "sqlite"
        sqlite_dir.mkdir()
        results["Accord relay, SQLite"], delays["SQLite"] = measure(
            f"sqlite:///{sqlite_dir / 'relay.sqlite'}", sqlite_dir, args.messages
        )
        pg_dir = Path(tmp) / "pg"
        pg_dir.mkdir()
        with postgres_database() as db:
            results["Accord relay, PostgreSQL"], delays["PostgreSQL"] = measure(
                db, pg_dir, args.messages
            )
    if not args.no_synapse:
        from benchmarks.synapse_peer import synapse_rates

        results["Synapse, SQLite"] = synapse_rates(
            Path(tempfile.gettempdir()) / "accord-synapse-bench",
            CONCURRENCY,
            min(args.messages, 600),
        )
    table = Table(title="Accepted messages per second (durable)")
    table.add_column("system")
    for n in CONCURRENCY:
        table.add_column(f"{n} submitter{'s' if n > 1 else ''}", justify="right")
    for name, r in results.items():
        table.add_row(name, *(f"{r.get(n, float('nan')):.0f}" for n in CONCURRENCY))
    if "Synapse, SQLite" in results:
        s = results["Synapse, SQLite"]
        for name in ("Accord relay, SQLite", "Accord relay, PostgreSQL"):
            table.add_row(
                f"{name} / Synapse",
                *(f"{results[name][n] / s[n]:.1f}x" if s.get(n) else "-" for n in CONCURRENCY),
            )
    console.print(table)
    fan = Table(
        title="Fan-out: receipt to delivery at 100 WebSocket subscribers (50 events at 20/s)"
    )
    fan.add_column("database")
    fan.add_column("median ms", justify="right")
    fan.add_column("p99 ms", justify="right")
    fan.add_column("deliveries", justify="right")
    for name, d in delays.items():
        fan.add_row(name, f"{statistics.median(d):.1f}", f"{percentile(d, 99):.1f}", str(len(d)))
    console.print(fan)
    console.print(f"machine: {platform.machine()}, Python {platform.python_version()}; "
                  "clients, relay and database share the machine's 2 cores")  # fmt: skip


if __name__ == "__main__":
    main()
