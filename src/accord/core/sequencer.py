"""An in-memory sequencer: the log's single writer, without any I/O.

`sequence` is the one step that accepts an event: the verifier's rules
(`LogVerifier.admit`), the next head, the signed receipt, the entry folded in. The
relay calls it too. The caller supplies the clock,
so the sequencer stays pure; the relay wraps the same logic with durable storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from accord.core import events as ev
from accord.core.codes import Code
from accord.core.encoding import parse_hash
from accord.core.errors import AccordError, SignatureError, Violation
from accord.core.genesis import Genesis
from accord.core.keys import SigningKey
from accord.core.log import make_checkpoint, make_receipt, next_head
from accord.core.record import checkpoint_line, entry_line, header_line
from accord.core.state import ConferenceState, Notice
from accord.core.verify import LogVerifier


class Sequenced(NamedTuple):
    """An event the sequencer accepted: its place, its receipt time and signed receipt,
    and the notices folding it in raised."""

    seq: int
    time: int
    receipt: dict[str, Any]
    notices: list[Notice]


def sequence(verifier: LogVerifier, key: SigningKey, event: ev.Event, now: int) -> Sequenced:
    """The sequencer's one step, the same in this class and in the relay (protocol 6, 7.1).

    The receipt time is `now`, or the previous receipt's if the clock went back; the event
    is admitted by the verifier's rules at that time; the next head follows from the
    previous one and the event's hash; the receipt is signed and the entry folded into
    `verifier`. A refused event raises `Violation` and changes nothing.
    """
    seq = verifier.length
    time = max(now, verifier.last_time)
    verifier.admit(event, seq, time)
    head = next_head(verifier.head, parse_hash(event.hash, "event hash"))
    receipt = make_receipt(key, conf=event.conf, seq=seq, event=event.hash, head=head, time=time)
    return Sequenced(seq, time, receipt, verifier.commit(event, seq, time, head))


class Sequencer:
    def __init__(self, key: SigningKey, genesis_event: dict[str, Any], now: int) -> None:
        self.key = key
        self.verifier = LogVerifier()
        self.entries: list[tuple[dict[str, Any], dict[str, Any]]] = []
        event = self._parse(genesis_event, 0)
        if not isinstance(event.body, Genesis) or event.body.sequencer != key.public:
            raise Violation(
                Code.BAD_GENESIS, "the genesis names another sequencer key than this one", 0
            )
        self._accept(event, genesis_event, now)

    @property
    def state(self) -> ConferenceState:
        assert self.verifier.state is not None
        return self.verifier.state

    @property
    def conf(self) -> str:
        return self.state.conf

    def submit(self, event_json: dict[str, Any], now: int) -> dict[str, Any]:
        """Accept an event and return its signed receipt, or raise `Violation`."""
        seq = self.verifier.length
        event = self._parse(event_json, seq)
        return self._accept(event, event_json, now)

    def _parse(self, event_json: dict[str, Any], seq: int) -> ev.Event:
        try:
            return ev.Event.parse(event_json)
        except SignatureError as exc:
            raise Violation(Code.BAD_SIGNATURE, f"refused: {exc}", seq) from exc
        except AccordError as exc:
            raise Violation(Code.MALFORMED, f"refused: malformed event: {exc}", seq) from exc

    def _accept(self, event: ev.Event, event_json: dict[str, Any], now: int) -> dict[str, Any]:
        step = sequence(self.verifier, self.key, event, now)
        self.notices: list[Notice] = step.notices
        self.entries.append((event_json, step.receipt))
        return step.receipt

    def checkpoint(self, now: int) -> dict[str, Any]:
        last = self.entries[-1][1]
        return make_checkpoint(
            self.key,
            conf=self.conf,
            seq=last["seq"],
            head=last["head"],
            time=max(now, self.verifier.last_time),
        )

    def export_lines(self, now: int) -> Iterator[bytes]:
        """The record file, line by line (see `accord.core.record`)."""
        yield header_line()
        for event_json, receipt in self.entries:
            yield entry_line(event_json, receipt)
        yield checkpoint_line(self.checkpoint(now))
