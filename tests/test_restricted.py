"""Restricted documents (docs/protocol.md 12.6): one sealed copy per recipient, receipts
naming the copy received; every rule with the test that breaks it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.errors import SchemaError
from accord.core.restricted import Copy, DocumentBody, open_copy, seal_copies
from accord.core.sealing import DeviceKey, TamperedError
from tests.builders import World, device_label
from tests.test_authority import assert_invalid

MARKING = "working draft for informal consultations"
TEXTS = {"ARC": ("Arcadia's copy.",), "BOR": ("Borduria's copy.",)}


def device(world: World, author: Author, name: str = "laptop") -> DeviceKey:
    return DeviceKey.from_label(device_label(world.label, author, name))


def body(world: World, by: Author, texts: dict[str, tuple[str, ...]] = TEXTS,
         document: str = "nonpaper-1") -> dict[str, Any]:  # fmt: skip
    state = world.view.state
    assert state is not None
    devices = {s: state.devices_of(state.identities_of(s, world.clock + 1000)) for s in texts}
    own = state.devices_of(frozenset({by.key.public.text}))
    return seal_copies(world.conf, document, "Elements for a chair's text", MARKING, texts,
                       devices, own)  # fmt: skip


def circulate(world: World, by: Author, content: dict[str, Any]) -> dict[str, Any]:
    return world.submit(by.event(world.view, ev.DOCUMENT, content, world.tick()))


def parsed(content: dict[str, Any]) -> DocumentBody:
    return DocumentBody.parse(content)


def test_each_recipient_opens_its_own_copy_and_no_other() -> None:
    world = World()
    arc, bor, cal = (world.join(c, f"Delegate {c}") for c in ("ARC", "BOR", "CAL"))
    content = body(world, world.chair)
    circulate(world, world.chair, content)
    doc = parsed(content)
    mine = open_copy(world.conf, doc, "ARC", [device(world, arc)])
    assert (mine.paragraphs, mine.marking, mine.state) == (TEXTS["ARC"], MARKING, "ARC")
    assert open_copy(world.conf, doc, "BOR", [device(world, bor)]).paragraphs == TEXTS["BOR"]
    with pytest.raises(SchemaError, match="none of this node's devices was given"):
        open_copy(world.conf, doc, "BOR", [device(world, arc)])
    with pytest.raises(SchemaError, match="CAL is not on the distribution list"):
        open_copy(world.conf, doc, "CAL", [device(world, cal)])
    # The circulator keeps every copy.
    chair = device(world, world.chair, "chair")
    assert {open_copy(world.conf, doc, s, [chair]).state for s in TEXTS} == {"ARC", "BOR"}
    state = world.view.state
    assert state is not None
    record = state.documents["nonpaper-1"]
    assert record.body.distribution == ("ARC", "BOR") and record.by.startswith("the chair")
    assert state.summary()["documents"][0][:4] == ["nonpaper-1", record.seq, record.by,
                                                  ["ARC", "BOR"]]  # fmt: skip


def test_the_commitment_hides_the_copy_and_names_it() -> None:
    world = World()
    world.join("ARC", "Delegate ARC")
    world.join("BOR", "Delegate BOR")
    content = body(world, world.chair)
    same = body(world, world.chair)
    # The same text to the same state twice: different salts, different commitments.
    assert content["copies"][0]["commit"] != same["copies"][0]["commit"]
    assert "Arcadia" not in str(content)


def test_a_copy_is_sealed_to_exactly_its_states_devices_and_the_circulators() -> None:
    world = World()
    arc = world.join("ARC", "Delegate ARC")
    world.join("BOR", "Delegate BOR")
    world.add_device(arc, "phone")  # a second device of Arcadia's must get the copy too
    content = body(world, world.chair)
    short = copy.deepcopy(content)
    short["copies"][0]["keys"] = short["copies"][0]["keys"][1:]
    event = world.chair.event(world.view, ev.DOCUMENT, short, world.tick())
    assert_invalid(world, event, "document_rule", "not sealed to exactly the devices")
    swapped = copy.deepcopy(content)
    swapped["copies"][0]["keys"] = content["copies"][1]["keys"]
    event = world.chair.event(world.view, ev.DOCUMENT, swapped, world.tick())
    assert_invalid(world, event, "document_rule", "the copy for ARC is not sealed to exactly")


def test_a_document_goes_to_seated_member_states_with_a_device_once() -> None:
    world = World(observers=("EU",))
    world.join("ARC", "Delegate ARC")
    world.join("BOR", "Delegate BOR", device=False)
    world.join("EU", "Delegate EU")
    event = world.chair.event(world.view, ev.DOCUMENT, body(world, world.chair, {"EU": ("x",)}),
                              world.tick())  # fmt: skip
    assert_invalid(world, event, "document_rule", "EU is not an accredited member state")
    nobody = world.chair.event(world.view, ev.DOCUMENT, body(world, world.chair, {"BOR": ("x",)}),
                               world.tick())  # fmt: skip
    assert_invalid(world, nobody, "document_rule", "no seated delegate of BOR has a device")
    circulate(world, world.chair, body(world, world.chair, {"ARC": ("x",)}))
    again = world.chair.event(world.view, ev.DOCUMENT, body(world, world.chair, {"ARC": ("y",)}),
                              world.tick())  # fmt: skip
    assert_invalid(world, again, "document_rule", "nonpaper-1 was circulated already")


def test_a_delegation_without_a_device_keeps_no_copy_so_circulates_none() -> None:
    world = World()
    world.join("ARC", "Delegate ARC")
    bor = world.join("BOR", "Delegate BOR", device=False)
    state = world.view.state
    assert state is not None
    devices = {"ARC": state.devices_of(state.identities_of("ARC", world.clock))}
    chair_devices = state.devices_of(frozenset({world.chair.key.public.text}))
    content = seal_copies(world.conf, "np", "T", MARKING, {"ARC": ("x",)}, devices,
                          chair_devices)  # fmt: skip
    event = bor.event(world.view, ev.DOCUMENT, content, world.tick())
    assert_invalid(world, event, "document_rule", "the circulator has no device")


def test_a_receipt_names_the_copy_its_state_was_sent_once_a_delegate() -> None:
    world = World()
    arc, bor, cal = (world.join(c, f"Delegate {c}") for c in ("ARC", "BOR", "CAL"))
    content = body(world, world.chair)
    circulate(world, world.chair, content)
    commits = {c["state"]: c["commit"] for c in content["copies"]}

    def receipt(author: Author, commit: str, document: str = "nonpaper-1") -> dict[str, Any]:
        return author.event(world.view, ev.DOCUMENT_RECEIPT,
                            {"document": document, "commit": commit}, world.tick())  # fmt: skip

    assert_invalid(world, receipt(arc, commits["BOR"]), "document_rule", "not the copy")
    assert_invalid(world, receipt(cal, commits["ARC"]), "document_rule", "CAL is not on the")
    assert_invalid(world, receipt(arc, commits["ARC"], "other"), "document_rule", "no document")
    seq = world.submit(receipt(arc, commits["ARC"]))["seq"]
    assert_invalid(world, receipt(arc, commits["ARC"]), "document_rule", "already signed")
    world.submit(receipt(bor, commits["BOR"]))
    state = world.view.state
    assert state is not None
    assert state.documents["nonpaper-1"].receipts["ARC"] == [(seq, "Delegate ARC (ARC)")]
    assert set(state.documents["nonpaper-1"].receipts) == {"ARC", "BOR"}


def test_a_copy_that_is_not_the_one_committed_to_is_tampering() -> None:
    world = World()
    arc = world.join("ARC", "Delegate ARC")
    world.join("BOR", "Delegate BOR")
    content = body(world, world.chair)
    forged = copy.deepcopy(content)
    forged["copies"][0]["commit"] = content["copies"][1]["commit"]  # the relay cannot tell
    circulate(world, world.chair, forged)
    with pytest.raises(TamperedError):
        open_copy(world.conf, parsed(forged), "ARC", [device(world, arc)])


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("marking", "secret", "marking must be one of"),
        ("paragraphs", [], "at least one paragraph"),
        ("state", "arc", "copy's state"),
    ],
)
def test_a_copy_is_well_formed(field: str, value: Any, words: str) -> None:
    good = Copy("np", "ARC", "T", MARKING, ("x",), "salt").to_json()
    Copy.parse(good)
    with pytest.raises(SchemaError, match=words):
        Copy.parse(good | {field: value})


def test_a_document_body_has_one_copy_per_state_in_order() -> None:
    world = World()
    world.join("ARC", "Delegate ARC")
    world.join("BOR", "Delegate BOR")
    content = body(world, world.chair)
    reversed_ = content | {"copies": content["copies"][::-1]}
    with pytest.raises(SchemaError, match="sorted by state"):
        DocumentBody.parse(reversed_)
    with pytest.raises(SchemaError, match="1 to 64 copies"):
        DocumentBody.parse(content | {"copies": []})
