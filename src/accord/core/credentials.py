"""Full powers issued by a state's root key to a delegate, and their revocation.

Full powers (VCLT art. 2(1)(c)) name a delegate and their signing key, the acts they
may perform (`negotiate`, `adopt`, `sign`), the conferences they hold for and a
validity window. A revocation is signed by the same root and takes effect at its
`revoked_at` time, which may precede its publication (a key known to be compromised
since yesterday).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from accord.core import schema
from accord.core.encoding import canonical_checked, check_hash, hash_tag, sha256
from accord.core.errors import SchemaError
from accord.core.keys import PublicKey, SigningKey

POWERS = frozenset({"negotiate", "adopt", "sign"})
_POWER = re.compile(r"^(negotiate|adopt|sign)$")

FULL_POWERS_CONTEXT = "full-powers"
REVOCATION_CONTEXT = "revocation"
CONFIRMATION_CONTEXT = "confirmation"

_FP_FIELDS = (
    "v", "state", "root", "delegate", "key", "powers", "conferences",
    "not_before", "not_after", "issued_at", "sig",
)  # fmt: skip
_REV_FIELDS = ("v", "state", "root", "credential", "revoked_at", "reason", "sig")
# VCLT art. 7(2)(a): who represents a state "in virtue of their functions", for every act,
# without full powers for the conference. The root designates them in a credential with
# an `office`: it counts in any conference and grants every power.
OFFICES = frozenset({"head_of_state", "head_of_government", "minister_for_foreign_affairs"})
ALL_POWERS = frozenset({"negotiate", "adopt", "sign"})


@dataclass(frozen=True)
class FullPowers:
    id: str
    state: str
    root: PublicKey
    delegate: str
    key: PublicKey
    powers: frozenset[str]
    conferences: tuple[str, ...]
    not_before: int
    not_after: int
    issued_at: int
    signed: dict[str, Any]
    office: str | None = None

    @classmethod
    def parse(cls, value: Any) -> FullPowers:
        """Check the form and the root's signature. Whether the root is accredited is
        a question for the conference, not for the credential."""
        d = schema.obj(value, "full powers", _FP_FIELDS, optional=("office",))
        schema.version(d, "full powers")
        root = PublicKey.parse(d["root"], "full powers root key")
        powers = schema.string_list(d["powers"], "full powers' powers", _POWER)
        fp = cls(
            id="",  # set below, once every field is checked
            state=schema.text(d["state"], "full powers' state", pattern=schema.STATE_CODE),
            root=root,
            delegate=schema.text(d["delegate"], "delegate name"),
            key=PublicKey.parse(d["key"], "delegate key"),
            powers=frozenset(powers),
            conferences=schema.string_list(
                d["conferences"], "full powers' conferences", schema.CONFERENCE_ID
            ),
            not_before=schema.integer(d["not_before"], "not_before"),
            not_after=schema.integer(d["not_after"], "not_after"),
            issued_at=schema.integer(d["issued_at"], "issued_at"),
            signed=d,
            office=schema.choice(d["office"], "office", OFFICES) if "office" in d else None,
        )
        if fp.office is not None and fp.powers != ALL_POWERS:
            raise SchemaError("one who acts in virtue of their functions holds every power")
        if fp.not_after <= fp.not_before:
            raise SchemaError("full powers end before they begin")
        _check_sig_form(d["sig"])
        root.verify_object(FULL_POWERS_CONTEXT, d, "the root's signature on the full powers")
        return dataclasses.replace(fp, id=hash_tag(sha256(canonical_checked(d))))

    def label(self) -> str:
        return f"{self.delegate} ({self.state})"

    def covers(self, conf: str) -> bool:
        """Whether these powers hold in conference `conf` (an office holds in all)."""
        return self.office is not None or conf in self.conferences


def issue_full_powers(
    root: SigningKey,
    *,
    state: str,
    delegate: str,
    key: PublicKey,
    powers: Iterable[str],
    conferences: Iterable[str],
    not_before: int,
    not_after: int,
    issued_at: int,
    office: str | None = None,
) -> dict[str, Any]:
    """Sign full powers with a state's root key; returns the signed JSON object. With an
    `office`, the root designates one who acts in virtue of their functions."""
    unsigned = {
        "v": 1,
        "state": state,
        "root": root.public.text,
        "delegate": delegate,
        "key": key.text,
        "powers": sorted(set(powers)),
        "conferences": sorted(set(conferences)),
        "not_before": not_before,
        "not_after": not_after,
        "issued_at": issued_at,
    }
    if office is not None:
        unsigned["office"] = office
    signed = root.sign_object(FULL_POWERS_CONTEXT, unsigned)
    FullPowers.parse(signed)  # refuse to produce what no verifier would accept
    return signed


@dataclass(frozen=True)
class Revocation:
    id: str
    state: str
    root: PublicKey
    credential: str
    revoked_at: int
    reason: str
    signed: dict[str, Any]

    @classmethod
    def parse(cls, value: Any) -> Revocation:
        d = schema.obj(value, "revocation", _REV_FIELDS)
        schema.version(d, "revocation")
        root = PublicKey.parse(d["root"], "revocation root key")
        rev = cls(
            id="",  # set below, once every field is checked
            state=schema.text(d["state"], "revocation's state", pattern=schema.STATE_CODE),
            root=root,
            credential=check_hash(d["credential"], "revoked credential id"),
            revoked_at=schema.integer(d["revoked_at"], "revoked_at"),
            reason=schema.text(d["reason"], "revocation reason", max_len=schema.MAX_REASON),
            signed=d,
        )
        _check_sig_form(d["sig"])
        root.verify_object(REVOCATION_CONTEXT, d, "the root's signature on the revocation")
        return dataclasses.replace(rev, id=hash_tag(sha256(canonical_checked(d))))


@dataclass(frozen=True)
class Confirmation:
    """A state root confirms a signature made ad referendum (VCLT art. 12(2)(b)): it then
    counts as a full signature of that state."""

    state: str
    root: PublicKey
    signature: str  # the hash of the signature event
    confirmed_at: int
    signed: dict[str, Any]

    @classmethod
    def parse(cls, value: Any) -> Confirmation:
        d = schema.obj(value, "confirmation", ("v", "state", "root", "signature", "confirmed_at",
                                               "sig"))  # fmt: skip
        schema.version(d, "confirmation")
        root = PublicKey.parse(d["root"], "confirmation root key")
        confirmation = cls(
            state=schema.text(d["state"], "confirming state", pattern=schema.STATE_CODE),
            root=root,
            signature=check_hash(d["signature"], "confirmed signature"),
            confirmed_at=schema.integer(d["confirmed_at"], "confirmed_at"),
            signed=d,
        )
        _check_sig_form(d["sig"])
        root.verify_object(CONFIRMATION_CONTEXT, d, "the root's signature on the confirmation")
        return confirmation


def confirm(root: SigningKey, *, state: str, signature: str, confirmed_at: int) -> dict[str, Any]:
    unsigned = {
        "v": 1, "state": state, "root": root.public.text, "signature": signature,
        "confirmed_at": confirmed_at,
    }  # fmt: skip
    signed = root.sign_object(CONFIRMATION_CONTEXT, unsigned)
    Confirmation.parse(signed)
    return signed


def _check_sig_form(sig: object) -> None:
    if not isinstance(sig, str):
        raise SchemaError("signature must be text")


def revoke(
    root: SigningKey, *, state: str, credential: str, revoked_at: int, reason: str
) -> dict[str, Any]:
    unsigned = {
        "v": 1,
        "state": state,
        "root": root.public.text,
        "credential": credential,
        "revoked_at": revoked_at,
        "reason": reason,
    }
    signed = root.sign_object(REVOCATION_CONTEXT, unsigned)
    Revocation.parse(signed)
    return signed
