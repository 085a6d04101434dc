"""Meetings and the chair's appointments (docs/protocol.md 12.8): formal and informal
meetings, their attendance, and facilitators appointed for an item.

A meeting is opened and closed in a channel by the chair (or by the facilitator of its
item) with a format, which says what the record keeps of it:

- `formal`: a meeting of the plenary; everything said is in the record (as always);
- `informal`: informal consultations in a channel: recorded and attributable, as every
  act in a channel is, and never part of a final act;
- `informal_informal`: only who attended and when is recorded. While one is open in a
  channel, no content may be posted there: what is said in the room is not kept, and the
  record can prove nothing about it (docs/threat-model.md).

The chair appoints a member delegation as facilitator for an item (a text id): it tables
and revises that text, opens and closes meetings on it, and reports to the plenary.

This is public state: the relay needs it to refuse content in an unrecorded meeting and
to admit a facilitator's texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from accord.core import schema
from accord.core.errors import SchemaError
from accord.core.texts import TEXT_ID

FORMATS = frozenset({"formal", "informal", "informal_informal"})
MEETING_ID = TEXT_ID
ROLES = frozenset({"facilitator"})


@dataclass(frozen=True)
class MeetingAct:
    """The body of a `meeting` act: a meeting opened (with its format, channel and item)
    or closed."""

    meeting: str
    action: str  # open or close
    format: str | None = None
    channel: str | None = None
    item: str | None = None

    @classmethod
    def parse(cls, value: Any) -> MeetingAct:
        d = schema.obj(value, "meeting body", ("meeting", "action"), ("format", "channel", "item"))
        meeting = schema.text(d["meeting"], "meeting id", pattern=MEETING_ID)
        action = schema.choice(d["action"], "meeting action", {"open", "close"})
        if action == "close":
            if len(d) != 2:
                raise SchemaError("closing a meeting names the meeting only")
            return cls(meeting, action)
        if not {"format", "channel", "item"} <= set(d):
            raise SchemaError("opening a meeting names its format, channel and item")
        return cls(
            meeting,
            action,
            schema.choice(d["format"], "meeting format", FORMATS),
            schema.text(d["channel"], "channel", pattern=schema.CHANNEL_ID),
            schema.text(d["item"], "item", pattern=TEXT_ID),
        )


@dataclass(frozen=True)
class Attendance:
    """The body of an `attendance` act: the author's delegation is present."""

    meeting: str

    @classmethod
    def parse(cls, value: Any) -> Attendance:
        d = schema.obj(value, "attendance body", ("meeting",))
        return cls(schema.text(d["meeting"], "meeting id", pattern=MEETING_ID))


@dataclass(frozen=True)
class Appointment:
    """The body of the chair's `appointment` act: a delegation appointed to a role for an
    item, or (`end`) relieved of it."""

    role: str
    state: str
    item: str
    end: bool

    @classmethod
    def parse(cls, value: Any) -> Appointment:
        d = schema.obj(value, "appointment body", ("role", "state", "item", "end"))
        if not isinstance(d["end"], bool):
            raise SchemaError("an appointment's end is true or false")
        return cls(
            schema.choice(d["role"], "role", ROLES),
            schema.text(d["state"], "state", pattern=schema.STATE_CODE),
            schema.text(d["item"], "item", pattern=TEXT_ID),
            d["end"],
        )


class Present(NamedTuple):
    seq: int
    time: int
    who: str  # the delegate who answered


@dataclass
class Meeting:
    id: str
    format: str
    channel: str
    item: str
    by: str  # who opened it
    opened: tuple[int, int]  # entry and receipt time
    closed: tuple[int, int] | None = None
    attendance: dict[str, Present] = field(default_factory=dict)  # by state

    def summary(self) -> list[Any]:
        return [self.id, self.format, self.channel, self.item, self.by, list(self.opened),
                list(self.closed) if self.closed else None,
                {s: list(p) for s, p in sorted(self.attendance.items())}]  # fmt: skip


@dataclass
class Meetings:
    meetings: dict[str, Meeting] = field(default_factory=dict)
    facilitators: dict[str, tuple[str, int]] = field(default_factory=dict)  # item -> state, seq
    # Every appointment and its end, in order (entry, item, state; None once relieved): the
    # fold asks who facilitated an item when an act was made.
    appointments: list[tuple[int, str, str | None]] = field(default_factory=list)

    def unrecorded(self, channel: str) -> Meeting | None:
        """The informal informal meeting open in `channel`, if one is."""
        return next(
            (m for m in self.meetings.values()
             if m.channel == channel and m.closed is None and m.format == "informal_informal"),
            None,
        )  # fmt: skip

    def facilitator_at(self, item: str, seq: int) -> str | None:
        """The state facilitating `item` just before entry `seq`."""
        current = None
        for at, it, state in self.appointments:
            if at < seq and it == item:
                current = state
        return current

    def facilitates(self, state: str | None, item: str | None = None) -> bool:
        """Whether `state` is a facilitator (for `item`, if named)."""
        return state is not None and any(
            s == state and (item is None or i == item) for i, (s, _) in self.facilitators.items()
        )

    def apply(self, seq: int, time: int, by: str, body: MeetingAct | Attendance | Appointment,
              state: str | None) -> None:  # fmt: skip
        if isinstance(body, Appointment):
            if body.end:
                self.facilitators.pop(body.item, None)
            else:
                self.facilitators[body.item] = (body.state, seq)
            self.appointments.append((seq, body.item, None if body.end else body.state))
        elif isinstance(body, Attendance):
            assert state is not None
            self.meetings[body.meeting].attendance[state] = Present(seq, time, by)
        elif body.action == "open":
            assert body.format and body.channel and body.item
            self.meetings[body.meeting] = Meeting(
                body.meeting, body.format, body.channel, body.item, by, (seq, time)
            )
        else:
            self.meetings[body.meeting].closed = (seq, time)

    def summary(self) -> dict[str, Any]:
        return {
            "meetings": [m.summary() for _, m in sorted(self.meetings.items())],
            "facilitators": {i: list(f) for i, f in sorted(self.facilitators.items())},
        }
