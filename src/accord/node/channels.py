"""Channels and their keys: messages, acts under the current epoch, rekeying."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.core import events as ev
from accord.core.author import Author
from accord.core.authority import CHAIR_ONLY
from accord.core.codes import EPOCH_RACES
from accord.core.credentials import FullPowers
from accord.core.epochs import NoKeyError, parse_message_content
from accord.core.sealing import TamperedError
from accord.core.seating import SEATED
from accord.core.state import Message
from accord.core.verify import LogVerifier
from accord.infra.clock import now_ms
from accord.node.base import NodeError
from accord.node.client import RelayError
from accord.node.conference import ConferenceActs

# Acts a chair who is also a delegate (a presiding state's head of delegation) signs in
# the chair's capacity, with no credential: the record tells the chair from the state.
# A paragraph's status is the chair's to mark agreed; reopening it may be either's.
CHAIR_ACTS = CHAIR_ONLY | {ev.TEXT}  # a facilitator tables texts too, for its item


def chair_capacity(type: str, content: dict[str, Any]) -> bool:
    """Whether a chair who also holds full powers makes this act as chair by default."""
    return type in CHAIR_ACTS or (
        type == ev.PARAGRAPH_STATUS and content.get("status") == "agreed_ad_ref"
    )


@dataclass(frozen=True)
class ReadMessage:
    """A message as this node reads it: its text, or why it cannot be shown."""

    message: Message
    text: str | None
    problem: str | None = None


class Channels(ConferenceActs):
    """Encrypted speech: post and send under the current epoch, rekey when due, read
    the messages; open channels and change their members."""

    def post(self, conf: str, text: str, now: int, channel: str = ev.PLENARY) -> dict[str, Any]:
        """Encrypt and post a message, keying a new epoch of the channel first if the
        record says one is due (members changed, or the rules' age or count reached)."""
        content = {"text": text}
        parse_message_content(content)  # refused here, not reported as tampering by readers
        return self.send(conf, ev.MESSAGE, content, now, channel)

    def send(
        self,
        conf: str,
        type: str,
        content: dict[str, Any],
        now: int,
        channel: str,
        as_chair: bool | None = None,
    ) -> dict[str, Any]:
        """Encrypt, sign and post an act; `as_chair` (default: by `chair_capacity`) says
        in which capacity a chair who is also a delegate makes it."""
        self.sync(conf)
        self.ensure_device(conf, now)  # a chair who only followed has none yet
        if as_chair is None:
            as_chair = chair_capacity(type, content)
        as_chair = as_chair and self.is_chair(conf)
        if not as_chair:
            self._check_seated(conf, type)
        state = self.view(conf).state
        unrecorded = state.meetings.unrecorded(channel) if state is not None else None
        if unrecorded is not None:
            raise NodeError(
                f"not sent: {unrecorded.id}, an informal informal meeting, is under way in "
                f"{channel!r}: only attendance and times are recorded there"
            )
        for attempt in range(3):
            if attempt:
                # Another member keyed first, or the clock crossed an epoch's age or a
                # revocation's date: look again at the time now.
                now = max(now, now_ms())
            try:
                # The first attempt follows the sync above; a retry needs a fresh one.
                self.rekey(conf, channel, now, synced=attempt == 0)

                def make(author: Author, view: LogVerifier, at: int = now) -> dict[str, Any]:
                    return author.encrypted(view, type, content, at, channel)

                return self.act(conf, now, make, as_chair)
            except RelayError as exc:
                if exc.code not in EPOCH_RACES or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _check_seated(self, conf: str, type: str) -> None:
        """Refuse, before anything is signed, an act of a delegation not seated (12.5)."""
        credential = self._membership(conf).credential
        state = self.view(conf).state
        if credential is None or state is None:
            return
        fp = FullPowers.parse(credential)
        seated = state.seated(fp)
        if seated not in SEATED:
            raise NodeError(
                f"not sent: the credentials of {fp.label()}'s authority for {fp.state} "
                + ("were rejected by the conference" if seated == "rejected"
                   else "await the conference's decision")
                + f"; a delegation not seated makes no {type} act"
            )  # fmt: skip

    def rekey(
        self, conf: str, channel: str, now: int, force: bool = False, synced: bool = False
    ) -> bool:
        """Key a new epoch of `channel` if one is due (or `force`); whether it did. It
        syncs first unless the caller just did (`synced`)."""
        if not synced:
            self.sync(conf)
        state = self.view(conf).state
        assert state is not None
        if channel != ev.PLENARY and channel not in state.channels:
            raise NodeError(f"{conf} has no channel {channel!r}")
        if not force and state.epoch_problem(channel, now) is None:
            return False
        try:
            self.act(conf, now, lambda a, view: a.rekey(view, now, channel))
        except NoKeyError as exc:
            raise NodeError(
                f"channel {channel!r} keeps its whole history for members who join later, "
                "and this node does not hold its current key to pass on; a member who does "
                f"must rekey it first (their node does so when it syncs). ({exc})"
            ) from exc
        except TamperedError as exc:
            current = state.current_epoch(channel)
            self._raise_alert(
                conf, current.seq if current else None, "bad_epoch_key",
                f"the key this node was given for channel {channel!r} does not open or is "
                f"not the epoch's key ({exc}): the member who keyed it sent a bad key. This "
                "node cannot pass the channel's history on; another member must rekey it",
            )  # fmt: skip
            raise NodeError(f"cannot rekey {channel!r}: {exc}") from exc
        return True

    def rekey_due(self, conf: str, now: int) -> list[str]:
        """Rekey every channel this node reads whose epoch is due for replacement (after
        a member left, was removed or revoked, or a device changed): the channels it
        rekeyed. Channels it cannot rekey (no key to link history) are left to others."""
        state = self.view(conf).state
        if state is None:
            return []
        me = self.identity.public.text
        done = []
        for channel in [ev.PLENARY, *sorted(state.channels)]:
            if me not in state.reading_identities(channel, now):
                continue
            if state.current_epoch(channel) is None:
                continue  # nothing was said yet: the first speaker keys it
            if state.epoch_problem(channel, now) is None:
                continue
            try:
                if self.rekey(conf, channel, now):
                    done.append(channel)
            except NodeError:
                continue
            except RelayError as exc:
                if exc.code not in EPOCH_RACES:
                    raise
            state = self.view(conf).state
            assert state is not None
        return done

    def messages(self, conf: str) -> list[ReadMessage]:
        """The conference's messages, decrypted where this node's devices hold the key;
        content that does not open is reported as tampering (and raises an alert), never
        shown as text."""
        state = self.view(conf).state
        if state is None:
            return []
        keyring = self.keyring(conf)
        # One pass over the replica, rather than a query per message.
        events = {
            receipt["seq"]: ev.Event.parse(event, check_signature=False)  # verified when stored
            for event, receipt in self.replica.iter_entries(conf)
            if event["type"] == ev.MESSAGE
        }
        out = []
        for m in state.messages.values():
            try:
                out.append(ReadMessage(m, keyring.message_text(state, events[m.seq])))
            except NoKeyError:
                out.append(
                    ReadMessage(m, None, "not readable here: this node was not given its key")
                )
            except TamperedError as exc:
                self._raise_alert(
                    conf, m.seq, "tampered_content",
                    f"the content of entry #{m.seq} by {m.author} does not decrypt: {exc}",
                )  # fmt: skip
                out.append(ReadMessage(m, None, f"TAMPERED: {exc}"))
        return out

    def open_channel(
        self, conf: str, channel: str, kind: str, members: list[str], now: int, history: str
    ) -> dict[str, Any]:
        return self.act(
            conf, now, lambda a, view: a.open_channel(view, channel, kind, members, now, history)
        )

    def change_members(
        self, conf: str, channel: str, add: list[str], remove: list[str], now: int
    ) -> dict[str, Any]:
        return self.act(
            conf, now, lambda a, view: a.change_members(view, channel, now, add, remove)
        )
