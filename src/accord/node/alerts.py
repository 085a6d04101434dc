"""The alert policy: which changes of keys a delegate is told about, as a pure function
from one verified event and what this node knows to the alerts it raises.

A device announced for this identity that this node does not hold, or for a colleague
of this delegation; a new key for a contact verified by safety number, or for a
colleague; a revocation of one's own full powers or a colleague's; one of this node's
devices withdrawn. Nothing here reads the replica, the keystore or a clock: the node
gathers `Known` and raises what `key_alerts` returns (`tests/test_alert_policy.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from accord.core import events as ev
from accord.core.credentials import FullPowers, Revocation
from accord.core.keys import PublicKey
from accord.core.state import ConferenceState
from accord.core.times import format_time

# Event types after which this node checks whether to alert its delegate.
WATCHED = frozenset({ev.DEVICE, ev.JOIN, ev.REVOCATION, ev.DEVICE_REVOCATION})


@dataclass(frozen=True)
class KeyAlert:
    """An alert to raise: at which entry, its stable code, the sentence shown."""

    seq: int
    code: str
    message: str


@dataclass(frozen=True)
class Known:
    """What this node knows when it checks an event."""

    identity: PublicKey  # this node's signing key
    credential: FullPowers | None  # its full powers in this conference, if it joined
    devices: frozenset[str]  # ids of the device keys this node holds
    verified: Mapping[tuple[str, str], tuple[str, int]]  # (state, delegate) -> (key, when)
    join_of: Callable[[str], str | None]  # a credential's id -> the hash of its join event


def key_alerts(
    event: ev.Event, time: int, seq: int, state: ConferenceState, known: Known
) -> list[KeyAlert]:
    """The alerts entry `seq` (`event`, receipted at `time`, already folded into `state`)
    raises for this delegate, in order."""
    when = format_time(time)
    if event.type == ev.DEVICE:
        return _device(event, when, seq, state, known)
    if event.type == ev.JOIN:
        return _join(event, when, seq, state, known)
    if event.type == ev.REVOCATION and known.credential is not None:
        return _revocation(event, seq, state, known.credential)
    if event.type == ev.DEVICE_REVOCATION:
        assert isinstance(event.body, ev.DeviceRevocation)
        if event.body.device in known.devices:
            return [KeyAlert(
                seq, "device_withdrawn",
                f"this node's device was withdrawn at {when} (entry #{seq}): it will be "
                "given no new keys. If you did not do this, your identity key is "
                "compromised: have your ministry revoke your full powers",
            )]  # fmt: skip
    return []


def _device(
    event: ev.Event, when: str, seq: int, state: ConferenceState, known: Known
) -> list[KeyAlert]:
    """A device announced for this identity that this node does not hold, or for a
    colleague of this delegation: someone may hold a stolen key."""
    assert isinstance(event.body, ev.DeviceAnnouncement)
    name = event.body.name
    if event.author == known.identity:
        if event.body.key.id() in known.devices:
            return []
        return [KeyAlert(
            seq, "new_device",
            f"a new device '{name}' was added to your identity at {when} (entry "
            f"#{seq}), not from this node. If this was not you, your identity key is "
            "compromised: have your ministry revoke your full powers now",
        )]  # fmt: skip
    mine = known.credential
    if mine is None or event.cred is None:
        return []
    theirs = state.credentials.get(event.cred)
    if (
        len(state.devices.get(event.author.text, [])) == 1
        and event.prev is not None
        and event.prev == known.join_of(event.cred)
    ):
        return []  # the device a colleague's node announces on joining: the join is the news
    if theirs is not None and theirs.state == mine.state:
        return [KeyAlert(
            seq, "colleague_device",
            f"a new device '{name}' was added to {theirs.label()}'s identity at {when} "
            f"(entry #{seq}); check with them that it was theirs",
        )]  # fmt: skip
    return []


def _join(
    event: ev.Event, when: str, seq: int, state: ConferenceState, known: Known
) -> list[KeyAlert]:
    """A verified contact, or a colleague, joined with another key."""
    assert isinstance(event.body, FullPowers)
    fp, mine = event.body, known.credential
    out = []
    contact = known.verified.get((fp.state, fp.delegate))
    if contact is not None and contact[0] != fp.key.text:
        out.append(KeyAlert(
            seq, "verified_key_changed",
            f"{fp.label()}, whose safety number you verified on {format_time(contact[1])}, "
            f"joined with another key at {when} (entry #{seq}). Compare safety numbers "
            "again before trusting anything signed with it",
        ))  # fmt: skip
    earlier = [
        c for c in state.credentials.values()
        if (c.state, c.delegate) == (fp.state, fp.delegate) and c.key != fp.key
    ]  # fmt: skip
    if mine is not None and fp.state == mine.state and earlier and fp.key != mine.key:
        out.append(KeyAlert(
            seq, "colleague_key_changed",
            f"{fp.label()} now acts with a new key (joined at {when}, entry #{seq}); "
            "check with them that it is theirs",
        ))  # fmt: skip
    return out


def _revocation(
    event: ev.Event, seq: int, state: ConferenceState, mine: FullPowers
) -> list[KeyAlert]:
    """One's own full powers, or a colleague's, revoked."""
    assert isinstance(event.body, Revocation)
    rev = event.body
    target = state.credentials.get(rev.credential)
    if rev.credential == mine.id:
        code, whose = "credential_revoked", f"your full powers were revoked by {rev.state}"
    elif target is not None and target.state == mine.state:
        code, whose = "colleague_revoked", f"the full powers of {target.label()} were revoked"
    else:
        return []
    return [KeyAlert(
        seq, code, f"{whose} as of {format_time(rev.revoked_at)} (entry #{seq}): {rev.reason}",
    )]  # fmt: skip
