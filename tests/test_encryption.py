"""End-to-end encryption in the core: who holds which epoch key, what the verifier
enforces in public, and what a removed member, a late joiner or a tamperer can do."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.epochs import (
    Encrypted,
    EpochBody,
    NoKeyError,
    decrypt_body,
    epoch_body,
    key_check,
)
from accord.core.errors import SchemaError, Violation
from accord.core.record import verify_record
from accord.core.sealing import DeviceKey, DevicePublicKey, TamperedError
from tests.builders import SECOND, World, standard_world

PHRASES = [
    "The meeting is open.",
    "Arcadia proposes a point of contact within 30 days.",
    "Borduria supports.",
    "Calvia asks for six-monthly reachability checks.",
    "Arcadia thanks the chair.",
    "Calvia agrees.",
]


def refused(world: World, event: dict[str, Any], code: str) -> str:
    with pytest.raises(Violation) as exc:
        world.submit(event)
    assert exc.value.code == code, exc.value.message
    report = verify_record(world.forced_lines([event]))  # a rogue sequencer records it
    assert report.problem is not None and report.problem.code == code
    return exc.value.message


def test_the_record_holds_no_plaintext_and_members_read_everything() -> None:
    world, authors = standard_world()
    record = b"".join(world.lines())
    for phrase in PHRASES:
        assert phrase.encode() not in record
    state = world.view.state
    assert state is not None
    texts = [world.read(authors["ARC"], seq) for seq in sorted(state.messages)]
    assert texts == PHRASES
    assert [world.read(world.chair, seq) for seq in sorted(state.messages)] == PHRASES


def test_a_revoked_member_reads_nothing_sent_after_its_removal() -> None:
    world, authors = standard_world()
    boris = authors["BOR"]
    state = world.view.state
    assert state is not None and boris.keyring is not None
    revoked_at = next(
        seq for seq in range(world.view.length) if world.event_at(seq).type == ev.REVOCATION
    )
    before = [s for s in sorted(state.messages) if s < revoked_at]
    after = [s for s in sorted(state.messages) if s > revoked_at]
    assert before and after
    assert [world.read(boris, s) for s in before] == PHRASES[: len(before)]
    for seq in after:
        with pytest.raises(NoKeyError):
            world.read(boris, seq)
    # Every key Boris's device ever obtained opens none of the later ciphertexts.
    held = [boris.keyring.epoch_key(state, ev.PLENARY, n) for n in (1,)]
    for seq in after:
        event = world.event_at(seq)
        assert isinstance(event.body, Encrypted)
        for k in held:
            with pytest.raises(TamperedError):
                decrypt_body(k, event.signed, event.body)
    # The new epoch was sealed to the remaining devices only, in public.
    epoch = state.current_epoch(ev.PLENARY)
    assert epoch is not None and epoch.number == 2
    boris_devices = {
        d for d, (owner, _) in state.device_ids.items() if owner == boris.key.public.text
    }
    assert not boris_devices & epoch.recipients and len(epoch.recipients) == 3


def test_a_message_needs_a_new_epoch_after_any_change_of_readers() -> None:
    world = World()
    ana = world.join("ARC", "Ana")
    world.say(ana, "First.")
    boris = world.join("BOR", "Boris")  # a new device of a new member: the epoch is stale
    message = refused(world, ana.say(world.view, "Second.", world.tick()), "stale_epoch")
    assert "changed after epoch 1" in message
    world.say(ana, "Second.")
    assert world.read(boris, world.view.length - 1) == "Second."
    # The plenary keeps its whole history: Boris walks back from epoch 2 to epoch 1.
    first = next(s for s in range(world.view.length) if world.event_at(s).type == ev.MESSAGE)
    assert world.read(boris, first) == "First."


def test_epochs_expire_by_age_and_by_count() -> None:
    world = World()
    ana = world.join("ARC", "Ana")
    world.say(ana, "Now.")
    world.tick(8 * 24 * 3600 * SECOND)  # the default maximum age is 7 days
    assert "older than the rules allow" in refused(
        world, ana.say(world.view, "A week later.", world.tick()), "stale_epoch"
    )


def test_the_epoch_recipients_are_checked_in_public() -> None:
    world = World()
    ana, boris = world.join("ARC", "Ana"), world.join("BOR", "Boris")
    state = world.view.state
    assert state is not None and ana.keyring is not None
    publics = state.reader_keys(ev.PLENARY, world.clock)
    stranger = DeviceKey.from_label("a device nobody announced").public
    key = ana.keyring.new_key()

    def epoch(recipients: dict[str, DevicePublicKey], number: int = 1) -> dict[str, Any]:
        body = epoch_body(
            key, recipients, conf=world.conf, channel=ev.PLENARY, epoch=number,
            previous_key=None,
        )  # fmt: skip
        return ana.event(world.view, ev.EPOCH, body, world.tick())

    missing = dict(list(publics.items())[1:])
    assert "misses 1" in refused(world, epoch(missing), "epoch_recipients")
    extra = publics | {stranger.id(): stranger}
    assert "1 device(s) that may not read" in refused(world, epoch(extra), "epoch_recipients")
    assert "next epoch is 1" in refused(world, epoch(publics, 2), "epoch_sequence")
    world.submit(epoch(publics))
    # The plenary keeps its whole history: epoch 2 must link back to epoch 1.
    unlinked = epoch(publics, 2)
    assert "must link" in refused(world, unlinked, "channel_rule")
    world.say(boris, "Linked.")


def test_a_from_join_channel_forbids_links_and_a_late_state_reads_from_joining() -> None:
    world = World(states=("ARC", "BOR", "CAL"))
    ana, boris, carla = (
        world.join("ARC", "Ana"),
        world.join("BOR", "Boris"),
        world.join("CAL", "Carla"),
    )
    world.submit(ana.open_channel(world.view, "wg", "group", ["ARC", "BOR"], world.tick()))
    world.say(ana, "Before Calvia.", "wg")
    early = world.view.length - 1
    world.submit(ana.change_members(world.view, "wg", world.tick(), add=["CAL"]))
    world.say(boris, "After Calvia joined.", "wg")
    late = world.view.length - 1
    assert world.read(carla, late) == "After Calvia joined."
    with pytest.raises(NoKeyError):
        world.read(carla, early)
    epoch2 = world.event_at(late - 1)
    assert epoch2.type == ev.EPOCH and isinstance(epoch2.body, EpochBody)
    assert epoch2.body.link is None


def test_a_whole_history_channel_gives_a_late_state_the_past() -> None:
    world = World()
    ana, boris, carla = (
        world.join("ARC", "Ana"),
        world.join("BOR", "Boris"),
        world.join("CAL", "Carla"),
    )
    world.submit(
        ana.open_channel(world.view, "wg", "group", ["ARC", "BOR"], world.tick(), history="all")
    )
    world.say(ana, "One.", "wg")
    world.say(boris, "Two.", "wg")
    world.submit(ana.change_members(world.view, "wg", world.tick(), add=["CAL"]))
    world.say(ana, "Three.", "wg")
    assert [world.read(carla, s) for s in world.message_seqs("wg")] == ["One.", "Two.", "Three."]
    # A member who leaves reads nothing after: Borduria leaves, Arcadia speaks on.
    world.submit(boris.change_members(world.view, "wg", world.tick(), remove=["BOR"]))
    world.say(ana, "Four.", "wg")
    with pytest.raises(NoKeyError):
        world.read(boris, world.view.length - 1)
    assert world.read(carla, world.view.length - 1) == "Four."


def test_membership_rules() -> None:
    world = World(observers=["EU"])
    ana, boris = world.join("ARC", "Ana"), world.join("BOR", "Boris")
    world.join("CAL", "Carla")
    world.submit(ana.open_channel(world.view, "wg", "group", ["ARC", "BOR"], world.tick()))
    world.submit(ana.open_channel(world.view, "bi", "bilateral", ["ARC", "BOR"], world.tick()))
    assert "only the chair removes" in refused(
        world, ana.change_members(world.view, "wg", world.tick(), remove=["BOR"]), "channel_rule"
    )
    assert "fixed at its creation" in refused(
        world, ana.change_members(world.view, "bi", world.tick(), add=["CAL"]), "channel_rule"
    )
    assert "observers" not in refused(
        world, ana.change_members(world.view, "wg", world.tick(), add=["EU"]), "channel_rule"
    )
    assert "already a member" in refused(
        world, ana.change_members(world.view, "wg", world.tick(), add=["BOR"]), "channel_rule"
    )
    carla = world.members[-1]
    assert "not a member" in refused(
        world, carla.change_members(world.view, "wg", world.tick(), add=["CAL"]),
        "not_channel_member",
    )  # fmt: skip
    world.submit(boris.change_members(world.view, "wg", world.tick(), remove=["BOR"]))


def test_only_a_reader_keys_a_channel() -> None:
    world = World()
    ana, _, carla = world.join("ARC", "Ana"), world.join("BOR", "Boris"), world.join("CAL", "Carla")
    world.submit(ana.open_channel(world.view, "bi", "bilateral", ["ARC", "BOR"], world.tick()))
    assert "cannot give out its key" not in refused(
        world, carla.rekey(world.view, world.tick(), "bi"), "not_channel_member"
    )


def test_a_keyer_who_loses_the_right_to_read_makes_the_epoch_stale() -> None:
    # Ana keys the plenary, then is revoked; she knows the key, so it must be replaced
    # even though she had no device left to remove.
    world = World()
    ana = world.join("ARC", "Ana", device=False)
    boris = world.join("BOR", "Boris")
    world.submit(ana.rekey(world.view, world.tick()))
    world.say(boris, "Under Ana's key.")
    revocation = world.revoke("ARC", ana, world.tick())
    world.submit(world.chair.publish_revocation(world.view, revocation, world.tick()))
    state = world.view.state
    assert state is not None
    problem = state.epoch_problem(ev.PLENARY, world.clock)
    assert problem is not None and "may no longer read it" in problem
    world.say(boris, "Under a new key.")
    assert state.current_epoch(ev.PLENARY) is not None
    assert state.current_epoch(ev.PLENARY).keyed_by == boris.key.public.text  # type: ignore[union-attr]


def test_a_withdrawn_device_gets_no_new_keys() -> None:
    world = World()
    ana = world.join("ARC", "Ana")
    boris = world.join("BOR", "Boris")
    phone = world.add_device(ana, "phone")
    world.say(ana, "Both devices.")
    world.submit(ana.withdraw_device(world.view, phone.public.id(), "lost", world.tick()))
    world.say(boris, "After the phone was lost.")
    state = world.view.state
    assert state is not None
    epoch = state.current_epoch(ev.PLENARY)
    assert epoch is not None and phone.public.id() not in epoch.recipients
    lost = Author(ana.key, world.conf, ana.cred, None)
    from accord.core.keyring import Keyring

    lost.keyring = Keyring(world.conf, [phone], world.event_at)
    both, after = world.message_seqs()
    assert lost.keyring.read_message(state, both) == "Both devices."
    with pytest.raises(NoKeyError):
        lost.keyring.read_message(state, after)
    # Only the owner withdraws a device, and only once.
    refused(
        world,
        boris.withdraw_device(world.view, phone.public.id(), "x", world.tick()),
        "device_rule",
    )
    refused(
        world, ana.withdraw_device(world.view, phone.public.id(), "x", world.tick()), "device_rule"
    )


def test_ciphertext_moved_to_another_event_channel_or_position_is_tampering() -> None:
    world = World()
    ana, boris = world.join("ARC", "Ana"), world.join("BOR", "Boris")
    world.submit(ana.open_channel(world.view, "bi", "bilateral", ["ARC", "BOR"], world.tick()))
    world.say(ana, "Arcadia's position.")
    original = world.event_at(world.view.length - 1)
    assert isinstance(original.body, Encrypted)
    stolen_body = {
        "epoch": original.body.epoch,
        "content": original.body.content,
        "commit": original.body.commit,
    }
    state = world.view.state
    assert state is not None and boris.keyring is not None

    def read_last() -> str:
        assert boris.keyring is not None and state is not None
        return boris.keyring.read_message(state, world.view.length - 1)

    # Another event: Boris re-signs Ana's ciphertext as his own.
    world.submit(boris.event(world.view, ev.MESSAGE, stolen_body, world.tick()))
    with pytest.raises(TamperedError, match="altered or moved"):
        read_last()
    # Another position: Ana's own ciphertext, replayed later in her chain.
    world.submit(ana.event(world.view, ev.MESSAGE, stolen_body, world.tick()))
    with pytest.raises(TamperedError):
        read_last()
    # Another channel: the bilateral channel, under its own epoch 1.
    world.say(ana, "Keying the channel.", "bi")
    world.submit(ana.event(world.view, ev.MESSAGE, stolen_body, world.tick(), "bi"))
    with pytest.raises(TamperedError):
        read_last()


def test_different_keys_to_different_devices_are_caught_by_the_check() -> None:
    world = World()
    ana, boris = world.join("ARC", "Ana"), world.join("BOR", "Boris")
    state = world.view.state
    assert state is not None and ana.keyring is not None
    publics = state.reader_keys(ev.PLENARY, world.clock)
    good, bad = ana.keyring.new_key(), ana.keyring.new_key()
    boris_device = next(iter(boris.keyring.devices)) if boris.keyring else ""
    body = epoch_body(
        good, publics, conf=world.conf, channel=ev.PLENARY, epoch=1, previous_key=None
    )
    from accord.core.sealing import seal_epoch_key

    for item in body["keys"]:
        if item["device"] == boris_device:
            item["sealed"] = seal_epoch_key(
                publics[boris_device], bad, conf=world.conf, channel=ev.PLENARY, epoch=1
            )
    assert body["check"] == key_check(good, conf=world.conf, channel=ev.PLENARY, epoch=1)
    world.submit(ana.event(world.view, ev.EPOCH, body, world.tick()))
    assert boris.keyring is not None
    with pytest.raises(TamperedError, match="different keys"):
        boris.keyring.epoch_key(state, ev.PLENARY, 1)


def test_a_refused_rekey_leaves_no_wrong_key_behind() -> None:
    # Two members rekey at once; the second is refused. Its own key for that epoch number
    # must not be used: its next message is under the epoch the log holds.
    world = World()
    ana, boris = world.join("ARC", "Ana"), world.join("BOR", "Boris")
    world.say(ana, "Epoch 1.")
    world.add_device(ana, "phone")
    t = world.tick()
    first, second = ana.rekey(world.view, t), boris.rekey(world.view, t)
    world.submit(first)
    assert "next epoch is 3" in refused(world, second, "epoch_sequence")
    world.submit(boris.say(world.view, "Borduria's position.", world.tick()))
    seq = world.message_seqs()[-1]
    assert world.read(ana, seq) == world.read(boris, seq) == "Borduria's position."


def test_expired_full_powers_get_no_new_keys() -> None:
    world = World()
    k, cred = world.credential("BOR", "Boris", not_after=world.clock + 60 * SECOND)
    boris = world.member(k)
    world.submit(boris.join(world.view, cred, world.tick()))
    world.add_device(boris, "laptop")
    ana = world.join("ARC", "Ana")
    world.say(ana, "While Boris holds full powers.")
    world.tick(120 * SECOND)
    world.say(ana, "After they expired.")
    before, after = world.message_seqs()
    assert world.read(boris, before) == "While Boris holds full powers."
    with pytest.raises(NoKeyError):
        world.read(boris, after)


def test_device_limits_keep_every_channel_keyable(monkeypatch: pytest.MonkeyPatch) -> None:
    world = World()
    ana = world.join("ARC", "Ana")
    for n in range(7):  # the laptop and 7 more: the most one identity may have active
        world.add_device(ana, f"device {n}")
    ninth = DeviceKey.from_label("ninth")
    event = ana.announce_device(world.view, ninth.public.text, "ninth", world.tick())
    assert "already has 8 devices" in refused(world, event, "device_rule")
    # The plenary's readers are capped at what one epoch event can carry (1,024 devices),
    # so no one can make it unkeyable by announcing devices; here with a cap of 10.
    monkeypatch.setattr("accord.core.authority.MAX_RECIPIENTS", 10)
    boris = world.join("BOR", "Boris")  # the chair's, Ana's 8 and Boris's laptop: 10
    extra = DeviceKey.from_label("one too many")
    event = boris.announce_device(world.view, extra.public.text, "phone", world.tick())
    assert "already has 10 reading devices" in refused(world, event, "device_rule")
    world.say(boris, "Still keyable.")


def test_only_the_opener_or_the_chair_adds_states_to_a_group() -> None:
    world = World(states=("ARC", "BOR", "CAL"))
    ana, boris, _ = world.join("ARC", "Ana"), world.join("BOR", "Boris"), world.join("CAL", "Carla")
    world.submit(ana.open_channel(world.view, "wg", "group", ["ARC", "BOR"], world.tick(), "all"))
    world.say(ana, "Arcadia's fallback position.", "wg")
    assert "who opened 'wg'" in refused(
        world, boris.change_members(world.view, "wg", world.tick(), add=["CAL"]), "channel_rule"
    )
    world.submit(ana.change_members(world.view, "wg", world.tick(), add=["CAL"]))


def test_a_blank_message_is_refused_before_it_is_sealed() -> None:
    world = World()
    ana = world.join("ARC", "Ana")
    world.rekey_if_needed(ana)
    with pytest.raises(SchemaError, match="empty"):
        ana.say(world.view, "   ", world.tick())


def test_a_non_member_reading_a_long_channel_loads_each_epoch_once() -> None:
    world = World(states=("ARC", "BOR", "CAL"))
    ana, boris, carla = (
        world.join("ARC", "Ana"),
        world.join("BOR", "Boris"),
        world.join("CAL", "Carla"),
    )
    world.submit(ana.open_channel(world.view, "wg", "group", ["ARC", "BOR"], world.tick(), "all"))
    for n in range(20):  # a new epoch for each message
        world.submit(ana.rekey(world.view, world.tick(), "wg"))
        world.submit(boris.say(world.view, f"message {n}", world.tick(), "wg"))
    assert carla.keyring is not None and world.view.state is not None
    loads: list[int] = []
    inner = carla.keyring.event_at
    carla.keyring.event_at = lambda seq: loads.append(seq) or inner(seq)  # type: ignore[func-returns-value]
    for seq in world.message_seqs("wg"):
        with pytest.raises(NoKeyError):
            carla.keyring.read_message(world.view.state, seq)
    # 20 messages, 20 epochs: each message and each epoch event is loaded once.
    assert len(loads) <= 40
