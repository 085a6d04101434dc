"""Benchmark: full verification of a large record against the raw Ed25519 floor.

Builds a record of N events (default 100,000) from 50 delegates through the in-memory
sequencer, writes it to a temporary file, then times, in one run:

- `accord` verification of the file, streaming, as `accord verify` does;
- raw Ed25519 verification of the same number of signatures with libsodium (PyNaCl)
  and with OpenSSL (`cryptography`), the floor set by the signature scheme;

and measures the verifier's peak traced memory on records of two sizes, to show how
memory grows with the record. Prints a table; results go to docs/benchmarks.md.

    python benchmarks/verify.py [--events N]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import tempfile
import time
import tracemalloc
from pathlib import Path

import nacl.signing
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.console import Console
from rich.progress import track
from rich.table import Table

from accord.core import events as ev
from accord.core.author import Author, genesis_event
from accord.core.credentials import issue_full_powers
from accord.core.genesis import genesis_body
from accord.core.keyring import Keyring
from accord.core.keys import SigningKey
from accord.core.sealing import DeviceKey
from accord.core.sequencer import Sequencer
from accord.infra.record_file import read_record, write_record
from accord.infra.signature_pool import default_workers

T0 = 1_790_000_000_000
DAY = 86_400_000
CONF = "bench-conf"
DELEGATES = 50


def build_record(events: int, path: Path) -> int:
    """Write a record of `events` entries; returns the number of signatures in it."""
    states = [f"S{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(DELEGATES)]
    roots = {s: SigningKey.from_label(f"bench root {s}") for s in states}
    host, chair, sequencer = (SigningKey.from_label(f"bench {n}") for n in ("host", "chair", "seq"))
    genesis = genesis_body(
        title="Benchmark Conference",
        host=("Host", host.public),
        chair=("Chair", chair.public),
        sequencer=sequencer.public,
        states=[
            {"code": s, "name": s, "root": roots[s].public.text, "role": "member"} for s in states
        ],
        silence_period_ms=DAY,
        observers="none",
    )
    now = T0
    seq = Sequencer(sequencer, genesis_event(host, conf=CONF, genesis=genesis, time=now), now)
    # Messages are encrypted: the chair announces a device and keys the plenary, and every
    # delegate encrypts with the chair's keyring (who may read does not change what a
    # verifier checks, and the delegates need no devices of their own).
    device = DeviceKey.from_label("bench chair device")
    keyring = Keyring(CONF, [device], lambda n: ev.Event.parse(seq.entries[n][0],
                                                               check_signature=False))  # fmt: skip
    chair_author = Author(chair, CONF, None, keyring)
    now += 10
    seq.submit(chair_author.announce_device(seq.verifier, device.public.text, "bench", now), now)
    authors = []
    for s in states:
        key = SigningKey.from_label(f"bench delegate {s}")
        cred = issue_full_powers(
            roots[s], state=s, delegate=f"Delegate of {s}", key=key.public,
            powers=["negotiate", "adopt"], conferences=[CONF], not_before=T0 - DAY,
            not_after=T0 + 365 * DAY, issued_at=T0 - DAY,
        )  # fmt: skip
        author = Author(key, CONF, None, keyring)
        now += 10
        seq.submit(author.join(seq.verifier, cred, now), now)
        authors.append(author)
    text = "Delegation proposes to replace 'shall' by 'should' in operative paragraph 4. " * 2
    for i in track(range(events - len(seq.entries)), description="building record", transient=True):
        now += 10
        author = authors[i % DELEGATES]
        state = seq.verifier.state
        assert state is not None
        if state.epoch_problem(ev.PLENARY, now) is not None:  # first, then every 10,000 acts
            seq.submit(chair_author.rekey(seq.verifier, now), now)
            now += 10
        seq.submit(author.say(seq.verifier, f"{i}: {text}", now), now)
    write_record(path, seq.export_lines(now))
    return 2 * len(seq.entries) + 1  # event + receipt per entry, and the checkpoint


def time_accord(path: Path, parallel: bool) -> float:
    gc.collect()
    start = time.perf_counter()
    report = read_record(path, keep_messages=False, parallel=parallel)
    elapsed = time.perf_counter() - start
    assert report.ok, report.problem
    return elapsed


def peak_memory(path: Path) -> int:
    gc.collect()
    tracemalloc.start()
    report = read_record(path, keep_messages=False, parallel=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.ok
    return peak


def _samples(n: int) -> list[tuple[bytes, bytes, bytes]]:
    keys = [SigningKey.from_label(f"floor {i}") for i in range(DELEGATES)]
    out = []
    for i in range(min(n, 5000)):
        k = keys[i % DELEGATES]
        msg = b"accord/v1/event\x00" + os.urandom(400)
        sig = nacl.signing.SigningKey(k.seed).sign(msg).signature
        out.append((k.public.raw, msg, sig))
    return out


def time_nacl(n: int) -> float:
    samples = _samples(n)
    vks = {pk: nacl.signing.VerifyKey(pk) for pk, _, _ in samples}
    start = time.perf_counter()
    for i in range(n):
        pk, msg, sig = samples[i % len(samples)]
        vks[pk].verify(msg, sig)
    return time.perf_counter() - start


def time_openssl(n: int) -> float:
    samples = _samples(n)
    pks = {pk: Ed25519PublicKey.from_public_bytes(pk) for pk, _, _ in samples}
    start = time.perf_counter()
    for i in range(n):
        pk, msg, sig = samples[i % len(samples)]
        pks[pk].verify(sig, msg)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.jsonl", Path(tmp) / "small.jsonl"
        signatures = build_record(args.events, big)
        build_record(max(args.events // 10, 100), small)
        size = big.stat().st_size
        serial_s = min(time_accord(big, parallel=False) for _ in range(2))
        parallel_s = min(time_accord(big, parallel=True) for _ in range(2))
        nacl_s = min(time_nacl(signatures) for _ in range(2))
        openssl_s = time_openssl(signatures)
        peak_big, peak_small = peak_memory(big), peak_memory(small)
    table = Table(title=f"Verifying {args.events:,} events ({signatures:,} signatures)")
    table.add_column("what")
    table.add_column("seconds", justify="right")
    table.add_column("µs per event", justify="right")
    table.add_column("vs libsodium floor", justify="right")
    for name, sec in [
        ("accord verify, one process", serial_s),
        (f"accord verify, signatures in {default_workers()} worker process(es)", parallel_s),
        ("raw Ed25519, libsodium via PyNaCl", nacl_s),
        ("raw Ed25519, OpenSSL via cryptography", openssl_s),
    ]:
        table.add_row(name, f"{sec:.2f}", f"{sec / args.events * 1e6:.1f}", f"{sec / nacl_s:.2f}x")
    console.print(table)
    console.print(f"record file: {size / 1e6:.1f} MB")
    console.print(
        f"peak traced memory while verifying: {peak_small / 1e6:.1f} MB for "
        f"{max(args.events // 10, 100):,} events, {peak_big / 1e6:.1f} MB for {args.events:,} "
        f"({(peak_big - peak_small) / (args.events - max(args.events // 10, 100)):.0f} bytes "
        "per additional event)"
    )
    console.print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                  f"Python {platform.python_version()}")  # fmt: skip


if __name__ == "__main__":
    main()
