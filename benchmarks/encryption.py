"""Benchmark: what end-to-end encryption adds to a message, and what an epoch change costs.

Per message, for 1 KiB and 1 MiB bodies, in one run, the encrypted path next to the signed
plaintext path it replaced:

- *send*: build the event, (encrypt the content,) sign, and submit it to a real relay
  process (SQLite) over HTTP, waiting for the receipt: one writer, one message at a time;
- *receive*: parse the event, verify its signature, apply the verifier's rules and fold
  it, (and decrypt the content): what every member's node does with each entry.

The plaintext path carries the same bytes unencrypted in the same field (the relay cannot
tell the difference), so the two differ only by the AEAD. Then the cost of an epoch change
in a channel of 200 members (one device each): sealing a new key to 200 devices with HPKE
(ML-KEM-768 + X25519), the verifier's public checks, and one member opening its key.

    python benchmarks/encryption.py [--quick]
"""

from __future__ import annotations

import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from accord.core import events as ev
from accord.core.encoding import b64u_encode, canonical
from accord.core.epochs import Encrypted, decrypt_body
from accord.core.keys import SigningKey
from accord.core.sealing import TamperedError
from accord.core.verify import LogVerifier
from accord.node.client import RelayClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.builders import World
from tests.load import Writer, now, open_conference
from tests.relay_process import relay

SIZES = {"1 KiB": 1024, "1 MiB": 1024 * 1024}


def plain_body(text: str) -> dict[str, Any]:
    """The same content, unencrypted, in the form of a ciphertext of the same length."""
    raw = secrets.token_bytes(12) + canonical({"text": text}) + bytes(16)
    return {"epoch": 1, "content": "chacha20poly1305:" + b64u_encode(raw), "commit": "A" * 43}


def make_event(writer: Writer, text: str, encrypted: bool) -> dict[str, Any]:
    if encrypted:
        return writer.message(text)
    header = {
        "v": 1, "conf": writer.conf, "type": ev.MESSAGE, "channel": ev.PLENARY,
        "author": writer.key.public.text, "cred": writer.cred, "prev": writer.prev,
        "seen": writer.seen.to_json() if writer.seen else None, "time": now(),
    }  # fmt: skip
    header["body"] = plain_body(text)
    return writer.key.sign_object(ev.EVENT_CONTEXT, header)


def send_per_message(url: str, writer: Writer, text: str, n: int, encrypted: bool) -> float:
    """Median seconds to build, (encrypt,) sign and submit one message, receipt included."""
    times = []
    with RelayClient(url, writer.key) as client:
        for _ in range(n):
            start = time.perf_counter()
            event = make_event(writer, text, encrypted)
            receipt = client.submit(event)
            times.append(time.perf_counter() - start)
            writer.prev = ev.Event.parse(event, check_signature=False).hash
            writer.seen = ev.Seen(receipt["seq"], receipt["head"])
    return statistics.median(times)


def author_per_message(writer: Writer, text: str, encrypted: bool, repeat: int) -> float:
    """Median seconds of the author's own work: build, (encrypt,) sign; nothing sent."""
    return per_call(lambda: make_event(writer, text, encrypted), repeat)


def verify_per_entry(entries: list[tuple[dict[str, Any], dict[str, Any]]]) -> float:
    """Seconds per entry for a member's node to verify the log and fold it in."""
    verifier = LogVerifier(keep_messages=False)
    start = time.perf_counter()
    for event_json, receipt_json in entries:
        verifier.append(event_json, receipt_json)
    return (time.perf_counter() - start) / len(entries)


def decrypt_per_message(entries: list[tuple[dict[str, Any], dict[str, Any]]], key: bytes) -> float:
    """Median seconds to decrypt one encrypted message of the log (the others, sent by the
    plaintext path, do not open and are left out)."""
    sealed = []
    for event_json, _ in entries:
        if event_json["type"] != ev.MESSAGE:
            continue
        event = ev.Event.parse(event_json, check_signature=False)
        assert isinstance(event.body, Encrypted)
        try:
            decrypt_body(key, event.signed, event.body)
        except TamperedError:
            continue
        sealed.append(event)
    times = []
    for event in sealed:
        assert isinstance(event.body, Encrypted)
        fresh = Encrypted(event.body.epoch, event.body.content, event.body.commit)  # no cache
        start = time.perf_counter()
        decrypt_body(key, event.signed, fresh)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_call(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def epoch_change(members: int, repeat: int) -> tuple[float, float, float, int]:
    """(seal, verify, open) seconds and the epoch event's size, for `members` devices."""
    world = World(states=[f"S{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(members)])
    authors = [world.join(code, f"Delegate {code}") for code in sorted(world.roots)]
    first = authors[0]
    state = world.view.state
    assert state is not None and first.keyring is not None
    world.rekey_if_needed(first)  # epoch 1, so that the timed one links to it
    events: list[dict[str, Any]] = []

    def seal() -> None:
        events.append(first.rekey(world.view, world.clock))

    sealing = per_call(seal, repeat)
    event = events[-1]
    size = len(canonical(event))

    def verify() -> None:
        parsed = ev.Event.parse(event)
        world.view.admit(parsed, world.view.length, world.clock)

    verifying = per_call(verify, repeat)
    world.submit(event)
    keyring = authors[-1].keyring
    assert keyring is not None
    number = state.current_epoch(ev.PLENARY).number  # type: ignore[union-attr]

    def open_key() -> None:
        keyring.forget()  # time the opening, not the cache
        keyring.epoch_key(state, ev.PLENARY, number)

    opening = per_call(open_key, repeat)
    return sealing, verifying, opening, size


def main() -> None:
    quick = "--quick" in sys.argv
    console = Console()
    counts = {"1 KiB": 60 if quick else 400, "1 MiB": 5 if quick else 30}
    table = Table(
        "body", "path", "plaintext", "encrypted", "overhead", title="Per message (median)"
    )
    with tempfile.TemporaryDirectory() as tmp, relay(f"sqlite:///{tmp}/r.sqlite", Path(tmp)) as r:
        for label, size in SIZES.items():
            conf = "load-" + label.replace(" ", "").lower()
            writer = open_conference(r.url, 1, conf=conf)[0]
            text = ("Operative paragraph 4 [shall][should] ... " * (size // 40 + 1))[:size]
            n = counts[label]
            # Alternate the two paths so that both see the same relay and database state.
            plain, sealed = [], []
            for _ in range(3):
                plain.append(send_per_message(r.url, writer, text, n // 3, encrypted=False))
                sealed.append(send_per_message(r.url, writer, text, n // 3, encrypted=True))
            p = author_per_message(writer, text, False, n)
            s = author_per_message(writer, text, True, n)
            table.add_row(
                label, "build + sign (author's CPU only)", f"{p * 1e3:.3f} ms",
                f"{s * 1e3:.3f} ms", f"{(s - p) / p * 100:+.1f}%",
            )  # fmt: skip
            p, s = statistics.median(plain), statistics.median(sealed)
            table.add_row(
                label, "build + sign + submit (receipt)", f"{p * 1e3:.2f} ms", f"{s * 1e3:.2f} ms",
                f"{(s - p) / p * 100:+.1f}%",
            )  # fmt: skip
            # Receiving: verifying and folding an entry (the same work on both paths), plus
            # decrypting it on the encrypted path.
            with RelayClient(r.url, SigningKey.generate()) as client:
                entries = [(e["event"], e["receipt"]) for _, e in client.iter_entries(conf, 0)]
            p = verify_per_entry(entries)
            s = p + decrypt_per_message(entries, writer.epoch_key)
            table.add_row(
                label, "verify + fold (+ decrypt)", f"{p * 1e3:.3f} ms", f"{s * 1e3:.3f} ms",
                f"{(s - p) / p * 100:+.1f}%",
            )  # fmt: skip
    console.print(table)

    members = 200
    sealing, verifying, opening, size = epoch_change(members, 3 if quick else 10)
    epochs = Table("epoch change, 200 members", "time", title="Epoch change (median)")
    epochs.add_row("seal a new key to 200 devices, link, sign", f"{sealing * 1e3:.1f} ms")
    epochs.add_row("verify the epoch event (signature, recipients)", f"{verifying * 1e3:.1f} ms")
    epochs.add_row(
        "one member opens its key (parse the event, decapsulate, check)", f"{opening * 1e3:.2f} ms"
    )
    epochs.add_row("epoch event size", f"{size / 1024:.0f} KiB")
    console.print(epochs)
    console.print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
