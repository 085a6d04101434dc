"""Where a verifier's signature checks run: at once, or handed elsewhere.

Checking an Ed25519 signature is most of the cost of verifying a record, and libsodium
runs without Python's global lock, so a record verifies faster when signatures are
checked on other cores while the log rules are applied on this one. The core stays
free of threads: it defines the interface and the immediate implementation; an edge
module (`accord.infra.signature_pool`) provides the parallel one.

A deferred checker must report the failure with the lowest sequence number, so that a
verification gives the same first problem however its signatures were checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from accord.core.codes import Code
from accord.core.errors import Violation
from accord.core.keys import SignatureClaim

EVENT = "event"
RECEIPT = "receipt"


@dataclass(frozen=True)
class PendingSignature:
    seq: int
    kind: str  # EVENT or RECEIPT
    claim: SignatureClaim


def signature_violation(item: PendingSignature) -> Violation:
    where = f"entry #{item.seq}"
    if item.kind == RECEIPT:
        return Violation(
            Code.BAD_RECEIPT,
            f"{where}: the receipt is not signed by the conference's sequencer "
            f"({item.claim.what} does not verify): it was altered or forged",
            item.seq,
        )
    return Violation(
        Code.BAD_SIGNATURE,
        f"{where}: {item.claim.what} does not verify with key {item.claim.key.short}: "
        "the event was altered or not signed by its author",
        item.seq,
    )


class SignatureChecks(Protocol):
    def check(self, item: PendingSignature) -> None:
        """Check now (raising `Violation`) or queue the check."""

    def has_failed(self) -> bool:
        """Whether a queued check has already failed (to stop reading early)."""

    def first_failure(self) -> Violation | None:
        """Finish every queued check; the failure with the lowest sequence number."""


class ImmediateChecks:
    """Check every signature as it is met (the sequencer's way, and the default)."""

    def check(self, item: PendingSignature) -> None:
        if not item.claim.valid():
            raise signature_violation(item)

    def has_failed(self) -> bool:
        return False

    def first_failure(self) -> Violation | None:
        return None
