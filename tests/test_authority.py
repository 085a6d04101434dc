"""Acts beyond a delegate's authority are refused by the sequencer and, if a rogue
sequencer records them anyway, fail verification with the reason (invariant I2)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from accord.core import authority
from accord.core import events as ev
from accord.core.author import Author
from accord.core.authority import AUTHORITY
from accord.core.credentials import revoke
from accord.core.errors import Violation
from accord.core.record import verify_record
from accord.node.channels import CHAIR_ACTS
from tests.builders import DAY, OPAQUE, SECOND, T0, World, key


def assert_invalid(world: World, event: dict[str, Any], code: str, words: str) -> None:
    seq = world.view.length
    with pytest.raises(Violation) as refused:
        world.submit(event)
    assert refused.value.code == code
    assert words in refused.value.message
    report = verify_record(world.forced_lines([event]))
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (seq, code)
    assert words in report.problem.message


def test_a_delegate_without_the_power_to_negotiate_cannot_speak() -> None:
    world = World()
    adopter = world.join("ARC", "Ana Reyes", ["adopt"])
    event = world.message(adopter, "I speak beyond my powers.", world.tick())
    assert_invalid(world, event, "power_missing", "not to negotiate")


def test_expired_full_powers() -> None:
    world = World()
    k, cred = world.credential("ARC", "Ana Reyes", not_after=T0 + 10 * SECOND)
    author = Author(k, world.conf)
    world.submit(author.join(world.view, cred, world.tick()))
    world.tick(20 * SECOND)
    assert_invalid(world, world.message(author, "Late.", world.clock), "expired", "expired")


def test_full_powers_not_yet_valid() -> None:
    world = World()
    k, cred = world.credential("ARC", "Ana Reyes", not_before=T0 + DAY)
    event = Author(k, world.conf).join(world.view, cred, world.tick())
    assert_invalid(world, event, "not_yet_valid", "valid only from")


def test_full_powers_for_another_conference() -> None:
    world = World()
    k, cred = world.credential("ARC", "Ana Reyes", conferences=["other-conf"])
    event = Author(k, world.conf).join(world.view, cred, world.tick())
    assert_invalid(world, event, "wrong_conference_credential", "other-conf")


def test_a_state_that_is_not_accredited() -> None:
    world = World()
    k, cred = world.credential("ZEM", "Zoltan", root=key("root ZEM"))
    event = Author(k, world.conf).join(world.view, cred, world.tick())
    assert_invalid(world, event, "not_accredited", "ZEM is not accredited")


def test_full_powers_signed_by_a_key_other_than_the_accredited_root() -> None:
    world = World()
    k, cred = world.credential("ARC", "Impostor", root=key("a forged root"))
    event = Author(k, world.conf).join(world.view, cred, world.tick())
    assert_invalid(world, event, "wrong_root", "not signed by the root key accredited for ARC")


def test_an_act_after_revocation() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    world.say(ana, "Before.")
    revocation = world.revoke("ARC", ana, world.tick(), reason="key compromised")
    world.submit(world.chair.publish_revocation(world.view, revocation, world.tick()))
    event = world.message(ana, "After.", world.tick())
    assert_invalid(world, event, "revoked", "key compromised")


def test_a_revocation_in_the_future_takes_effect_only_then() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    revocation = world.revoke("ARC", ana, world.clock + 60 * SECOND, reason="end of mission")
    world.submit(world.chair.publish_revocation(world.view, revocation, world.tick()))
    world.say(ana, "Still within my mandate.")
    world.tick(60 * SECOND)
    assert_invalid(world, world.message(ana, "Too late.", world.clock), "revoked", "end of mission")


def test_a_backdated_revocation_voids_acts_already_recorded() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    compromised_at = world.tick()
    world.say(ana, "Sent by whoever stole the key.")
    sent = world.view.length - 1
    revocation = world.revoke("ARC", ana, compromised_at, reason="stolen")
    world.submit(world.chair.publish_revocation(world.view, revocation, world.tick()))
    report = verify_record(world.lines())
    assert report.ok, report.problem
    # The thief's message and any act after the compromise (here its epoch) are void.
    voided = [(n.seq, n.code) for n in report.notices]
    # Ana keyed the epoch just before her message: both are hers, both after the date.
    assert voided == [(sent - 1, "voided_by_revocation"), (sent, "voided_by_revocation")]
    assert report.state is not None
    assert report.state.messages[sent].void is not None


def test_only_the_state_root_can_revoke_its_delegates() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    assert ana.cred is not None
    forged = revoke(world.roots["BOR"], state="BOR", credential=ana.cred, revoked_at=T0, reason="x")
    event = world.chair.publish_revocation(world.view, forged, world.tick())
    assert_invalid(world, event, "wrong_root", "BOR cannot revoke")


def test_a_delegate_of_an_observer_state_cannot_speak() -> None:
    world = World(observers=["EU"])
    eu = world.join("EU", "Observer")
    assert_invalid(
        world, world.message(eu, "May I?", world.tick()), "observer_cannot_act", "observer"
    )


def test_an_act_under_a_credential_never_presented() -> None:
    world = World()
    k, _ = world.credential("ARC", "Ana Reyes")
    author = Author(k, world.conf)
    author.cred = "sha256:" + "A" * 43
    assert_invalid(
        world, world.message(author, "Hello.", world.tick()), "not_member", "never presented"
    )


def test_an_act_signed_by_another_key_than_the_credential_names() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    thief = Author(key("someone else"), world.conf, cred=ana.cred)
    assert_invalid(
        world, world.message(thief, "I am Ana.", world.tick()), "wrong_key", "another key"
    )


def test_a_key_without_credential_other_than_the_chair() -> None:
    world = World()
    stranger = Author(key("stranger"), world.conf)
    assert_invalid(
        world, world.message(stranger, "Hi.", world.tick()), "not_member", "no credential"
    )


def test_joining_with_someone_elses_full_powers() -> None:
    world = World()
    _, cred = world.credential("ARC", "Ana Reyes")
    event = Author(key("thief"), world.conf).join(world.view, cred, world.tick())
    assert_invalid(world, event, "wrong_key", "another key")


def test_an_event_replayed_from_another_conference() -> None:
    world = World()
    other = World(conf="other-conf")
    ana = other.join("ARC", "Ana Reyes")
    event = other.message(ana, "Meant for the other conference.", other.tick())
    assert_invalid(world, event, "wrong_conference", "another conference")


def test_an_event_dated_in_the_future() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    event = world.message(ana, "From the future.", world.clock + DAY)
    assert_invalid(world, event, "future_time", "later than its receipt")


def test_a_message_to_a_channel_that_does_not_exist() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    event = ana.event(world.view, ev.MESSAGE, OPAQUE, world.tick(), channel="backroom")
    assert_invalid(world, event, "unknown_channel", "backroom")


def test_a_second_genesis() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    event = ana.event(world.view, ev.GENESIS, world.genesis, world.tick())
    assert_invalid(world, event, "genesis_repeated", "second genesis")


def test_a_revocation_by_another_state_does_not_count() -> None:
    # Arcadia's root "revokes" Borduria's full powers before Borduria's delegate joins;
    # only Borduria can revoke them, so the join stands and nothing is void.
    world = World()
    world.join("ARC", "Ana Reyes")
    k, cred = world.credential("BOR", "Boris Vlk")
    from accord.core.encoding import hash_json

    forged = revoke(
        world.roots["ARC"], state="ARC", credential=hash_json(cred), revoked_at=0, reason="x"
    )
    world.submit(world.chair.publish_revocation(world.view, forged, world.tick()))
    boris = world.member(k)
    world.submit(boris.join(world.view, cred, world.tick()))
    world.add_device(boris, "laptop")
    world.say(boris, "Borduria is here.")
    report = verify_record(world.lines())
    assert report.ok and not report.notices


def test_an_event_dated_at_the_end_of_time_is_refused_not_crashed() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    assert_invalid(world, world.message(ana, "x", 2**53 - 1), "future_time", "beyond the calendar")


def test_an_event_held_back_then_sequenced_late() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    event = world.message(ana, "Written long ago.", world.tick())
    world.tick(DAY)
    assert_invalid(world, event, "stale_event", "held back")


# -- the table of authority (protocol 7.1 step 6) -------------------------------------------


def test_the_table_has_one_row_per_event_type_after_the_genesis() -> None:
    assert set(AUTHORITY) == ev.EVENT_TYPES - {ev.GENESIS}


def test_the_negotiations_acts_and_only_they_keep_to_the_plenary() -> None:
    plenary_only = {t for t, row in AUTHORITY.items() if row.plenary_only}
    assert plenary_only == (
        ev.NEGOTIATION_TYPES | ev.SEATING_TYPES | ev.DOCUMENT_TYPES | ev.MEETING_TYPES
    )


def test_every_type_with_encrypted_content_is_checked_against_the_current_epoch() -> None:
    checked = {t for t, row in AUTHORITY.items() if authority._encrypted in row.rules}
    assert checked == ev.ENCRYPTED_TYPES


def test_the_chair_alone_tables_texts_opens_and_closes_decisions_and_records_seating() -> None:
    assert {ev.DECISION, ev.CLOSE, ev.SEATING, ev.APPOINTMENT} == authority.CHAIR_ONLY
    # The node signs these in the chair's capacity; a facilitator tables texts too.
    assert authority.CHAIR_ONLY | {ev.TEXT} == CHAIR_ACTS


def test_every_row_cites_sections_the_protocol_document_has() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "protocol.md").read_text("utf-8")
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", text, re.M))
    for type, row in AUTHORITY.items():
        assert "7.1" in row.sections, type
        assert set(row.sections) <= headings, (type, row.sections)


def test_only_a_signature_may_stand_pending_confirmation_without_its_power() -> None:
    # VCLT art. 8, under rules of procedure 2: other acts still need their power.
    assert {t for t, row in AUTHORITY.items() if row.pending_confirmation} == {ev.SIGNATURE}
