"""Device keys announced in the record: certified by the delegate's identity, once each."""

from __future__ import annotations

import pytest

from accord.core.author import Author
from accord.core.errors import Violation
from accord.core.record import verify_record
from accord.core.sealing import DeviceKey
from accord.core.verify import fold
from tests.builders import World, key


def test_a_delegate_announces_devices_and_everyone_sees_them() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes", device=False)
    laptop, phone = DeviceKey.from_label("laptop"), DeviceKey.from_label("phone")
    world.submit(ana.announce_device(world.view, laptop.public.text, "laptop", world.tick()))
    world.submit(ana.announce_device(world.view, phone.public.text, "phone", world.tick()))
    state = fold(world.entries())
    devices = state.devices[ana.key.public.text]
    assert [(d[2], d[3]) for d in devices] == [
        ("laptop", laptop.public.text),
        ("phone", phone.public.text),
    ]
    assert verify_record(world.lines()).ok


def test_a_device_key_is_announced_once() -> None:
    world = World()
    ana, boris = world.join("ARC", "Ana Reyes"), world.join("BOR", "Boris Vlk")
    laptop = DeviceKey.from_label("laptop")
    world.submit(ana.announce_device(world.view, laptop.public.text, "laptop", world.tick()))
    with pytest.raises(Violation) as refused:
        world.submit(
            boris.announce_device(world.view, laptop.public.text, "mine now", world.tick())
        )
    assert refused.value.code == "duplicate_device"


def test_only_members_announce_devices() -> None:
    world = World()
    stranger = Author(key("stranger"), world.conf)
    event = stranger.announce_device(
        world.view, DeviceKey.from_label("x").public.text, "x", world.tick()
    )
    with pytest.raises(Violation) as refused:
        world.submit(event)
    assert refused.value.code == "not_member"


def test_a_malformed_device_key_is_refused() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    with pytest.raises(Violation) as refused:
        world.submit(ana.announce_device(world.view, "mlkem768x25519:AAAA", "broken", world.tick()))
    assert refused.value.code == "malformed"
