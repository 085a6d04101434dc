"""Benchmark: the delegation's web interface, as a delegate feels it.

Three delegations on their own `accord web serve` processes around a real relay (SQLite),
the 50-paragraph draft of tests/data tabled and N proposals made on it (each supported by
another delegation). Then, for each main page, the time from request to the last byte
(median and 95th percentile of repeated loads, one browser-less client), and the live
update latency: from one delegation's act (a message posted through its own interface)
to the moment another delegation's page is told by its event stream that the record
changed (the page then fetches itself again).

    python benchmarks/web.py [--proposals N]
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from accord.core import events as ev
from accord.demo.web import PASSPHRASE, convene_demo
from accord.documents.word import import_docx
from accord.node import acts
from accord.node.session import Node

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.relay_process import RelayProcess
from tests.web_nodes import WebNodeProcess

DRAFT = Path(__file__).parents[1] / "tests" / "data" / "cica-draft.docx"


def _now() -> int:
    return int(time.time() * 1000)


def _prepare(homes: dict[str, Path], conf: str, proposals: int) -> None:
    nodes = {code: Node.open(home, PASSPHRASE) for code, home in homes.items()}
    try:
        version = import_docx(DRAFT, "cica")
        nodes["ARC"].negotiate(conf, ev.TEXT, acts.table(version), _now())
        made = []
        for k in range(proposals):
            code = ("BOR", "CAL")[k % 2]
            nodes[code].sync(conf)
            n = nodes[code].negotiation(conf)
            current = acts.version_of(n, "cica")
            paragraph = current.paragraphs[k % len(current.paragraphs)]
            first = paragraph.plain.split()[0]
            content = acts.amendment(current, paragraph.id, "insert_words", first, f" [{k}]")
            made.append(nodes[code].negotiate(conf, ev.AMEND, content, _now())["event"])
        for k, proposal in enumerate(made):
            supporter = ("CAL", "BOR")[k % 2]
            nodes[supporter].negotiate(conf, ev.STANCE, acts.stance(proposal, "support"), _now())
    finally:
        for node in nodes.values():
            node.close()


def _client(web: WebNodeProcess) -> httpx.Client:
    client = httpx.Client(base_url=web.url, timeout=30)
    client.post("/unlock", data={"passphrase": PASSPHRASE})
    return client


def _page_times(client: httpx.Client, path: str, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _live_latency(sender: httpx.Client, watcher: httpx.Client, conf: str, runs: int) -> list[float]:
    out = []
    for k in range(runs):
        token = re.search(r'name="csrf" value="([^"]+)"', sender.get("/").text)
        assert token is not None
        seen = threading.Event()
        ready = threading.Event()

        def listen(seen: threading.Event = seen, ready: threading.Event = ready) -> None:
            since = re.search(r"since=(\d+)", watcher.get(f"/c/{conf}/ch/plenary").text)
            assert since is not None
            with watcher.stream("GET", f"/events?since={since.group(1)}") as stream:
                ready.set()
                for line in stream.iter_lines():
                    if line.startswith("event: changed"):
                        seen.set()
                        return

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        ready.wait(10)
        start = time.perf_counter()
        sender.post(f"/c/{conf}/ch/plenary", data={"csrf": token.group(1), "text": f"m{k}"})
        seen.wait(30)
        out.append((time.perf_counter() - start) * 1000)
        thread.join(5)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=100)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        relay = RelayProcess(f"sqlite:///{tmp / 'relay.sqlite'}", tmp / "key", tmp / "relay.log")
        relay.start()
        try:
            cast = convene_demo(relay.url, tmp / "nodes", conf="bench")
            _prepare(cast.homes, cast.conf, args.proposals)
            webs = {
                c: WebNodeProcess(h, tmp / f"web-{c}.log").start() for c, h in cast.homes.items()
            }
            try:
                bor, cal = _client(webs["BOR"]), _client(webs["CAL"])
                pages = [
                    ("conferences", "/"),
                    ("conference overview", f"/c/{cast.conf}"),
                    (f"negotiating text (50 paragraphs, {args.proposals} proposals)",
                     f"/c/{cast.conf}/t/cica"),
                    ("decisions", f"/c/{cast.conf}/decisions"),
                    ("trust and safety numbers", f"/c/{cast.conf}/trust"),
                ]  # fmt: skip
                table = Table(title=f"Web interface ({platform.machine()}, "
                                    f"{platform.python_version()})")  # fmt: skip
                table.add_column("measure")
                table.add_column("median ms", justify="right")
                table.add_column("p95 ms", justify="right")
                for name, path in pages:
                    median, p95 = _page_times(bor, path, args.runs)
                    table.add_row(f"page: {name}", f"{median:.1f}", f"{p95:.1f}")
                live = sorted(_live_latency(cal, bor, cast.conf, args.runs))
                table.add_row(
                    "live update: act posted by one node -> another's page told",
                    f"{statistics.median(live):.0f}",
                    f"{live[int(0.95 * (len(live) - 1))]:.0f}",
                )
                console.print(table)
                console.print("watcher poll interval: 0.3 s (tests/web_nodes.py); default 1 s")
            finally:
                for web in webs.values():
                    web.stop()
        finally:
            relay.stop()


if __name__ == "__main__":
    main()
