"""Channels: the plenary, and smaller rooms whose membership is part of the record.

A channel is created by a `channel` event in the plenary, so every member sees that it
exists and who is in it (the relay sees it too: membership is metadata). Kinds:

- `bilateral`: two delegations; created by one of them or by the chair;
- `group`: two or more delegations; created by one of them or by the chair;
- `consultation`: the chair's confidential consultation with one delegation; chair only.

`history` says what a member who joins later may read (`from_join` or `all`); it is fixed at
creation and will be enforced by which epoch keys a late joiner receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.core import schema
from accord.core.errors import SchemaError

KINDS = frozenset({"bilateral", "group", "consultation"})
HISTORY = frozenset({"from_join", "all"})
MEMBER_COUNT = {"bilateral": (2, 2), "group": (2, 256), "consultation": (1, 1)}


@dataclass(frozen=True)
class ChannelSpec:
    id: str
    kind: str
    members: tuple[str, ...]  # state codes, sorted
    history: str

    @classmethod
    def parse(cls, value: Any) -> ChannelSpec:
        d = schema.obj(value, "channel body", ("channel", "kind", "members", "history"))
        spec = cls(
            id=schema.text(d["channel"], "channel id", pattern=schema.CHANNEL_ID),
            kind=schema.choice(d["kind"], "channel kind", KINDS),
            members=schema.string_list(d["members"], "channel members", schema.STATE_CODE, 256),
            history=schema.choice(d["history"], "channel history rule", HISTORY),
        )
        low, high = MEMBER_COUNT[spec.kind]
        if not low <= len(spec.members) <= high:
            raise SchemaError(
                f"a {spec.kind} channel has {low}{'' if low == high else f'-{high}'} member "
                f"delegation{'s' if high > 1 else ''}, not {len(spec.members)}"
            )
        if spec.id == "plenary":
            raise SchemaError("the plenary exists from the genesis on")
        return spec


@dataclass(frozen=True)
class Channel:
    spec: ChannelSpec
    created_seq: int
    chair_member: bool  # the chair sits in consultations and in channels it created
    opened_by: str | None = None  # the state that opened it; None: the chair

    def admits(self, state: str | None, is_chair: bool) -> bool:
        return (is_chair and self.chair_member) or (
            state is not None and state in self.spec.members
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.spec.id,
            "kind": self.spec.kind,
            "members": list(self.spec.members),
            "history": self.spec.history,
            "created_seq": self.created_seq,
            "chair_member": self.chair_member,
            "opened_by": self.opened_by,
        }
