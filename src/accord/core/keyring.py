"""A member's keys to a conference's channels: which epoch keys its devices were given.

The keyring opens epoch keys lazily, from the `epoch` events of the verified log, and
walks back along epoch links where the channel's history rule allows it. It never decides
who may read: the verifier has already checked that each epoch was sealed to exactly the
devices entitled to it; the keyring only finds out what this node's devices can open.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from accord.core import events as ev
from accord.core.epochs import (
    Encrypted,
    EpochBody,
    NoKeyError,
    commitment,
    content_key,
    decrypt_body,
    key_check,
    open_link,
    parse_message_content,
    record_key,
)
from accord.core.errors import AccordError
from accord.core.sealing import (
    EPOCH_KEY_SIZE,
    NONCE_SIZE,
    DeviceKey,
    TamperedError,
    open_epoch_key,
    seal_epoch_key,
)
from accord.core.state import ConferenceState


class Keyring:
    """The epoch keys one node can obtain in one conference.

    `event_at(seq)` returns the verified event at `seq` (from the replica or memory);
    `random(n)` is the source of fresh keys and nonces (the operating system's, except
    in reproducible test vectors)."""

    def __init__(
        self,
        conf: str,
        devices: Iterable[DeviceKey],
        event_at: Callable[[int], ev.Event],
        random: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        self.conf = conf
        self.devices = {d.public.id(): d for d in devices}
        self.event_at = event_at
        self.random = random
        self.seal: Callable[..., str] = seal_epoch_key  # replaced only by test vectors
        self._keys: dict[tuple[str, int], bytes] = {}  # opened and checked
        # Keys this node drew for epochs it proposed: used only if the log's epoch of that
        # number carries their check (another member may have keyed that number first).
        self._proposed: dict[tuple[str, int], list[bytes]] = {}
        # Epochs with nothing sealed to this node's devices (fixed once in the log).
        self._not_mine: set[tuple[str, int]] = set()

    def add_device(self, device: DeviceKey) -> None:
        self.devices[device.public.id()] = device
        self._not_mine.clear()

    def new_key(self) -> bytes:
        return self.random(EPOCH_KEY_SIZE)

    def forget(self) -> None:
        """Drop the keys opened so far; they are opened again from the log when needed."""
        self._keys.clear()
        self._not_mine.clear()

    def nonce(self) -> bytes:
        return self.random(NONCE_SIZE)

    def remember(self, channel: str, epoch: int, key: bytes) -> None:
        """The key of an epoch this node proposed (its event may yet be refused)."""
        self._proposed.setdefault((channel, epoch), []).append(key)

    def _body(self, state: ConferenceState, channel: str, number: int) -> EpochBody:
        body = self.event_at(state.epochs[channel][number - 1].seq).body
        assert isinstance(body, EpochBody)
        return body

    def epoch_key(self, state: ConferenceState, channel: str, number: int) -> bytes:
        """The key of epoch `number` of `channel`; `NoKeyError` if this node's devices were
        not given it, `TamperedError` if what they were given is not the epoch's key."""
        known = self._keys.get((channel, number))
        if known is not None:
            return known
        epochs = state.epochs.get(channel, [])
        if not 1 <= number <= len(epochs):
            raise NoKeyError(f"channel {channel!r} has no epoch {number}")
        # The first epoch, from `number` on, whose key a device of ours holds; in a channel
        # with `from_join` history only `number` itself will do.
        held = number
        while True:
            key = self._keys.get((channel, held))
            if key is not None:
                break
            if (channel, held) not in self._not_mine or (channel, held) in self._proposed:
                body = self._body(state, channel, held)
                key = self._proposed_key(body, channel, held)
                if key is not None:
                    break
                mine = next((d for d in self.devices if body.sealed_for(d) is not None), None)
                if mine is not None:
                    key = self._open(body, channel, held, mine)
                    break
                self._not_mine.add((channel, held))
            if state.history(channel) != "all" or held == len(epochs):
                raise NoKeyError(
                    f"this node's devices were not given the key of epoch {number} of channel "
                    f"{channel!r}: they did not read the channel then"
                )
            held += 1
        while held > number:  # walk back along the links
            link = self._body(state, channel, held).link
            if link is None:
                raise NoKeyError(f"epoch {held} of {channel!r} has no link to earlier keys")
            key = open_link(key, link, conf=self.conf, channel=channel, epoch=held)
            held -= 1
            body = self._body(state, channel, held)
            if key_check(key, conf=self.conf, channel=channel, epoch=held) != body.check:
                raise TamperedError(
                    f"the key linked to epoch {held} of {channel!r} is not that epoch's key"
                )
            self._keys[(channel, held)] = key
        return key

    def _proposed_key(self, body: EpochBody, channel: str, number: int) -> bytes | None:
        for key in self._proposed.pop((channel, number), []):
            if key_check(key, conf=self.conf, channel=channel, epoch=number) == body.check:
                self._keys[(channel, number)] = key
                return key
        return None

    def _open(self, body: EpochBody, channel: str, number: int, device: str) -> bytes:
        sealed = body.sealed_for(device)
        assert sealed is not None
        key = open_epoch_key(
            self.devices[device], sealed, conf=self.conf, channel=channel, epoch=number
        )
        if key_check(key, conf=self.conf, channel=channel, epoch=number) != body.check:
            raise TamperedError(
                f"the key sealed to this device for epoch {number} of {channel!r} is not the "
                "key the epoch announces: its author gave different keys to different devices"
            )
        if commitment(record_key(key)) != body.record:
            raise TamperedError(
                f"epoch {number} of {channel!r} announces another record key than its own"
            )
        self._keys[(channel, number)] = key
        return key

    def base_key(self, state: ConferenceState, event: ev.Event) -> bytes:
        """What an event's content key derives from: the epoch key, or for a negotiation
        act the epoch's record key."""
        assert isinstance(event.body, Encrypted)
        key = self.epoch_key(state, event.channel, event.body.epoch)
        return record_key(key) if event.type in ev.NEGOTIATION_TYPES else key

    def record_key(self, state: ConferenceState, channel: str, epoch: int) -> bytes:
        """The record key of an epoch, to disclose its negotiation acts (final act)."""
        return record_key(self.epoch_key(state, channel, epoch))

    def content(self, state: ConferenceState, event: ev.Event) -> dict[str, Any]:
        """The decrypted content of an encrypted event (`TamperedError`, `NoKeyError`)."""
        assert isinstance(event.body, Encrypted)
        return decrypt_body(self.base_key(state, event), event.signed, event.body)

    def content_key(self, state: ConferenceState, event: ev.Event) -> bytes:
        """The key of one event's content alone."""
        assert isinstance(event.body, Encrypted)
        return content_key(self.base_key(state, event), event.body.nonce)

    def read_message(self, state: ConferenceState, seq: int) -> str:
        """The text of the message at `seq`."""
        return self.message_text(state, self.event_at(seq))

    def message_text(self, state: ConferenceState, event: ev.Event) -> str:
        """The text of a message event already at hand."""
        content = self.content(state, event)
        try:
            return parse_message_content(content)
        except AccordError as exc:
            raise TamperedError(f"the decrypted message is not a message: {exc}") from exc
