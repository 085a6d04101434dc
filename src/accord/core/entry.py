"""The entry being judged by the authority rules (docs/protocol.md 7.1 step 6): the event,
the place it would take in the log, its receipt time and the state before it, and `Rule`,
the shape of each type's own rule (`accord.core.authority`, `accord.core.procedure_authority`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accord.core import events as ev
from accord.core.codes import Code
from accord.core.errors import Violation
from accord.core.state import ConferenceState


@dataclass(frozen=True)
class Entry:
    """The event being judged, where it would stand, and the state before it."""

    state: ConferenceState
    event: ev.Event
    seq: int
    time: int  # its receipt time: the time that counts (7.2)
    author_state: str | None  # the author's state; None for the chair

    def refuse(self, code: Code, what: str) -> Violation:
        return Violation(code, f"entry #{self.seq}: {what}", self.seq)


Rule = Callable[[Entry], None]
