"""Writing events as a member: the links to one's own chain and to the log one saw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.core import events as ev
from accord.core.encoding import hash_json
from accord.core.keys import SigningKey
from accord.core.verify import LogVerifier


@dataclass
class Author:
    """A signing key acting in one conference, under a credential (None: the chair)."""

    key: SigningKey
    conf: str
    cred: str | None = None

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
        return ev.make_event(
            self.key,
            conf=self.conf,
            type=type,
            channel=channel,
            body=body,
            time=time,
            seen=view.seen(),
            prev=view.author_tip(self.key.public.raw),
            cred=self.cred,
        )

    def join(self, view: LogVerifier, credential: dict[str, Any], time: int) -> dict[str, Any]:
        self.cred = hash_json(credential)
        return self.event(view, ev.JOIN, {"credential": credential}, time)

    def say(self, view: LogVerifier, text: str, time: int) -> dict[str, Any]:
        return self.event(view, ev.MESSAGE, {"text": text}, time)

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

    def announce_device(
        self, view: LogVerifier, device: str, name: str, time: int
    ) -> dict[str, Any]:
        """Certify a device's encryption key (tagged text) under this identity."""
        return self.event(view, ev.DEVICE, {"device": device, "name": name}, time)

    def publish_revocation(
        self, view: LogVerifier, revocation: dict[str, Any], time: int
    ) -> dict[str, Any]:
        return self.event(view, ev.REVOCATION, {"revocation": revocation}, time)


def genesis_event(
    host: SigningKey, *, conf: str, genesis: dict[str, Any], time: int
) -> dict[str, Any]:
    """The first event of a conference, signed by its host."""
    return ev.make_event(
        host, conf=conf, type=ev.GENESIS, body=genesis, time=time, seen=None, prev=None, cred=None
    )
