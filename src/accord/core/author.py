"""Writing events as a member: the links to one's own chain and to the log one saw, and
the encryption of content under the channel's epoch key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.core import events as ev
from accord.core.encoding import hash_json
from accord.core.epochs import encrypt_body, epoch_body, parse_message_content, record_key
from accord.core.errors import AccordError
from accord.core.keyring import Keyring
from accord.core.keys import SigningKey
from accord.core.state import ConferenceState
from accord.core.verify import LogVerifier


@dataclass
class Author:
    """A signing key acting in one conference, under a credential (None: the chair), with
    the keyring of its node's devices for encrypted content."""

    key: SigningKey
    conf: str
    cred: str | None = None
    keyring: Keyring | None = None

    def _header(self, view: LogVerifier, type: str, time: int, channel: str) -> dict[str, Any]:
        return {
            "v": 1,
            "conf": self.conf,
            "type": type,
            "channel": channel,
            "author": self.key.public.text,
            "cred": self.cred,
            "prev": view.author_tip(self.key.public.raw),
            "seen": view.seen().to_json(),
            "time": time,
        }

    def event(
        self,
        view: LogVerifier,
        type: str,
        body: dict[str, Any],
        time: int,
        channel: str = ev.PLENARY,
    ) -> dict[str, Any]:
        """Sign an event that follows this author's latest event in `view` and cites
        `view`'s head: the log as this author has verified it."""
        unsigned = self._header(view, type, time, channel)
        unsigned["body"] = body
        return self.key.sign_object(ev.EVENT_CONTEXT, unsigned)

    def _keys(self) -> Keyring:
        if self.keyring is None:
            raise AccordError("this author has no keyring, so it cannot encrypt")
        return self.keyring

    def encrypted(
        self,
        view: LogVerifier,
        type: str,
        content: dict[str, Any],
        time: int,
        channel: str = ev.PLENARY,
    ) -> dict[str, Any]:
        """An event whose content is encrypted under the channel's current epoch key (the
        caller rekeys first if `ConferenceState.epoch_problem` says so)."""
        state = _state(view)
        current = state.current_epoch(channel)
        if current is None:
            raise AccordError(f"channel {channel!r} has no epoch key yet: rekey it first")
        keyring = self._keys()
        key = keyring.epoch_key(state, channel, current.number)
        if type in ev.NEGOTIATION_TYPES:  # disclosable in a final act, apart from messages
            key = record_key(key)
        unsigned = self._header(view, type, time, channel)
        unsigned["body"] = encrypt_body(key, current.number, content, unsigned, keyring.nonce())
        return self.key.sign_object(ev.EVENT_CONTEXT, unsigned)

    def rekey(self, view: LogVerifier, time: int, channel: str = ev.PLENARY) -> dict[str, Any]:
        """An `epoch` event: a fresh key for `channel`, sealed to every device that may
        read it now (and linked to the previous key where the history rule says all)."""
        state = _state(view)
        keyring = self._keys()
        current = state.current_epoch(channel)
        number = 1 if current is None else current.number + 1
        previous = None
        if current is not None and state.history(channel) == "all":
            previous = keyring.epoch_key(state, channel, current.number)
        recipients = state.reader_keys(channel, time)
        key = keyring.new_key()
        body = epoch_body(
            key, recipients, conf=self.conf, channel=channel, epoch=number,
            previous_key=previous, seal=keyring.seal, nonce=keyring.nonce(),
        )  # fmt: skip
        keyring.remember(channel, number, key)
        return self.event(view, ev.EPOCH, body, time, channel)

    def join(self, view: LogVerifier, credential: dict[str, Any], time: int) -> dict[str, Any]:
        self.cred = hash_json(credential)
        return self.event(view, ev.JOIN, {"credential": credential}, time)

    def say(
        self, view: LogVerifier, text: str, time: int, channel: str = ev.PLENARY
    ) -> dict[str, Any]:
        content = {"text": text}
        parse_message_content(content)  # what readers will check, checked before sealing
        return self.encrypted(view, ev.MESSAGE, content, time, channel)

    def open_channel(
        self,
        view: LogVerifier,
        channel: str,
        kind: str,
        members: list[str],
        time: int,
        history: str = "from_join",
    ) -> dict[str, Any]:
        body = {"channel": channel, "kind": kind, "members": sorted(members), "history": history}
        return self.event(view, ev.CHANNEL, body, time)

    def change_members(
        self,
        view: LogVerifier,
        channel: str,
        time: int,
        add: list[str] | None = None,
        remove: list[str] | None = None,
    ) -> dict[str, Any]:
        body = {"channel": channel, "add": sorted(add or []), "remove": sorted(remove or [])}
        return self.event(view, ev.MEMBERSHIP, body, time)

    def announce_device(
        self, view: LogVerifier, device: str, name: str, time: int
    ) -> dict[str, Any]:
        """Certify a device's encryption key (tagged text) under this identity."""
        return self.event(view, ev.DEVICE, {"device": device, "name": name}, time)

    def withdraw_device(
        self, view: LogVerifier, device: str, reason: str, time: int
    ) -> dict[str, Any]:
        """Withdraw one of this identity's devices (by id): it gets no further keys."""
        return self.event(view, ev.DEVICE_REVOCATION, {"device": device, "reason": reason}, time)

    def publish_revocation(
        self, view: LogVerifier, revocation: dict[str, Any], time: int
    ) -> dict[str, Any]:
        return self.event(view, ev.REVOCATION, {"revocation": revocation}, time)


def _state(view: LogVerifier) -> ConferenceState:
    if view.state is None:
        raise AccordError("the log has no genesis yet")
    return view.state


def genesis_event(
    host: SigningKey, *, conf: str, genesis: dict[str, Any], time: int
) -> dict[str, Any]:
    """The first event of a conference, signed by its host."""
    return ev.make_event(
        host, conf=conf, type=ev.GENESIS, body=genesis, time=time, seen=None, prev=None, cred=None
    )
