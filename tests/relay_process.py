"""Real relay processes and real databases for tests."""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg

PG_ADMIN = os.environ.get("ACCORD_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_ports(count: int = 1) -> int:
    """The first of `count` consecutive free ports, below Linux's ephemeral range
    (32768-60999): a port handed out for outgoing connections could be taken by one of
    them (another test's client) between this check and the server's bind."""
    rng = random.SystemRandom()
    for _ in range(200):
        base = rng.randrange(20_000, 32_000 - count)
        if all(_bindable(base + k) for k in range(count)):
            return base
    raise RuntimeError(f"no {count} consecutive free ports found")


def free_port() -> int:
    return free_ports(1)


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class ServiceProcess:
    """A real `accord` server process on a loopback port, its output in a log file."""

    def __init__(self, log: Path, port: int | None = None) -> None:
        self.log = log
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def launch(self, args: list[str], ready: str, what: str) -> None:
        """Start `python -m accord ARGS` and wait until GET `ready` answers 200."""
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "accord", *args], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{what} exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}{ready}", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{what} did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


class RelayProcess(ServiceProcess):
    def __init__(
        self, db: str, key: Path, log: Path, port: int | None = None, args: tuple[str, ...] = ()
    ) -> None:
        super().__init__(log, port)
        self.db, self.key, self.args = db, key, args

    def start(self) -> RelayProcess:
        self.launch(
            ["relay", "serve", "--db", self.db, "--port", str(self.port), "--key", str(self.key),
             *self.args],
            "/health", "relay",
        )  # fmt: skip
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to flush or clean up, as in a crash."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)


@contextmanager
def relay(db: str, workdir: Path, *args: str) -> Iterator[RelayProcess]:
    process = RelayProcess(db, workdir / "sequencer.key", workdir / "relay.log", args=args).start()
    try:
        yield process
    finally:
        process.stop()


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards. Fails (never skips) if the
    server is not there: CI must start it (see Makefile, `make test`)."""
    name = f"accord_test_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
