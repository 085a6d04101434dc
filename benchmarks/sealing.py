"""Benchmark (groundwork for encrypted channels): the cost of the confidentiality
primitives next to the signed plaintext path they will join.

Per message of 1 KiB and 64 KiB (the largest message text): signing an event and verifying it (the plaintext path
today), and ChaCha20-Poly1305 content encryption and decryption bound to a header; and
the cost of an epoch change for a 200-member channel: a new epoch key sealed with HPKE
(ML-KEM-768 + X25519) to 200 devices, and opened by one. Not yet the full
encrypt + sign + submit path of the encryption issue: events do not carry ciphertext yet.

    python benchmarks/sealing.py
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from accord.core import events as ev
from accord.core.keys import SigningKey
from accord.core.sealing import (
    DeviceKey,
    decrypt_content,
    encrypt_content,
    new_epoch_key,
    open_epoch_key,
    seal_epoch_key,
)

HEADER = {
    "conf": "bench",
    "channel": "plenary",
    "author": "ed25519:x",
    "seen": {"seq": 1, "head": "sha256:y"},
    "epoch": 1,
}


def per_call(fn: Callable[[], object], seconds: float = 1.0) -> float:
    """Mean seconds per call over about `seconds` of repetitions."""
    fn()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        count += 1
    return (time.perf_counter() - start) / count


def main() -> None:
    console = Console()
    key = SigningKey.from_label("bench author")
    epoch_key = new_epoch_key()
    table = Table(title="Per message (µs)")
    for column in (
        "size",
        "sign + verify event (plaintext path)",
        "encrypt + decrypt content",
        "added",
    ):
        table.add_column(column, justify="right")
    # Message texts are capped at 64 Ki characters, so the sizes are 1 KiB and 64 KiB.
    for label, size in (("1 KiB", 1024), ("64 KiB", 64 * 1024)):
        text = "x" * size

        def signed(text: str = text) -> None:
            event = ev.make_event(
                key, conf="bench", type=ev.MESSAGE, body={"text": text},
                time=1, seen=ev.Seen(0, "sha256:" + "A" * 43), prev=None, cred=None,
            )  # fmt: skip
            ev.Event.parse(event)

        def sealed(payload: bytes = text.encode()) -> None:
            decrypt_content(epoch_key, encrypt_content(epoch_key, payload, HEADER), HEADER)

        s, c = per_call(signed), per_call(sealed)
        table.add_row(label, f"{s * 1e6:.0f}", f"{c * 1e6:.0f}", f"{c / s * 100:.0f}%")
    console.print(table)
    devices = [DeviceKey.generate() for _ in range(200)]

    def epoch_change() -> None:
        fresh = new_epoch_key()
        for d in devices:
            seal_epoch_key(d.public, fresh, conf="bench", channel="plenary", epoch=2)

    sealed_one = seal_epoch_key(
        devices[0].public, epoch_key, conf="bench", channel="plenary", epoch=2
    )
    change = per_call(epoch_change, 2.0)
    opening = per_call(
        lambda: open_epoch_key(devices[0], sealed_one, conf="bench", channel="plenary", epoch=2)
    )
    console.print(
        f"epoch change for 200 member devices (HPKE ML-KEM-768+X25519 seal x200): {change * 1000:.1f} ms"
    )
    console.print(f"opening one sealed epoch key: {opening * 1e6:.0f} µs")
    console.print(f"machine: {platform.machine()}, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
