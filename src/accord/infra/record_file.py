"""Reading and writing record files: the I/O edge around `accord.core.record`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from accord.core.record import MAX_LINE_BYTES, Report, verify_record

# Starting a worker process costs about a tenth of a second: worth it from about a
# thousand entries.
PARALLEL_FROM_BYTES = 1_000_000


def write_record(path: Path, lines: Iterable[bytes]) -> None:
    """Write a record atomically: to a temporary file, flushed to disk, then renamed."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        for line in lines:
            f.write(line)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def iter_lines(path: Path, on_bytes: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """Yield the file's lines without ever holding more than one (bounded) line."""
    with open(path, "rb") as f:
        while True:
            line = f.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            if on_bytes is not None:
                on_bytes(len(line))
            if len(line) > MAX_LINE_BYTES:
                yield line  # the verifier reports the oversized line by number
                return
            yield line


def read_record(
    path: Path,
    *,
    expected_genesis: str | None = None,
    keep_messages: bool = True,
    on_bytes: Callable[[int], None] | None = None,
    parallel: bool | None = None,
) -> Report:
    """Verify a record file. Signatures are checked by a worker process when `parallel`
    is true, or when it is None and the file is large enough to repay starting one."""
    if parallel is None:
        parallel = path.stat().st_size >= PARALLEL_FROM_BYTES and _workers() > 0
    lines = iter_lines(path, on_bytes)
    if not parallel:
        return verify_record(lines, expected_genesis=expected_genesis, keep_messages=keep_messages)
    # Processes load only for a file large enough to repay them (a small file starts fast).
    from accord.infra.signature_pool import SignaturePool  # noqa: PLC0415

    with SignaturePool() as pool:
        return verify_record(
            lines, expected_genesis=expected_genesis, keep_messages=keep_messages, checks=pool
        )


def _workers() -> int:
    from accord.infra.signature_pool import default_workers  # noqa: PLC0415

    return default_workers()
