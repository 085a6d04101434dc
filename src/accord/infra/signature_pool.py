"""Checking a record's signatures on other cores (see `accord.core.signatures`).

Checking Ed25519 signatures is most of the cost of verifying a record; applying the log
rules is the rest. A worker process checks batches of signatures while this process
parses entries and applies the rules, so the two run side by side. Threads were tried
first: the Python work around each libsodium call holds the global lock, and the main
thread and the workers then mostly wait for each other (docs/benchmarks.md).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType

import nacl.exceptions
import nacl.signing

from accord.core.errors import Violation
from accord.core.signatures import PendingSignature, signature_violation

BATCH = 256
MAX_PENDING_BATCHES = 16  # bounds memory: batches sent and not yet answered

_verify_keys: dict[bytes, nacl.signing.VerifyKey] = {}


def _first_invalid(batch: list[tuple[bytes, bytes, bytes]]) -> int | None:
    """In the worker: the index of the first signature that does not verify, if any."""
    for index, (key, message, signature) in enumerate(batch):
        verify_key = _verify_keys.get(key)
        if verify_key is None:
            verify_key = _verify_keys[key] = nacl.signing.VerifyKey(key)
        try:
            verify_key.verify(message, signature)
        except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError):
            return index
    return None


def default_workers() -> int:
    # One core stays with the process that applies the rules.
    return max(1, (os.cpu_count() or 2) - 1)


def start_workers(workers: int | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers or default_workers(),
        mp_context=multiprocessing.get_context("spawn"),  # safe beside threads
    )


class SignaturePool:
    """A `SignatureChecks` backed by worker processes, for one verification.

    Use it as a context manager. It starts its own workers, or uses `executor` (which
    it then leaves running) so that many verifications can share them."""

    def __init__(
        self, workers: int | None = None, executor: ProcessPoolExecutor | None = None
    ) -> None:
        self._owns_executor = executor is None
        self._executor = executor or start_workers(workers)
        self._batch: list[PendingSignature] = []
        self._pending: deque[tuple[list[PendingSignature], Future[int | None]]] = deque()
        self._failure: PendingSignature | None = None

    def check(self, item: PendingSignature) -> None:
        self._batch.append(item)
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            payload = [(i.claim.key.raw, i.claim.message, i.claim.signature) for i in self._batch]
            self._pending.append((self._batch, self._executor.submit(_first_invalid, payload)))
            self._batch = []
        while len(self._pending) > MAX_PENDING_BATCHES or (
            self._pending and self._pending[0][1].done()
        ):
            self._collect(*self._pending.popleft())

    def _collect(self, batch: list[PendingSignature], future: Future[int | None]) -> None:
        index = future.result()
        if index is None:
            return
        found = batch[index]
        if self._failure is None or found.seq < self._failure.seq:
            self._failure = found

    def has_failed(self) -> bool:
        return self._failure is not None

    def first_failure(self) -> Violation | None:
        self._flush()
        while self._pending:
            self._collect(*self._pending.popleft())
        return signature_violation(self._failure) if self._failure else None

    def close(self) -> None:
        if self._owns_executor:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> SignaturePool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
