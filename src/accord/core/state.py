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
from typing import Any, NamedTuple

from accord.core import events as ev
from accord.core.channels import Channel, ChannelSpec
from accord.core.credentials import FullPowers, Revocation
from accord.core.encoding import hash_json
from accord.core.epochs import Encrypted, Epoch, EpochBody
from accord.core.genesis import AccreditedState, Genesis
from accord.core.meetings import Appointment, Attendance, MeetingAct, Meetings
from accord.core.restricted import DocumentBody, DocumentRecord, ReceiptBody
from accord.core.sealing import DevicePublicKey
from accord.core.seating import SEATED, Lodging, Report, Seating, SeatingAct
from accord.core.times import format_period, format_time

MAX_TIME = 2**63

_ROOM_TYPES = ev.DOCUMENT_TYPES | ev.MEETING_TYPES
# Events after which the set of devices that may read a channel can differ.
_MEMBERSHIP_TYPES = (
    frozenset({ev.JOIN, ev.REVOCATION, ev.DEVICE, ev.DEVICE_REVOCATION, ev.CHANNEL, ev.MEMBERSHIP})
    | ev.SEATING_TYPES
)


class Device(NamedTuple):
    """A device its identity announced (4.2, `device`)."""

    seq: int
    time: int
    name: str
    key: str  # the device's public key


class AnnouncedKey(NamedTuple):
    """Who announced a device key, and in which entry."""

    owner: str  # the identity key
    seq: int


class OwnedDevice(NamedTuple):
    """A device, by its id: its identity and its public key."""

    owner: str
    key: str


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
    credential: str | None
    epoch: int  # the content is encrypted: members read it with `accord.core.keyring`
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
    devices: dict[str, list[Device]] = field(default_factory=dict)  # by identity key
    device_owner: dict[str, AnnouncedKey] = field(default_factory=dict)  # by device key
    # By device id, every device ever announced.
    device_ids: dict[str, OwnedDevice] = field(default_factory=dict)
    revoked_devices: dict[str, int] = field(default_factory=dict)  # device id -> seq
    epochs: dict[str, list[Epoch]] = field(default_factory=dict)  # channel -> epochs so far
    _readers: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _identities: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _cache_from: int = field(default=0, repr=False)  # the caches hold for these times
    _cache_until: int = field(default=0, repr=False)
    # Sequence number and receipt time of every act, per credential, interleaved in a
    # compact array (16 bytes an act): a revocation dated before its publication voids
    # the acts already recorded since that date.
    acts: dict[str, array[int]] = field(default_factory=dict)
    seating: Seating = field(default_factory=Seating)  # who sits for each state (12.5)
    documents: dict[str, DocumentRecord] = field(default_factory=dict)  # restricted (12.6)
    meetings: Meetings = field(default_factory=Meetings)  # meetings and appointments (12.8)

    @classmethod
    def from_genesis(cls, event: ev.Event, keep_messages: bool = True) -> ConferenceState:
        assert isinstance(event.body, Genesis)
        state = cls(event.conf, event.hash, event.body, keep_messages)
        state.states = {s.code: s for s in event.body.states}
        state.seating = Seating.from_genesis(event.body)
        return state

    def revocation(self, fp: FullPowers) -> Revocation | None:
        """The revocation in force for these full powers, by their own state."""
        return self.revocations.get((fp.state, fp.id))

    def seated(self, fp: FullPowers) -> str | None:
        """The seating of the authority that issued `fp` (None: it claims no seat)."""
        return self.seating.status(fp.state, fp.root.text)

    def revoked_at(self, fp: FullPowers) -> int | None:
        rev = self.revocation(fp)
        return rev.revoked_at if rev else None

    # -- who may read what ------------------------------------------------------------
    def reading_states(self, channel: str) -> tuple[frozenset[str], bool]:
        """The states whose delegates read `channel`, and whether the chair does."""
        if channel == ev.PLENARY:
            observers = self.genesis.rules.observers == "plenary"
            codes = (c for c, s in self.states.items() if s.role == "member" or observers)
            return frozenset(codes), True
        room = self.channels[channel]
        return frozenset(room.spec.members), room.chair_member

    def history(self, channel: str) -> str:
        """The channel's history rule; the plenary is the conference's own record, which
        every member reads whole."""
        return "all" if channel == ev.PLENARY else self.channels[channel].spec.history

    def may_read(self, channel: str, state: str | None) -> bool:
        """Whether a delegate of `state` (None: the chair) reads `channel`."""
        states, chair = self.reading_states(channel)
        return chair if state is None else state in states

    def reading_identities(self, channel: str, time: int) -> frozenset[str]:
        """The identity keys that read `channel` at `time`: the chair (where it sits) and
        each delegate of a reading state whose full powers are joined, not expired and not
        revoked as of `time` (a revocation dated later takes effect, for keys too, at its
        date; so does expiry)."""
        if not self._cache_from <= time < self._cache_until:
            self._readers.clear()
            self._identities.clear()
            self._cache_from = time
        cached = self._identities.get(channel)
        if cached is not None:
            return cached
        if not self._identities:
            self._cache_until = MAX_TIME
        self._cache_from = max(self._cache_from, time)
        states, chair = self.reading_states(channel)
        owners = {self.genesis.chair.key.text} if chair else set()
        for fp in self.credentials.values():
            if fp.state not in states or self.seated(fp) not in SEATED:
                continue
            rev = self.revocation(fp)
            ends = min(fp.not_after, rev.revoked_at if rev else fp.not_after)
            if time < ends:  # neither expired nor revoked as of `time`
                owners.add(fp.key.text)
                self._cache_until = min(self._cache_until, ends)
        result = self._identities[channel] = frozenset(owners)
        return result

    def identities_of(self, code: str, time: int) -> frozenset[str]:
        """The identity keys of `code`'s seated delegates whose full powers hold at `time`."""
        return frozenset(
            fp.key.text for fp in self.credentials.values()
            if fp.state == code and self.seated(fp) in SEATED
            and time < min(fp.not_after, self.revoked_at(fp) or fp.not_after)
        )  # fmt: skip

    def devices_of(self, owners: frozenset[str]) -> dict[str, DevicePublicKey]:
        """The devices, not withdrawn, of these identities, by device id."""
        return {
            device: DevicePublicKey.parse(key)
            for device, (owner, key) in self.device_ids.items()
            if owner in owners and device not in self.revoked_devices
        }

    def readers(self, channel: str, time: int) -> frozenset[str]:
        """The ids of the devices that must hold `channel`'s key at `time`: every device,
        not withdrawn, of a reading identity."""
        owners = self.reading_identities(channel, time)
        cached = self._readers.get(channel)
        if cached is not None:
            return cached
        result = frozenset(
            device
            for device, (owner, _) in self.device_ids.items()
            if owner in owners and device not in self.revoked_devices
        )
        self._readers[channel] = result
        return result

    def reader_keys(self, channel: str, time: int) -> dict[str, DevicePublicKey]:
        """The device keys of `readers`, by device id: what a new epoch is sealed to."""
        return {
            device: DevicePublicKey.parse(self.device_ids[device].key)
            for device in self.readers(channel, time)
        }

    def current_epoch(self, channel: str) -> Epoch | None:
        epochs = self.epochs.get(channel)
        return epochs[-1] if epochs else None

    def epoch_problem(self, channel: str, time: int) -> str | None:
        """Why `channel` needs a new epoch before content is sent at `time`, if it does."""
        current = self.current_epoch(channel)
        rules = self.genesis.rules
        if current is None:
            return f"no key has been given out in channel {channel!r} yet"
        if current.recipients != self.readers(channel, time):
            return (
                f"the members or devices of channel {channel!r} changed after epoch "
                f"{current.number} was keyed"
            )
        if current.keyed_by not in self.reading_identities(channel, time):
            return (
                f"whoever keyed epoch {current.number} of {channel!r} may no longer read it, "
                "yet knows its key"
            )
        if time - current.time > rules.epoch_max_age_ms:
            return (
                f"epoch {current.number} of {channel!r}, keyed at {format_time(current.time)}, "
                f"is older than the rules allow ({format_period(rules.epoch_max_age_ms)})"
            )
        if current.acts >= rules.epoch_max_messages:
            return (
                f"epoch {current.number} of {channel!r} has carried the "
                f"{rules.epoch_max_messages} acts the rules allow"
            )
        return None

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
            self._record_act(event.cred, seq, time)
        if event.type in _MEMBERSHIP_TYPES:
            self._cache_until = 0
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
            opener = None if event.cred is None else self.credentials[event.cred].state
            self.channels[event.body.id] = Channel(
                event.body, seq, chair or event.body.kind == "consultation", opener
            )
        elif event.type == ev.DEVICE:
            assert isinstance(event.body, ev.DeviceAnnouncement)
            self._announce(event.author.text, event.body, seq, time)
        elif event.type == ev.DEVICE_REVOCATION:
            assert isinstance(event.body, ev.DeviceRevocation)
            self.revoked_devices[event.body.device] = seq
        elif event.type == ev.MEMBERSHIP:
            assert isinstance(event.body, ev.MembershipChange)
            self._change_members(event.body)
        elif event.type in ev.SEATING_TYPES:
            self._seat(event, seq)
        elif event.type in _ROOM_TYPES:
            self._room(event, seq, time)
        elif event.type == ev.EPOCH:
            assert isinstance(event.body, EpochBody)
            number = event.body.epoch
            epoch = Epoch(
                number, seq, time, event.body.recipients, event.author.text, event.body.record
            )
            self.epochs.setdefault(event.channel, []).append(epoch)
        elif event.type in ev.ENCRYPTED_TYPES:
            assert isinstance(event.body, Encrypted)
            self._count_encrypted(event, event.body, seq, time)
        return notices

    def _count_encrypted(self, event: ev.Event, body: Encrypted, seq: int, time: int) -> None:
        current = self.current_epoch(event.channel)
        assert current is not None
        current.acts += 1
        if event.type != ev.MESSAGE:
            return  # a negotiation act: `accord.core.negotiation` reads it
        self.message_count += 1
        if self.keep_messages:
            fp = self.credentials.get(event.cred) if event.cred else None
            self.messages[seq] = Message(
                seq, time, event.channel, self.author_label(event),
                fp.state if fp else None, event.cred, body.epoch,
            )  # fmt: skip

    def _record_act(self, cred: str, seq: int, time: int) -> None:
        self.acts.setdefault(cred, array("q")).extend((seq, time))
        fp = self.credentials.get(cred)
        seated = self.seated(fp) if fp is not None else None
        if seated is not None and seated != "accepted":
            self.seating.marks[seq] = seated  # the act carries it for good (12.5)

    def _announce(self, owner: str, body: ev.DeviceAnnouncement, seq: int, time: int) -> None:
        key = body.key.text
        self.devices.setdefault(owner, []).append(Device(seq, time, body.name, key))
        self.device_owner[key] = AnnouncedKey(owner, seq)
        self.device_ids[body.key.id()] = OwnedDevice(owner, key)

    def _change_members(self, change: ev.MembershipChange) -> None:
        room = self.channels[change.channel]
        members = (set(room.spec.members) | set(change.add)) - set(change.remove)
        spec = dataclasses.replace(room.spec, members=tuple(sorted(members)))
        self.channels[change.channel] = dataclasses.replace(room, spec=spec)

    def _room(self, event: ev.Event, seq: int, time: int) -> None:
        """Restricted documents and their receipts (12.6); meetings, attendance and
        appointments (12.8)."""
        body = event.body
        if isinstance(body, (MeetingAct, Attendance, Appointment)):
            fp = self.credentials.get(event.cred) if event.cred else None
            self.meetings.apply(seq, time, self.author_label(event), body, fp.state if fp else None)
            return
        if isinstance(body, DocumentBody):
            self.documents[body.document] = DocumentRecord(
                seq, self.author_label(event), event.author.text, body
            )
            return
        assert isinstance(body, ReceiptBody) and event.cred is not None
        fp = self.credentials[event.cred]
        receipts = self.documents[body.document].receipts.setdefault(fp.state, [])
        receipts.append((seq, fp.label()))

    def _seat(self, event: ev.Event, seq: int) -> None:
        body = event.body
        if isinstance(body, Lodging):
            self.seating.lodge(seq, event.author.text, body)
        elif isinstance(body, Report):
            self.seating.reports[event.hash] = (seq, self.author_label(event), body)
        else:
            assert isinstance(body, SeatingAct)
            self.seating.seat(seq, body)

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
        return (
            {
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
                "devices": {
                    owner: [list(d) for d in ds] for owner, ds in sorted(self.devices.items())
                },
                "revoked_devices": [[d, s] for d, s in sorted(self.revoked_devices.items())],
                "epochs": {
                    channel: [[e.number, e.seq, e.time, sorted(e.recipients), e.acts] for e in es]
                    for channel, es in sorted(self.epochs.items())
                },
            }
            | (
                {
                    "seating": self.seating.summary(),
                    "seating_marks": sorted(self.seating.marks.items()),
                }
                if self.genesis.rules.procedure.version > 1
                else {}
            )
            | (
                {"documents": [d.summary() for _, d in sorted(self.documents.items())]}
                if self.documents
                else {}
            )
            | (
                {"meetings": self.meetings.summary()}
                if self.meetings.meetings or self.meetings.facilitators
                else {}
            )
        )

    def digest(self) -> str:
        return hash_json(self.summary())
