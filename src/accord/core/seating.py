"""Credentials and seating (docs/protocol.md 12.5): who sits for each state.

Under rules of procedure version 2 the genesis no longer fixes a seat for good. The root
it names for a state is the authority the host invited; another authority may lodge
credentials for the same seat (a `credentials` act signed by its own root, UNGA rule 27).
The credentials committee named in the rules (rule 28) reports on the claims, and once
the plenary has decided on the report the chair records the seating (a `seating` act).

Each claim (a seat and the root of an authority) has a status:

- `accepted`: seated; the genesis's root starts here, as does any claim the plenary accepts;
- `provisional`: seated while its seat is contested, with the rights the rules give a
  provisionally seated delegation (rule 29: the same as the others'); every act of its
  delegates carries the mark in the record (`marks`) and in final acts;
- `pending`: lodged and not seated: its delegates may join and announce devices, but read
  and do nothing else until the plenary accepts it;
- `rejected`: not seated: its delegates may no longer act.

This is public state: the relay needs it to know who may act and who reads the plenary.
The plenary's decision on a report is a negotiation decision, encrypted; every member
checks that the chair's `seating` act follows one (`accord.core.negotiation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accord.core import schema
from accord.core.errors import SchemaError
from accord.core.genesis import Genesis
from accord.core.keys import PublicKey

ACCEPTED, PROVISIONAL, PENDING, REJECTED = "accepted", "provisional", "pending", "rejected"
SEATED = frozenset({ACCEPTED, PROVISIONAL})
FINDINGS = frozenset({"accept", "reject", "defer"})
MAX_CLAIMS = 4  # authorities claiming one seat, the invited one included
MAX_FINDINGS = 256


@dataclass(frozen=True)
class Lodging:
    """The body of a `credentials` act: an authority claims a seat; the act's author is
    the authority's root key."""

    seat: str
    authority: str  # "Government of ...", as its credentials name it

    @classmethod
    def parse(cls, value: Any) -> Lodging:
        d = schema.obj(value, "credentials body", ("seat", "authority"))
        return cls(
            schema.text(d["seat"], "seat", pattern=schema.STATE_CODE),
            schema.text(d["authority"], "authority"),
        )


@dataclass(frozen=True)
class Finding:
    """The committee's finding on one claim: accept, reject, or defer (take no position)."""

    seat: str
    root: str  # the claiming authority's root key
    finding: str

    @classmethod
    def parse(cls, value: Any) -> Finding:
        d = schema.obj(value, "finding", ("seat", "root", "finding"))
        return cls(
            schema.text(d["seat"], "seat", pattern=schema.STATE_CODE),
            PublicKey.parse(d["root"], "root key of the claim").text,
            schema.choice(d["finding"], "finding", FINDINGS),
        )


@dataclass(frozen=True)
class Report:
    """The body of a `credentials_report` act: the committee's findings, and its text."""

    findings: tuple[Finding, ...]
    text: str

    @classmethod
    def parse(cls, value: Any) -> Report:
        d = schema.obj(value, "credentials report", ("findings", "text"))
        raw = d["findings"]
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_FINDINGS:
            raise SchemaError(f"a credentials report holds 1 to {MAX_FINDINGS} findings")
        findings = tuple(Finding.parse(f) for f in raw)
        claims = [(f.seat, f.root) for f in findings]
        if len(set(claims)) != len(claims):
            raise SchemaError("a credentials report has one finding per claim")
        accepted = [f.seat for f in findings if f.finding == "accept"]
        if len(set(accepted)) != len(accepted):
            raise SchemaError("a credentials report accepts at most one claim per seat")
        return cls(findings, schema.text(d["text"], "report text", max_len=schema.MAX_REASON * 10))


@dataclass(frozen=True)
class SeatingAct:
    """The body of the chair's `seating` act: the report the plenary decided on, and the
    decision (by its id) that approved it."""

    report: str  # the report's event hash
    decision: str

    @classmethod
    def parse(cls, value: Any) -> SeatingAct:
        d = schema.obj(value, "seating body", ("report", "decision"))
        return cls(
            schema.text(d["report"], "report", max_len=80),
            schema.text(d["decision"], "decision id", max_len=80),
        )


@dataclass
class Claim:
    seat: str
    root: str
    authority: str
    seq: int  # where it was lodged; 0 for the genesis's root
    status: str


@dataclass
class Seating:
    claims: dict[str, dict[str, Claim]] = field(default_factory=dict)  # seat -> root -> claim
    reports: dict[str, tuple[int, str, Report]] = field(default_factory=dict)  # hash -> seq, by
    applied: dict[str, tuple[int, str]] = field(default_factory=dict)  # report -> seq, decision
    marks: dict[int, str] = field(default_factory=dict)  # entry -> its author's seating

    @classmethod
    def from_genesis(cls, genesis: Genesis) -> Seating:
        claims = {
            s.code: {s.root.text: Claim(s.code, s.root.text, s.name, 0, ACCEPTED)}
            for s in genesis.states
        }
        return cls(claims)

    def status(self, seat: str, root: str) -> str | None:
        """The status of `root`'s claim to `seat`; None if it never claimed it."""
        claim = self.claims.get(seat, {}).get(root)
        return claim.status if claim else None

    def lodge(self, seq: int, root: str, lodging: Lodging) -> None:
        """A rival claim contests the seat: the seated claims sit provisionally (rule 29)."""
        seat = self.claims[lodging.seat]
        for claim in seat.values():
            if claim.status == ACCEPTED:
                claim.status = PROVISIONAL
        seat[root] = Claim(lodging.seat, root, lodging.authority, seq, PENDING)

    def seat(self, seq: int, act: SeatingAct) -> None:
        """Apply the findings of the report the plenary approved."""
        _, _, report = self.reports[act.report]
        self.applied[act.report] = (seq, act.decision)
        for f in report.findings:
            claims = self.claims[f.seat]
            if f.finding == "accept":
                for root, claim in claims.items():
                    claim.status = ACCEPTED if root == f.root else REJECTED
            elif f.finding == "reject":
                claims[f.root].status = REJECTED

    def applied_at(self) -> frozenset[int]:
        """The entries of the seating acts."""
        return frozenset(seq for seq, _ in self.applied.values())

    def summary(self) -> list[list[Any]]:
        return [
            [c.seat, c.root, c.authority, c.seq, c.status]
            for _, seat in sorted(self.claims.items())
            for _, c in sorted(seat.items())
        ]
