"""Matrix Synapse as a comparison peer: its client-server message rate on this machine.

Synapse goes into its own virtual environment (never the project's), runs on loopback with
SQLite, the rate limits lifted and federation off (see ../shared/bench/synapse.md), and is
sent the same kind of workload as the relay benchmark: n concurrent senders in one room.

    python benchmarks/synapse_peer.py
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

log = logging.getLogger(__name__)

OVERRIDES = Path(__file__).resolve().parents[2] / "shared" / "bench" / "synapse-overrides.yaml"

# Kept in step with OVERRIDES so the benchmark still runs outside this machine's layout.
INLINE_OVERRIDES = """\
trusted_key_servers: []
federation_domain_whitelist: []
presence:
  enabled: false
rc_message:
  per_second: 100000
  burst_count: 100000
rc_login:
  address: {per_second: 1000, burst_count: 1000}
  account: {per_second: 1000, burst_count: 1000}
  failed_attempts: {per_second: 1000, burst_count: 1000}
rc_registration:
  per_second: 1000
  burst_count: 1000
rc_joins:
  local: {per_second: 1000, burst_count: 1000}
"""

# About the length of the relay benchmark's message text, so both carry similar payloads.
BODY = ("Delegation proposes to replace 'shall' by 'should' in operative paragraph 4, " * 3)[:160]
WARMUP = 3
INSTALL_TIMEOUT = 1800.0
START_TIMEOUT = 120.0
REQUEST_TIMEOUT = 60.0
MARKER = "homeserver.yaml"


@dataclass
class Sender:
    token: str
    txn: Iterator[int] = field(default_factory=itertools.count)


def _venv_bin(venv: Path, name: str) -> Path:
    return venv / "bin" / name


def _ensure_synapse(venv: Path) -> Path:
    """The venv's interpreter, with matrix-synapse installed (reused when already importable)."""
    python = _venv_bin(venv, "python")
    if python.exists():
        probe = subprocess.run(
            [str(python), "-c", "import synapse.app.homeserver"],
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        if probe.returncode == 0:
            log.info("reusing Synapse in %s", venv)
            return python
    else:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    log.info("installing matrix-synapse into %s", venv)
    started = time.monotonic()
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "matrix-synapse"],
        capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"pip install matrix-synapse failed:\n{result.stderr[-4000:]}")
    log.info("installed matrix-synapse in %.0f s", time.monotonic() - started)
    return python


def _free_port() -> int:
    # The port may be taken again before Synapse binds it; a failed start then says so.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# Not in OVERRIDES: Synapse admits 10 joins per room at once, then one a second, which only
# slows the setup (32 senders join one room) and never the timed sends.
SETUP_OVERRIDES = """\
rc_joins_per_room:
  per_second: 1000
  burst_count: 1000
"""


def _overrides() -> str:
    base = OVERRIDES.read_text() if OVERRIDES.exists() else INLINE_OVERRIDES
    return f"{base.rstrip()}\n{SETUP_OVERRIDES}"


def _block(key: str) -> str:
    """A top-level YAML key with its indented, list and blank lines, whatever the layout."""
    return rf"(?m)^{key}:.*\n(?:(?:[ \t].*|-.*)?\n)*"


def _edit_config(text: str, port: int) -> str:
    """Loopback-only listener on `port`, no key servers, benchmark overrides appended."""
    # Replaced whole: the generated listener's layout changes between Synapse releases.
    listener = (
        "listeners:\n"
        f"  - port: {port}\n"
        "    bind_addresses: ['127.0.0.1']\n"
        "    tls: false\n"
        "    type: http\n"
        "    x_forwarded: true\n"
        "    resources:\n"
        "      - names: [client, federation]\n"
        "        compress: false\n\n"
    )
    text, listeners = re.subn(_block("listeners"), lambda _: listener, text)
    text, keys = re.subn(_block("trusted_key_servers"), "trusted_key_servers: []\n\n", text)
    if listeners != 1 or keys != 1:
        raise RuntimeError(f"unexpected generated homeserver.yaml ({listeners=}, {keys=})")
    return f"{text.rstrip()}\n\n{_overrides()}"


_CHECK = """\
import json, sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
print(json.dumps([[(x["port"], x["bind_addresses"]) for x in c["listeners"]],
                  c["trusted_key_servers"]]))
"""


def _configure(python: Path, confdir: Path, port: int) -> Path:
    # A fresh database each run: leftover rooms and users would bias timings and clash on names.
    if confdir.exists():
        if not (confdir / MARKER).exists() and any(confdir.iterdir()):
            raise RuntimeError(f"{confdir} exists and is not a Synapse directory made here")
        shutil.rmtree(confdir)
    confdir.mkdir(parents=True)
    config = confdir / MARKER
    subprocess.run(
        [str(python), "-m", "synapse.app.homeserver", "--server-name", "localhost",
         "--config-path", str(config), "--generate-config", "--report-stats=no"],
        cwd=confdir, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    config.write_text(_edit_config(config.read_text(), port))
    # Read back as Synapse will, so a bad edit can never listen beyond loopback or ask matrix.org.
    seen = subprocess.run(
        [str(python), "-c", _CHECK, str(config)],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    if json.loads(seen) != [[[port, ["127.0.0.1"]]], []]:
        raise RuntimeError(f"edited homeserver.yaml reads as {seen.strip()}")
    return config


def _wait_ready(proc: subprocess.Popen[bytes], url: str, output: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(base_url=url, timeout=5) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = output.read_text(errors="replace")[-4000:]
                raise RuntimeError(f"Synapse exited with {proc.returncode}:\n{tail}")
            try:
                if client.get("/_matrix/client/versions").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
    raise TimeoutError(f"Synapse did not answer on {url} within {START_TIMEOUT:.0f} s")


@contextmanager
def _homeserver(python: Path, config: Path, port: int) -> Iterator[str]:
    url = f"http://127.0.0.1:{port}"
    output = config.parent / "stdout.log"
    with output.open("wb") as out:
        proc = subprocess.Popen(
            [str(python), "-m", "synapse.app.homeserver", "-c", str(config)],
            cwd=config.parent, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            _wait_ready(proc, url, output)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)


def _register(venv: Path, config: Path, url: str, name: str, password: str) -> None:
    result = subprocess.run(
        [str(_venv_bin(venv, "register_new_matrix_user")), "-c", str(config),
         "-u", name, "-p", password, "--no-admin", url],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"registering {name} failed: {result.stderr or result.stdout}")


def _checked(response: httpx.Response) -> dict[str, object]:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.url.path}: {response.status_code} {response.text}")
    body: dict[str, object] = response.json()
    return body


def _login(client: httpx.Client, name: str, password: str) -> str:
    body = _checked(client.post("/_matrix/client/v3/login", json={
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": name},
        "password": password,
    }))  # fmt: skip
    return str(body["access_token"])


def _send(url: str, room: str, sender: Sender, count: int, errors: list[BaseException]) -> None:
    path = f"/_matrix/client/v3/rooms/{quote(room, safe='')}/send/m.room.message"
    headers = {"Authorization": f"Bearer {sender.token}"}
    try:
        with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT, headers=headers) as client:
            for _ in range(count):
                # txnIds must be fresh: Synapse answers a repeated one without a new event.
                txn = next(sender.txn)
                body = {"msgtype": "m.text", "body": f"{txn} {BODY}"}
                if "event_id" not in _checked(client.put(f"{path}/{txn}", json=body)):
                    raise RuntimeError("send answered without an event_id")
    except BaseException as exc:  # collected so the main thread can fail the measurement
        errors.append(exc)


def _concurrent(url: str, room: str, senders: list[Sender], count: int) -> float:
    """Seconds for every sender to send `count` messages at once."""
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_send, args=(url, room, s, count, errors)) for s in senders]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} sender(s) failed") from errors[0]
    return elapsed


def synapse_rates(workdir: Path, senders: list[int], messages: int) -> dict[int, float]:
    """Messages per second that Matrix Synapse accepts through its client-server API, for each
    number of concurrent senders in `senders`."""
    if not senders or min(senders) < 1 or messages < 1:
        raise ValueError("need at least one sender count >= 1 and messages >= 1")
    workdir.mkdir(parents=True, exist_ok=True)
    venv = workdir / "synapse-venv"
    python = _ensure_synapse(venv)
    port = _free_port()
    config = _configure(python, workdir / "synapse", port)
    rates: dict[int, float] = {}
    with _homeserver(python, config, port) as url:
        # Hex, because a password starting with "-" reads as an option to register_new_matrix_user.
        users = [(f"bench{i}", secrets.token_hex(16)) for i in range(max(senders))]
        for name, password in users:
            _register(venv, config, url, name, password)
        with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as client:
            people = [Sender(_login(client, name, pw)) for name, pw in users]
            created = _checked(client.post(
                "/_matrix/client/v3/createRoom", json={"preset": "public_chat"},
                headers={"Authorization": f"Bearer {people[0].token}"},
            ))  # fmt: skip
            room = str(created["room_id"])
            for person in people[1:]:
                _checked(client.post(
                    f"/_matrix/client/v3/rooms/{quote(room, safe='')}/join", json={},
                    headers={"Authorization": f"Bearer {person.token}"},
                ))  # fmt: skip
        for n in senders:
            group = people[:n]
            per = max(1, messages // n)
            # Warm-up outside the timing: first sends of a sender pay for caches and connections.
            _concurrent(url, room, group, WARMUP)
            rates[n] = per * n / _concurrent(url, room, group, per)
            log.info("Synapse: %d sender(s), %.1f messages/s", n, rates[n])
    return rates


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s")
    # Only this module's progress: httpx logging every request would load the timed client.
    log.setLevel(logging.INFO)
    print(synapse_rates(Path("/tmp/synapse-bench"), [1, 8], 300))
