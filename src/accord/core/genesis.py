"""The conference genesis: the first event, signed by the host, that fixes the rules.

It names the conference, its chair, the sequencer whose receipts order the log, the
rules of procedure and every accredited state with its root key. Everything later in
the log is judged against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from accord.core import schema
from accord.core.errors import SchemaError
from accord.core.keys import PublicKey

DECISION_RULES = frozenset({"consensus", "simple_majority", "two_thirds_majority"})
ROLES = frozenset({"member", "observer"})
OBSERVER_ACCESS = frozenset({"none", "plenary"})
DEFAULT_CLOCK_SKEW_MS = 5 * 60 * 1000
DEFAULT_SILENCE_PERIOD_MS = 72 * 3600 * 1000
DEFAULT_EPOCH_MAX_AGE_MS = 7 * 24 * 3600 * 1000
DEFAULT_EPOCH_MAX_MESSAGES = 10_000
MAX_STATES = 256
DEFAULT_CONSENSUS_MIN_MS = 15 * 60 * 1000


@dataclass(frozen=True)
class Procedure:
    """The rules of procedure the negotiation's fold applies (docs/protocol.md 12.4).

    Version 1 is the procedure of the conferences made before the rules below existed:
    its records keep verifying exactly as they did. Version 2 states each setting where
    practice varies between bodies; its defaults are the UN General Assembly's rules.
    """

    version: int
    # Who a majority is counted among: the members present and voting (abstentions do
    # not count, UNGA rule 86), all members present, or all member states.
    majority: str = "present_and_voting"
    quorum: int = 0  # member states present (having voted, or answered present)
    consensus_min_ms: int = 0  # how long a consensus stays open before it may close
    clean_text: bool = False  # adoption and ad ref marks need text without brackets
    package: bool = False  # nothing is agreed until everything is agreed
    sponsor_explains: bool = True  # a sponsor may explain its vote on its own proposal
    # Initialling counts as signature where the negotiating states so agreed (VCLT art.
    # 12(2)(a)); otherwise it authenticates the text (art. 10).
    initialling_is_signature: bool = False
    # The credentials committee (UNGA rule 28): the member states that report on the
    # credentials lodged; none, and the chair reports (docs/protocol.md 12.5).
    credentials_committee: tuple[str, ...] = ()
    # What a provisionally seated delegation may do: everything the others may (UNGA rule
    # 29), or everything but vote and sign.
    provisional_rights: str = "full"
    # The time zone of the conference's seat (an IANA name, e.g. Europe/Vienna): the
    # pages show every time in it beside UTC. Display only: the record keeps UTC.
    time_zone: str = "UTC"

    @classmethod
    def parse(cls, value: Any) -> Procedure:
        d = schema.obj(value, "procedure", PROCEDURE_FIELDS, PROCEDURE_OPTIONAL)
        if type(d["version"]) is not int or d["version"] != 2:
            raise SchemaError(
                f"rules of procedure version {d['version']!r}; this implementation reads 2"
            )
        flags = {k: d[k] for k in PROCEDURE_FLAGS}
        for key, flag in flags.items():
            if not isinstance(flag, bool):
                raise SchemaError(f"procedure {key} must be true or false")
        return cls(
            version=2,
            majority=schema.choice(d["majority"], "majority basis", MAJORITY_BASES),
            quorum=schema.integer(d["quorum"], "quorum"),
            consensus_min_ms=schema.integer(d["consensus_min_ms"], "consensus minimum"),
            **flags,
            credentials_committee=_committee(d.get("credentials_committee", [])),
            provisional_rights=schema.choice(
                d.get("provisional_rights", "full"), "provisional rights", PROVISIONAL_RIGHTS
            ),
            time_zone=schema.text(d.get("time_zone", "UTC"), "time zone", 64, TIME_ZONE),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version,
            "majority": self.majority,
            "quorum": self.quorum,
            "consensus_min_ms": self.consensus_min_ms,
            "clean_text": self.clean_text,
            "package": self.package,
            "sponsor_explains": self.sponsor_explains,
            "initialling_is_signature": self.initialling_is_signature,
        }
        # Written only when set, so that a genesis made before they existed reads the same.
        if self.credentials_committee:
            out["credentials_committee"] = list(self.credentials_committee)
        if self.provisional_rights != "full":
            out["provisional_rights"] = self.provisional_rights
        if self.time_zone != "UTC":
            out["time_zone"] = self.time_zone
        return out


PROCEDURE_FLAGS = ("clean_text", "package", "sponsor_explains", "initialling_is_signature")
PROCEDURE_FIELDS = ("version", "majority", "quorum", "consensus_min_ms", *PROCEDURE_FLAGS)
PROCEDURE_OPTIONAL = ("credentials_committee", "provisional_rights", "time_zone")
# The form of an IANA time zone name; whether the zone exists is the node's to check.
TIME_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}")
MAJORITY_BASES = frozenset({"present_and_voting", "present", "all_members"})
PROVISIONAL_RIGHTS = frozenset({"full", "no_vote"})


def _committee(value: Any) -> tuple[str, ...]:
    if value == []:
        return ()
    return schema.string_list(value, "credentials committee", schema.STATE_CODE, MAX_STATES)


PROCEDURE_1 = Procedure(version=1)


def procedure_2(
    members: int,
    *,
    majority: str = "present_and_voting",
    quorum: int | None = None,
    consensus_min_ms: int = DEFAULT_CONSENSUS_MIN_MS,
    clean_text: bool = True,
    package: bool = False,
    sponsor_explains: bool = False,
    initialling_is_signature: bool = False,
    credentials_committee: tuple[str, ...] = (),
    provisional_rights: str = "full",
    time_zone: str = "UTC",
) -> Procedure:
    """Version 2 with the UN General Assembly's defaults: majorities of the members present
    and voting (rule 86), a quorum of a majority of the members for any decision (rule
    67), a sponsor not explaining its vote on its own proposal (rule 88); adoption only of
    text without brackets; a consensus open at least `consensus_min_ms` (the Assembly's
    rules are silent: ours)."""
    return Procedure(
        2, majority, members // 2 + 1 if quorum is None else quorum, consensus_min_ms,
        clean_text, package, sponsor_explains, initialling_is_signature,
        tuple(sorted(credentials_committee)), provisional_rights, time_zone,
    )  # fmt: skip


@dataclass(frozen=True)
class Rules:
    decision_rule: str
    silence_period_ms: int
    observers: str
    clock_skew_ms: int
    # A channel's epoch key is replaced after this long or this many encrypted acts, so
    # that one stolen epoch key exposes a bounded part of a channel.
    epoch_max_age_ms: int = DEFAULT_EPOCH_MAX_AGE_MS
    epoch_max_messages: int = DEFAULT_EPOCH_MAX_MESSAGES
    procedure: Procedure = PROCEDURE_1  # absent from the genesis: version 1

    @classmethod
    def parse(cls, value: Any) -> Rules:
        d = schema.obj(
            value, "rules of procedure",
            ("decision_rule", "silence_period_ms", "observers", "clock_skew_ms",
             "epoch_max_age_ms", "epoch_max_messages"), ("procedure",),
        )  # fmt: skip
        return cls(
            decision_rule=schema.choice(d["decision_rule"], "decision rule", DECISION_RULES),
            silence_period_ms=schema.integer(d["silence_period_ms"], "silence period", 1),
            observers=schema.choice(d["observers"], "observer access", OBSERVER_ACCESS),
            clock_skew_ms=schema.integer(d["clock_skew_ms"], "clock skew"),
            epoch_max_age_ms=schema.integer(d["epoch_max_age_ms"], "epoch maximum age", 1),
            epoch_max_messages=schema.integer(d["epoch_max_messages"], "epoch maximum messages", 1),
            procedure=Procedure.parse(d["procedure"]) if "procedure" in d else PROCEDURE_1,
        )

    def to_json(self) -> dict[str, Any]:
        out = {
            "decision_rule": self.decision_rule,
            "silence_period_ms": self.silence_period_ms,
            "observers": self.observers,
            "clock_skew_ms": self.clock_skew_ms,
            "epoch_max_age_ms": self.epoch_max_age_ms,
            "epoch_max_messages": self.epoch_max_messages,
        }
        if self.procedure.version > 1:
            out["procedure"] = self.procedure.to_json()
        return out


@dataclass(frozen=True)
class AccreditedState:
    code: str
    name: str
    root: PublicKey
    role: str

    @classmethod
    def parse(cls, value: Any) -> AccreditedState:
        d = schema.obj(value, "accredited state", ("code", "name", "root", "role"))
        return cls(
            code=schema.text(d["code"], "state code", pattern=schema.STATE_CODE),
            name=schema.text(d["name"], "state name"),
            root=PublicKey.parse(d["root"], f"root key of {d['code']}"),
            role=schema.choice(d["role"], "state role", ROLES),
        )

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "root": self.root.text, "role": self.role}


@dataclass(frozen=True)
class Party:
    """A named key that holds an office: the host or the chair."""

    name: str
    key: PublicKey

    @classmethod
    def parse(cls, value: Any, what: str) -> Party:
        d = schema.obj(value, what, ("name", "key"))
        return cls(schema.text(d["name"], f"{what} name"), PublicKey.parse(d["key"], f"{what} key"))

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "key": self.key.text}


@dataclass(frozen=True)
class Genesis:
    title: str
    host: Party
    chair: Party
    sequencer: PublicKey
    rules: Rules
    states: tuple[AccreditedState, ...]
    place: str | None = None  # where the conference meets, as a final act names it

    @classmethod
    def parse(cls, value: Any) -> Genesis:
        d = schema.obj(value, "genesis", ("title", "host", "chair", "sequencer", "rules", "states"),
                       ("place",))  # fmt: skip
        raw_states = d["states"]
        if not isinstance(raw_states, list) or not raw_states:
            raise SchemaError("genesis must accredit at least one state")
        if len(raw_states) > MAX_STATES:
            raise SchemaError(f"genesis accredits more than {MAX_STATES} states")
        states = tuple(AccreditedState.parse(s) for s in raw_states)
        codes = [s.code for s in states]
        if codes != sorted(set(codes)):
            raise SchemaError("accredited states must be sorted by code, without repeats")
        rules = Rules.parse(d["rules"])
        members = {s.code for s in states if s.role == "member"}
        for code in rules.procedure.credentials_committee:
            if code not in members:
                raise SchemaError(f"{code}, on the credentials committee, is not a member state")
        return cls(
            title=schema.text(d["title"], "conference title"),
            host=Party.parse(d["host"], "host"),
            chair=Party.parse(d["chair"], "chair"),
            sequencer=PublicKey.parse(d["sequencer"], "sequencer key"),
            rules=rules,
            states=states,
            place=schema.text(d["place"], "conference place") if "place" in d else None,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "host": self.host.to_json(),
            "chair": self.chair.to_json(),
            "sequencer": self.sequencer.text,
            "rules": self.rules.to_json(),
            "states": [s.to_json() for s in sorted(self.states, key=lambda s: s.code)],
        } | ({"place": self.place} if self.place is not None else {})


def genesis_body(
    *,
    title: str,
    host: tuple[str, PublicKey],
    chair: tuple[str, PublicKey],
    sequencer: PublicKey,
    states: list[dict[str, str]],
    decision_rule: str = "consensus",
    silence_period_ms: int = DEFAULT_SILENCE_PERIOD_MS,
    observers: str = "plenary",
    clock_skew_ms: int = DEFAULT_CLOCK_SKEW_MS,
    epoch_max_age_ms: int = DEFAULT_EPOCH_MAX_AGE_MS,
    epoch_max_messages: int = DEFAULT_EPOCH_MAX_MESSAGES,
    procedure: Procedure = PROCEDURE_1,
    place: str | None = None,
) -> dict[str, Any]:
    """The body of a genesis event, states in code order, checked as a verifier would.

    `states` holds `{"code", "name", "root", "role"}` objects; `host` and `chair` are
    (name, key) pairs."""
    body = Genesis(
        title=title,
        host=Party(*host),
        chair=Party(*chair),
        sequencer=sequencer,
        rules=Rules(
            decision_rule,
            silence_period_ms,
            observers,
            clock_skew_ms,
            epoch_max_age_ms,
            epoch_max_messages,
            procedure,
        ),
        states=tuple(AccreditedState.parse(s) for s in states),
        place=place,
    ).to_json()
    Genesis.parse(body)  # refuse to produce what no verifier would accept
    return body
