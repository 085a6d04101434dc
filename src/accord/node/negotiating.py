"""The negotiation from the replica: the fold, acts, their effect, the final act, news."""

from __future__ import annotations

from typing import Any

from accord.core import events as ev
from accord.core import final_act
from accord.core.negotiation import Negotiation
from accord.core.negotiation import read as read_negotiation
from accord.core.times import format_time
from accord.node.base import NodeError
from accord.node.channels import Channels, chair_capacity

# The id a trial act carries while it is checked: no event has it (an event's hash is
# "sha256:" and 43 base64url characters).
PREVIEW = "sha256:not-yet-signed"


class Negotiating(Channels):
    """The negotiation as this node recomputes it; its acts posted in the plenary."""

    def negotiation(self, conf: str) -> Negotiation:
        """Texts, proposals, decisions and statements as this node recomputes them from its
        verified replica (acts it cannot decrypt are flagged, not applied)."""
        view = self.view(conf)
        if view.state is None:
            raise NodeError(f"nothing replicated for {conf}")
        # The fold is a function of the verified log (and of the keys this node holds): a
        # page shown again, with nothing new, reuses it. Callers only read it.
        key = (view.length, len(self.keystore.list()))
        cached = self._negotiations.get(conf)
        if cached is not None and cached[0] == key:
            return cached[1]
        entries = (
            (receipt["seq"], receipt["time"], ev.Event.parse(event, check_signature=False))
            for event, receipt in self.replica.iter_entries(conf)
            if event["type"] in ev.NEGOTIATION_TYPES
        )
        negotiation = read_negotiation(view.state, self.keyring(conf), entries, view.last_time)
        self._negotiations[conf] = (key, negotiation)
        return negotiation

    def negotiate(
        self,
        conf: str,
        type: str,
        content: dict[str, Any],
        now: int,
        as_chair: bool | None = None,
        checked: bool = True,
    ) -> dict[str, Any]:
        """Check, encrypt, sign and post one negotiation act in the plenary; the receipt.

        The act is first applied to a copy of the negotiation as this node verified it: one
        the fold would give no effect is refused here, in the fold's own words, and nothing
        is signed or sent. Only what the log alone decides (a deadline passing before the
        receipt, another act sequenced first) can still leave it without effect (`effect`).
        `checked=False` sends it regardless: for tests of what members make of such acts."""
        if type not in ev.NEGOTIATION_TYPES:
            raise NodeError(f"{type} is not a negotiation act")
        if checked:
            self.sync(conf)
            chair = chair_capacity(type, content) if as_chair is None else as_chair
            if not (chair and self.is_chair(conf)):
                self._check_seated(conf, type)  # a delegation not seated hears why first
            reason = self.check(conf, type, content, now, as_chair)
            if reason is not None:
                raise NodeError(f"not sent: it would have no effect: {reason}")
        return self.send(conf, type, content, now, ev.PLENARY, as_chair)

    def check(
        self, conf: str, type: str, content: dict[str, Any], now: int,
        as_chair: bool | None = None,
    ) -> str | None:  # fmt: skip
        """Why the act would have no effect as the next entry, by the fold's rules against
        this node's verified record; None if it would take effect."""
        self.sync(conf)
        view = self.view(conf)
        if as_chair is None:
            as_chair = chair_capacity(type, content)
        author = self.author(conf, view, as_chair and self.is_chair(conf))
        stand_in = ev.Event(
            hash=PREVIEW, conf=conf, type=type, channel=ev.PLENARY, author=author.key.public,
            cred=author.cred, prev=None, seen=None, time=now, body=None,  # type: ignore[arg-type]
            signed={}, size=0, signature=None,  # type: ignore[arg-type]
        )  # fmt: skip
        return self.negotiation(conf).trial(view.length, max(now, view.last_time), stand_in,
                                            content)  # fmt: skip

    def effect(self, conf: str, receipt: dict[str, Any]) -> str | None:
        """Why the negotiation act just receipted has no effect in the record (every
        member's fold flags it the same way), or None if it took effect. A late
        objection to a silence is recorded but changes nothing: that too."""
        negotiation = self.negotiation(conf)
        seq = receipt["seq"]
        flag = next((f.reason for f in negotiation.flags if f.seq == seq), None)
        if flag is None:
            for d in negotiation.decisions.values():
                if any(late[0] == seq for late in d.late):
                    flag = f"it came after the deadline of {d.id}: the silence held"
        return flag

    def final_act(self, conf: str, text_id: str) -> bytes:
        """The final act of the latest adopted version of `text_id`: the whole record and
        the keys of every act that establishes outcomes (see `accord.core.final_act`)."""
        self.sync(conf)
        negotiation = self.negotiation(conf)
        record = negotiation.texts.get(text_id)
        adopted = next(
            (v for v in reversed(record.versions) if negotiation.adopted(v.hash)), None
        ) if record else None  # fmt: skip
        if adopted is None:
            raise NodeError(f"no version of {text_id!r} has been adopted in {conf}")
        lines = self.export(conf)
        view, keyring = self.view(conf), self.keyring(conf)
        assert view.state is not None
        events = (
            ev.Event.parse(e, check_signature=False)
            for e, _ in self.replica.iter_entries(conf)
            if e["type"] in ev.NEGOTIATION_TYPES
        )
        keys = final_act.disclosure(view.state, keyring, events)
        return final_act.build(lines, text_id, adopted.hash, keys)

    def outcome_news(self, conf: str) -> list[str]:
        """Decisions whose outcome this node has not told its delegate yet (a silence that
        ended, a decision closed): each told once."""
        negotiation = self.negotiation(conf)
        told = self.replica.told_outcomes(conf)
        news = []
        for d in negotiation.decisions.values():
            outcome = d.outcome(negotiation.last_time)
            if outcome == "open" or told.get(d.id) == outcome:
                continue
            self.replica.tell_outcome(conf, d.id, outcome)
            ended = f", silence ended {format_time(d.deadline)}" if d.deadline else ""
            news.append(
                f"decision {d.id} ({d.procedure} on {d.subject.label()}{ended}): "
                f"{outcome.replace('_', ' ')}"
            )
        return news
