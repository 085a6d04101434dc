"""Meetings, attendance and appointments from a node (docs/protocol.md 12.8), each
checked against the verified record before it is signed."""

from __future__ import annotations

from typing import Any

from accord.core import events as ev
from accord.core.meetings import Meeting
from accord.node.base import NodeError
from accord.node.negotiating import Negotiating


class MeetingActs(Negotiating):
    """Meetings opened, attended and closed; facilitators appointed and relieved."""

    def open_meeting(
        self, conf: str, meeting: str, format: str, channel: str, item: str, now: int
    ) -> dict[str, Any]:
        body = {"meeting": meeting, "action": "open", "format": format, "channel": channel,
                "item": item}  # fmt: skip
        return self._meeting_act(conf, ev.MEETING, body, now)

    def close_meeting(self, conf: str, meeting: str, now: int) -> dict[str, Any]:
        return self._meeting_act(conf, ev.MEETING, {"meeting": meeting, "action": "close"}, now)

    def attend(self, conf: str, meeting: str, now: int) -> dict[str, Any]:
        return self._meeting_act(conf, ev.ATTENDANCE, {"meeting": meeting}, now, as_chair=False)

    def appoint(
        self, conf: str, state: str, item: str, now: int, end: bool = False
    ) -> dict[str, Any]:
        body = {"role": "facilitator", "state": state, "item": item, "end": end}
        return self._meeting_act(conf, ev.APPOINTMENT, body, now)

    def meetings(self, conf: str) -> dict[str, Meeting]:
        self.sync(conf)
        state = self.view(conf).state
        assert state is not None
        return state.meetings.meetings

    def _meeting_act(
        self, conf: str, type: str, body: dict[str, Any], now: int, as_chair: bool = True
    ) -> dict[str, Any]:
        """A chair who also holds full powers convenes as chair; a facilitator as its state."""
        if self._membership(conf).credential is None and not as_chair:
            raise NodeError("the chair does not answer present: delegations do")
        return self.act_checked(
            conf, now, lambda view: self.author(conf, view, as_chair).event(view, type, body, now)
        )
