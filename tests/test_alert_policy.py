"""The alert policy (`accord.node.alerts`) without a relay: events from a deterministic
conference, what a node knows, and the alerts it must raise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.core.author import Author
from accord.core.credentials import FullPowers, issue_full_powers
from accord.core.sealing import DeviceKey
from accord.core.times import format_time
from accord.node.alerts import WATCHED, KeyAlert, Known, key_alerts
from tests.builders import CONF, DAY, T0, World, key


def _known(
    world: World,
    me: Author,
    credential: dict[str, Any] | None,
    devices: list[DeviceKey],
    verified: Mapping[tuple[str, str], tuple[str, int]] | None = None,
) -> Known:
    def join_of(cred: str) -> str | None:
        state = world.view.state
        assert state is not None
        seq = state.joined_at.get(cred)
        return None if seq is None else world.event_at(seq).hash

    return Known(
        identity=me.key.public,
        credential=None if credential is None else FullPowers.parse(credential),
        devices=frozenset(d.public.id() for d in devices),
        verified=verified or {},
        join_of=join_of,
    )


def _alerts(world: World, receipt: dict[str, Any], known: Known) -> list[KeyAlert]:
    """The alerts the entry raises; each names its entry, and when it was received
    (a revocation names the date it takes effect instead)."""
    seq = receipt["seq"]
    state = world.view.state
    assert state is not None
    alerts = key_alerts(world.event_at(seq), receipt["time"], seq, state, known)
    for alert in alerts:
        assert alert.seq == seq and f"entry #{seq}" in alert.message, alert
        if alert.code not in ("credential_revoked", "colleague_revoked"):
            assert format_time(receipt["time"]) in alert.message, alert
    return alerts


def _codes(alerts: list[KeyAlert]) -> list[str]:
    return [a.code for a in alerts]


def _join(world: World, state: str, name: str) -> tuple[Author, dict[str, Any], DeviceKey]:
    """A delegate joins and announces a laptop; its author, credential and device."""
    _, cred = world.credential(state, name)
    author = world.join(state, name)
    device = DeviceKey.from_label(f"device {author.key.public.text} laptop")
    return author, cred, device


def _add_device(world: World, author: Author, name: str) -> tuple[DeviceKey, dict[str, Any]]:
    device = world.add_device(author, name)
    return device, {"seq": world.view.length - 1, "time": world.clock}


def test_a_device_this_node_does_not_hold_alerts_its_delegate() -> None:
    world = World()
    ana, cred, _ = _join(world, "ARC", "Ana Reyes")
    laptop = world.add_device(ana, "office")
    phone, receipt = _add_device(world, ana, "phone")
    alerts = _alerts(world, receipt, _known(world, ana, cred, [laptop]))
    assert _codes(alerts) == ["new_device"]
    assert alerts[0].seq == receipt["seq"]
    assert "'phone'" in alerts[0].message and f"#{receipt['seq']}" in alerts[0].message
    assert _alerts(world, receipt, _known(world, ana, cred, [laptop, phone])) == []


def test_a_colleague_device_alerts_the_delegation_but_not_the_one_announced_on_joining() -> None:
    world = World()
    ana, cred, _ = _join(world, "ARC", "Ana Reyes")
    bruno, _, _ = _join(world, "ARC", "Bruno Diaz")
    on_joining = {"seq": world.view.length - 1, "time": world.clock}
    assert _alerts(world, on_joining, _known(world, ana, cred, [])) == []
    _, receipt = _add_device(world, bruno, "phone")
    alerts = _alerts(world, receipt, _known(world, ana, cred, []))
    assert _codes(alerts) == ["colleague_device"]
    assert "Bruno Diaz" in alerts[0].message
    # Another state's delegate, or a node that has not joined: not this delegation's news.
    boris, boris_cred, _ = _join(world, "BOR", "Boris Vlk")
    assert _alerts(world, receipt, _known(world, boris, boris_cred, [])) == []
    assert _alerts(world, receipt, _known(world, world.chair, None, [])) == []


def test_a_verified_contact_joining_with_another_key_alerts() -> None:
    world = World()
    ana, cred, _ = _join(world, "ARC", "Ana Reyes")
    boris_key = key("delegate BOR Boris Vlk")
    world.join("BOR", "Boris Vlk", device=False)
    receipt = {"seq": world.view.length - 1, "time": world.clock}
    changed = {("BOR", "Boris Vlk"): (key("an older key").public.text, T0)}
    alerts = _alerts(world, receipt, _known(world, ana, cred, [], changed))
    assert _codes(alerts) == ["verified_key_changed"]
    assert "Compare safety numbers again" in alerts[0].message
    same = {("BOR", "Boris Vlk"): (boris_key.public.text, T0)}
    assert _alerts(world, receipt, _known(world, ana, cred, [], same)) == []


def test_a_colleague_acting_with_a_new_key_alerts_the_delegation() -> None:
    world = World()
    ana, cred, _ = _join(world, "ARC", "Ana Reyes")
    _join(world, "ARC", "Bruno Diaz")
    first_join = world.view.length - 2  # then his laptop
    assert world.event_at(first_join).type == "join"
    first = {"seq": first_join, "time": world.seq.entries[first_join][1]["time"]}
    assert _alerts(world, first, _known(world, ana, cred, [])) == []  # a first key is no change
    new_key = key("Bruno's second key")
    new_cred = issue_full_powers(
        world.roots["ARC"], state="ARC", delegate="Bruno Diaz", key=new_key.public,
        powers=["negotiate"], conferences=[CONF], not_before=T0 - DAY,
        not_after=T0 + 30 * DAY, issued_at=T0,
    )  # fmt: skip
    again = world.member(new_key)
    receipt = world.submit(again.join(world.view, new_cred, world.tick()))
    alerts = _alerts(world, receipt, _known(world, ana, cred, []))
    assert _codes(alerts) == ["colleague_key_changed"]
    assert "now acts with a new key" in alerts[0].message
    boris, boris_cred, _ = _join(world, "BOR", "Boris Vlk")
    assert _alerts(world, receipt, _known(world, boris, boris_cred, [])) == []


def test_revocations_alert_the_delegate_revoked_and_the_delegation() -> None:
    world = World()
    ana, ana_cred, _ = _join(world, "ARC", "Ana Reyes")
    bruno, bruno_cred, _ = _join(world, "ARC", "Bruno Diaz")
    boris, boris_cred, _ = _join(world, "BOR", "Boris Vlk")
    revocation = world.revoke("ARC", ana, world.tick(), reason="recalled")
    receipt = world.submit(world.chair.publish_revocation(world.view, revocation, world.tick()))
    mine = _alerts(world, receipt, _known(world, ana, ana_cred, []))
    assert _codes(mine) == ["credential_revoked"] and "recalled" in mine[0].message
    theirs = _alerts(world, receipt, _known(world, bruno, bruno_cred, []))
    assert _codes(theirs) == ["colleague_revoked"] and "Ana Reyes" in theirs[0].message
    # Each names who revoked or whose powers, the date they end, the entry and the reason.
    ends = f"as of {format_time(revocation['revoked_at'])} (entry #{receipt['seq']}): recalled"
    assert mine[0].message == f"your full powers were revoked by ARC {ends}"
    label = FullPowers.parse(ana_cred).label()
    assert theirs[0].message == f"the full powers of {label} were revoked {ends}"
    assert _alerts(world, receipt, _known(world, boris, boris_cred, [])) == []
    assert _alerts(world, receipt, _known(world, world.chair, None, [])) == []


def test_a_device_of_this_node_withdrawn_alerts() -> None:
    world = World()
    ana, cred, laptop = _join(world, "ARC", "Ana Reyes")
    receipt = world.submit(
        ana.withdraw_device(world.view, laptop.public.id(), "lost", world.tick())
    )
    alerts = _alerts(world, receipt, _known(world, ana, cred, [laptop]))
    assert _codes(alerts) == ["device_withdrawn"]
    assert "identity key is compromised" in alerts[0].message
    assert _alerts(world, receipt, _known(world, ana, cred, [])) == []


def test_other_events_raise_nothing() -> None:
    world = World()
    ana, cred, laptop = _join(world, "ARC", "Ana Reyes")
    receipt = world.say(ana, "Arcadia speaks.")
    assert world.event_at(receipt["seq"]).type not in WATCHED
    assert _alerts(world, receipt, _known(world, ana, cred, [laptop])) == []


def test_a_colleague_s_first_device_announced_later_than_the_join_alerts() -> None:
    world = World()
    ana, cred, _ = _join(world, "ARC", "Ana Reyes")
    bruno = world.join("ARC", "Bruno Diaz", device=False)
    world.submit(bruno.open_channel(world.view, "side", "group", ["ARC", "BOR"], world.tick()))
    _, receipt = _add_device(world, bruno, "phone")  # his only device, but not on joining
    assert _codes(_alerts(world, receipt, _known(world, ana, cred, []))) == ["colleague_device"]
