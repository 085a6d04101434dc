"""The conference state as a fold over the verified log.

`ConferenceState` is what every member computes from the same log: accredited states,
delegates and their powers, revocations, channels and messages. It changes only
through `apply`, called by the verifier for entries that passed every check, so the
state is a pure function of the log (see `accord.core.verify.fold`).
"""

from __future__ import annotations

import dataclasses
from array import array
from dataclasses import dataclass, field
from typing import Any

from accord.core import events as ev
from accord.core.channels import Channel, ChannelSpec
from accord.core.credentials import FullPowers, Revocation
from accord.core.encoding import hash_json
from accord.core.genesis import AccreditedState, Genesis


@dataclass(frozen=True)
class Notice:
    """Something a reader of the record must know that does not make it invalid."""

    seq: int
    code: str
    message: str


@dataclass(frozen=True)
class Message:
    seq: int
    time: int
    channel: str
    author: str
    state: str | None
    text: str
    credential: str | None
    void: str | None = None


@dataclass
class ConferenceState:
    conf: str
    genesis_hash: str
    genesis: Genesis
    keep_messages: bool = True
    states: dict[str, AccreditedState] = field(default_factory=dict)
    credentials: dict[str, FullPowers] = field(default_factory=dict)
    joined_at: dict[str, int] = field(default_factory=dict)
    # By (revoking state, credential id): only a credential's own state can revoke it,
    # so a revocation signed by another state's root is kept apart and never counts.
    revocations: dict[tuple[str, str], Revocation] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)  # besides the plenary
    messages: dict[int, Message] = field(default_factory=dict)
    message_count: int = 0
    voided: dict[int, str] = field(default_factory=dict)
    # Devices announced, by identity key: (sequence number, time, name, device key).
    devices: dict[str, list[tuple[int, int, str, str]]] = field(default_factory=dict)
    device_owner: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (owner, seq)
    # Sequence number and receipt time of every act, per credential, interleaved in a
    # compact array (16 bytes an act): a revocation dated before its publication voids
    # the acts already recorded since that date.
    acts: dict[str, array[int]] = field(default_factory=dict)

    @classmethod
    def from_genesis(cls, event: ev.Event, keep_messages: bool = True) -> ConferenceState:
        assert isinstance(event.body, Genesis)
        state = cls(event.conf, event.hash, event.body, keep_messages)
        state.states = {s.code: s for s in event.body.states}
        return state

    def revocation(self, fp: FullPowers) -> Revocation | None:
        """The revocation in force for these full powers, by their own state."""
        return self.revocations.get((fp.state, fp.id))

    def revoked_at(self, fp: FullPowers) -> int | None:
        rev = self.revocation(fp)
        return rev.revoked_at if rev else None

    def author_label(self, event: ev.Event) -> str:
        if event.cred is None:
            if event.author == self.genesis.chair.key:
                return f"the chair ({self.genesis.chair.name})"
            return f"the host ({self.genesis.host.name})"
        fp = self.credentials.get(event.cred)
        return fp.label() if fp else event.author.short

    def apply(self, event: ev.Event, seq: int, time: int) -> list[Notice]:
        """Fold one verified entry into the state; returns notices for the reader."""
        notices: list[Notice] = []
        if event.cred is not None:
            self.acts.setdefault(event.cred, array("q")).extend((seq, time))
        if event.type == ev.JOIN:
            assert isinstance(event.body, FullPowers)
            self.credentials[event.body.id] = event.body
            self.joined_at[event.body.id] = seq
        elif event.type == ev.REVOCATION:
            assert isinstance(event.body, Revocation)
            notices += self._revoke(event.body, seq)
        elif event.type == ev.CHANNEL:
            assert isinstance(event.body, ChannelSpec)
            chair = event.cred is None and event.author == self.genesis.chair.key
            self.channels[event.body.id] = Channel(
                event.body, seq, chair or event.body.kind == "consultation"
            )
        elif event.type == ev.DEVICE:
            assert isinstance(event.body, ev.DeviceAnnouncement)
            owner, key = event.author.text, event.body.key.text
            self.devices.setdefault(owner, []).append((seq, time, event.body.name, key))
            self.device_owner[key] = (owner, seq)
        elif event.type == ev.MESSAGE:
            assert isinstance(event.body, str)
            self.message_count += 1
            if self.keep_messages:
                fp = self.credentials.get(event.cred) if event.cred else None
                self.messages[seq] = Message(
                    seq, time, event.channel, self.author_label(event),
                    fp.state if fp else None, event.body, event.cred,
                )  # fmt: skip
        return notices

    def _revoke(self, rev: Revocation, seq: int) -> list[Notice]:
        earlier = self.revocations.get((rev.state, rev.credential))
        if earlier is not None and earlier.revoked_at <= rev.revoked_at:
            return []
        self.revocations[(rev.state, rev.credential)] = rev
        notices = []
        fp = self.credentials.get(rev.credential)
        who = fp.label() if fp else f"credential {rev.credential}"
        acts = self.acts.get(rev.credential, array("q"))
        for act_seq, act_time in zip(acts[::2], acts[1::2], strict=True):
            if act_time >= rev.revoked_at and act_seq not in self.voided:
                reason = f"void: made by {who} after the revocation time published at #{seq}"
                self.voided[act_seq] = reason
                if act_seq in self.messages:
                    self.messages[act_seq] = dataclasses.replace(
                        self.messages[act_seq], void=reason
                    )
                notices.append(Notice(act_seq, "voided_by_revocation", reason))
        return notices

    def summary(self) -> dict[str, Any]:
        """The state as plain JSON: what two machines compare to agree."""
        return {
            "conference": self.conf,
            "genesis": self.genesis_hash,
            "title": self.genesis.title,
            "states": [s.to_json() for s in self.states.values()],
            "delegates": [
                {
                    "credential": fp.id,
                    "state": fp.state,
                    "delegate": fp.delegate,
                    "key": fp.key.text,
                    "powers": sorted(fp.powers),
                    "joined_at": self.joined_at[cid],
                    "revoked_at": self.revoked_at(fp),
                }
                for cid, fp in sorted(self.credentials.items())
            ],
            "revocations": [list(k) for k in sorted(self.revocations)],
            "channels": [c.to_json() for _, c in sorted(self.channels.items())],
            "message_count": self.message_count,
            "messages": [dataclasses.asdict(m) for _, m in sorted(self.messages.items())],
            "voided": [[s, r] for s, r in sorted(self.voided.items())],
            "devices": {owner: [list(d) for d in ds] for owner, ds in sorted(self.devices.items())},
        }

    def digest(self) -> str:
        return hash_json(self.summary())
