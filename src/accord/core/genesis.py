"""The conference genesis: the first event, signed by the host, that fixes the rules.

It names the conference, its chair, the sequencer whose receipts order the log, the
rules of procedure and every accredited state with its root key. Everything later in
the log is judged against it.
"""

from __future__ import annotations

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

    @classmethod
    def parse(cls, value: Any) -> Rules:
        d = schema.obj(
            value, "rules of procedure",
            ("decision_rule", "silence_period_ms", "observers", "clock_skew_ms",
             "epoch_max_age_ms", "epoch_max_messages"),
        )  # fmt: skip
        return cls(
            decision_rule=schema.choice(d["decision_rule"], "decision rule", DECISION_RULES),
            silence_period_ms=schema.integer(d["silence_period_ms"], "silence period", 1),
            observers=schema.choice(d["observers"], "observer access", OBSERVER_ACCESS),
            clock_skew_ms=schema.integer(d["clock_skew_ms"], "clock skew"),
            epoch_max_age_ms=schema.integer(d["epoch_max_age_ms"], "epoch maximum age", 1),
            epoch_max_messages=schema.integer(d["epoch_max_messages"], "epoch maximum messages", 1),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "decision_rule": self.decision_rule,
            "silence_period_ms": self.silence_period_ms,
            "observers": self.observers,
            "clock_skew_ms": self.clock_skew_ms,
            "epoch_max_age_ms": self.epoch_max_age_ms,
            "epoch_max_messages": self.epoch_max_messages,
        }


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

    @classmethod
    def parse(cls, value: Any) -> Genesis:
        d = schema.obj(value, "genesis", ("title", "host", "chair", "sequencer", "rules", "states"))
        raw_states = d["states"]
        if not isinstance(raw_states, list) or not raw_states:
            raise SchemaError("genesis must accredit at least one state")
        if len(raw_states) > MAX_STATES:
            raise SchemaError(f"genesis accredits more than {MAX_STATES} states")
        states = tuple(AccreditedState.parse(s) for s in raw_states)
        codes = [s.code for s in states]
        if codes != sorted(set(codes)):
            raise SchemaError("accredited states must be sorted by code, without repeats")
        return cls(
            title=schema.text(d["title"], "conference title"),
            host=Party.parse(d["host"], "host"),
            chair=Party.parse(d["chair"], "chair"),
            sequencer=PublicKey.parse(d["sequencer"], "sequencer key"),
            rules=Rules.parse(d["rules"]),
            states=states,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "host": self.host.to_json(),
            "chair": self.chair.to_json(),
            "sequencer": self.sequencer.text,
            "rules": self.rules.to_json(),
            "states": [s.to_json() for s in sorted(self.states, key=lambda s: s.code)],
        }


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
        ),
        states=tuple(AccreditedState.parse(s) for s in states),
    ).to_json()
    Genesis.parse(body)  # refuse to produce what no verifier would accept
    return body
