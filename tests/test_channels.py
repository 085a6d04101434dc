"""Channels: membership is in the signed record; only members speak in them."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core import events as ev
from accord.core.errors import Violation
from accord.core.record import verify_record
from accord.core.verify import fold
from tests.builders import OPAQUE, World


def refused(world: World, event: dict[str, Any], code: str) -> str:
    with pytest.raises(Violation) as exc:
        world.submit(event)
    assert exc.value.code == code
    if code != "malformed":  # a malformed event has no hash a rogue sequencer could receipt
        report = verify_record(world.forced_lines([event]))  # a rogue sequencer records it
        assert report.problem is not None and report.problem.code == code
    return exc.value.message


def test_a_bilateral_channel_between_two_delegations() -> None:
    world = World()
    ana, boris, carla = (
        world.join("ARC", "Ana"),
        world.join("BOR", "Boris"),
        world.join("CAL", "Carla"),
    )
    world.submit(ana.open_channel(world.view, "arc-bor", "bilateral", ["ARC", "BOR"], world.tick()))
    world.say(boris, "Between us.", channel="arc-bor")
    state = fold(world.entries())
    assert state.channels["arc-bor"].spec.members == ("ARC", "BOR")
    assert [m.channel for m in state.messages.values()] == ["arc-bor"]
    message = refused(
        world, world.message(carla, "May I?", world.tick(), "arc-bor"), "not_channel_member"
    )
    assert "CAL is not a member" in message
    refused(
        world,
        world.message(world.chair, "Chair here.", world.tick(), "arc-bor"),
        "not_channel_member",
    )


def test_the_chair_consults_one_delegation() -> None:
    world = World()
    ana, boris = world.join("ARC", "Ana"), world.join("BOR", "Boris")
    world.submit(
        world.chair.open_channel(world.view, "consult-arc", "consultation", ["ARC"], world.tick())
    )
    world.say(world.chair, "Can you live with 72 hours?", "consult-arc")
    world.say(ana, "Only with a review clause.", "consult-arc")
    refused(world, world.message(boris, "?", world.tick(), "consult-arc"), "not_channel_member")
    assert verify_record(world.lines()).ok


def test_channel_rules() -> None:
    world = World(observers=["EU"])
    ana = world.join("ARC", "Ana")
    assert "only the chair" in refused(
        world,
        ana.open_channel(world.view, "c1", "consultation", ["ARC"], world.tick()),
        "channel_rule",
    )
    assert "only if it is a member" in refused(
        world,
        ana.open_channel(world.view, "c2", "bilateral", ["BOR", "CAL"], world.tick()),
        "channel_rule",
    )
    assert "observers read the plenary only" in refused(
        world,
        ana.open_channel(world.view, "c3", "group", ["ARC", "EU"], world.tick()),
        "channel_rule",
    )
    world.submit(ana.open_channel(world.view, "c4", "group", ["ARC", "BOR", "CAL"], world.tick()))
    refused(
        world,
        ana.open_channel(world.view, "c4", "group", ["ARC", "BOR"], world.tick()),
        "channel_exists",
    )
    refused(
        world,
        ana.open_channel(world.view, "c5", "bilateral", ["ARC", "BOR", "CAL"], world.tick()),
        "malformed",
    )
    refused(
        world,
        ana.event(
            world.view,
            ev.CHANNEL,
            {"channel": "c6", "kind": "group", "members": ["ARC", "BOR"], "history": "all"},
            world.tick(),
            channel="c4",
        ),
        "malformed",
    )
    refused(
        world,
        ana.event(world.view, ev.MESSAGE, OPAQUE, world.tick(), channel="nowhere"),
        "unknown_channel",
    )


def test_a_delegate_without_the_power_to_negotiate_opens_no_channel() -> None:
    world = World()
    adopter = world.join("ARC", "Ana", ["adopt"])
    refused(
        world,
        adopter.open_channel(world.view, "c", "bilateral", ["ARC", "BOR"], world.tick()),
        "power_missing",
    )
