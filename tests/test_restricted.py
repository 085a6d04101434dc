"""Restricted documents (docs/protocol.md 12.6): one sealed copy per recipient, receipts
naming the copy received; every rule with the test that breaks it."""

from __future__ import annotations

import copy
import secrets
import string
from typing import Any

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.encoding import b64u_decode, b64u_encode, canonical, hash_json, parse_json
from accord.core.epochs import SEALED_KEY_BYTES
from accord.core.errors import SchemaError
from accord.core.restricted import Copy, DocumentBody, ReceiptBody, open_copy, seal_copies
from accord.core.sealing import DeviceKey, TamperedError, encrypt_content
from tests.builders import World, device_label
from tests.test_authority import assert_invalid

MARKING = "working draft for informal consultations"
TEXTS: dict[str, tuple[str, ...]] = {"ARC": ("Arcadia's copy.",), "BOR": ("Borduria's copy.",)}


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


# -- a copy as the protocol spells it (12.6), and the circulator's faults it reveals ------


def sealed_by_hand(world: World, by: Author, plain: dict[str, Any] | bytes, *,
                   commit: str | None = None, state: str = "ARC",
                   document: str = "nonpaper-1") -> dict[str, Any]:  # fmt: skip
    """A document of one copy, `plain`, made as docs/protocol.md 12.6 spells it (not with
    `seal_copies`): encrypted under a fresh 32-byte key with the additional data
    {conf, document, state, commit}, the key sealed to each device with the info
    "accord/v1/document-key" || 0x00 || canonical({conf, document, state, recipient})."""
    view = world.view.state
    assert view is not None
    devices = {**view.devices_of(view.identities_of(state, world.clock + 1000)),
               **view.devices_of(frozenset({by.key.public.text}))}  # fmt: skip
    raw = plain if isinstance(plain, bytes) else canonical(plain)
    commit = commit or hash_json(parse_json(raw))
    key = secrets.token_bytes(32)
    where = {"conf": world.conf, "document": document, "state": state}
    keys = [{"device": d, "sealed": b64u_encode(p.seal(key, b"accord/v1/document-key\x00"
                                                       + canonical(where | {"recipient": d})))}
            for d, p in sorted(devices.items())]  # fmt: skip
    content = encrypt_content(key, raw, canonical(where | {"commit": commit}))
    return {"document": document,
            "copies": [{"state": state, "commit": commit, "keys": keys, "content": content}]}  # fmt: skip


def arcadias_copy(**changes: Any) -> dict[str, Any]:
    good = Copy("nonpaper-1", "ARC", "T", MARKING, ("x",), b64u_encode(bytes(32))).to_json()
    return good | changes


def test_a_copy_sealed_as_the_protocol_says_opens_with_any_device_given_it() -> None:
    world = World()
    arc = world.join("ARC", "Delegate ARC")
    bor = world.join("BOR", "Delegate BOR")
    content = sealed_by_hand(world, world.chair, arcadias_copy())
    circulate(world, world.chair, content)
    # A node tries each of its devices: one that was not given the copy is passed over.
    opened = open_copy(world.conf, parsed(content), "ARC", [device(world, bor), device(world, arc)])
    assert opened.to_json() == arcadias_copy()


def test_a_copy_made_by_the_node_has_a_salt_of_32_random_bytes() -> None:
    world = World()
    arc = world.join("ARC", "Delegate ARC")
    world.join("BOR", "Delegate BOR")
    mine = open_copy(world.conf, parsed(body(world, world.chair)), "ARC", [device(world, arc)])
    assert len(b64u_decode(mine.salt)) == 32


@pytest.mark.parametrize(
    ("plain", "changes", "words"),
    [
        (arcadias_copy(), {"sealed": "!!!!"}, "a sealed copy key is not base64url"),
        (arcadias_copy(marking="secret"), {}, "ARC's copy of nonpaper-1 is malformed"),
        (b"not json", {"commit": hash_json(arcadias_copy())}, "is malformed"),
        (arcadias_copy(), {"commit": hash_json(arcadias_copy(salt="other"))}, "not the copy"),
        (arcadias_copy(state="BOR"), {}, "ARC's copy of nonpaper-1 is not the copy committed"),
        (arcadias_copy(document="other"), {}, "ARC's copy of nonpaper-1 is not the copy"),
    ],
)
def test_a_copy_that_does_not_open_as_committed_to_is_the_circulators_fault(
    plain: dict[str, Any] | bytes, changes: dict[str, str], words: str
) -> None:
    world = World()
    arc = world.join("ARC", "Delegate ARC")
    content = sealed_by_hand(world, world.chair, plain, commit=changes.get("commit"))
    if "sealed" in changes:
        for k in content["copies"][0]["keys"]:
            k["sealed"] = changes["sealed"]
    with pytest.raises(TamperedError, match=words):
        open_copy(world.conf, parsed(content), "ARC", [device(world, arc)])


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("document", "Non Paper", "document id 'Non Paper' is not of the allowed form"),
        ("paragraphs", ["x" * 20_001], "paragraph is longer than 20000 characters"),
        ("salt", "s" * 65, "salt is longer than 64 characters"),
    ],
)
def test_a_copy_keeps_to_its_limits(field: str, value: Any, words: str) -> None:
    at_limit = {"paragraphs": ["x" * 20_000], "salt": "s" * 64}
    Copy.parse(arcadias_copy(**at_limit))
    with pytest.raises(SchemaError, match=words):
        Copy.parse(arcadias_copy(**{field: value}))


def test_a_receipt_names_a_document_by_its_id() -> None:
    commit = hash_json(arcadias_copy())
    assert ReceiptBody.parse({"document": "nonpaper-1", "commit": commit}).commit == commit
    with pytest.raises(SchemaError, match="document id 'Non Paper' is not of the allowed form"):
        ReceiptBody.parse({"document": "Non Paper", "commit": commit})


def test_the_chair_signs_for_no_copy_whatever_the_codes_of_the_states() -> None:
    world = World(states=("ARC", "XXXX"))  # a code the chair's missing state never matches
    world.join("ARC", "Delegate ARC")
    world.join("XXXX", "Delegate XXXX")
    content = body(world, world.chair, {"ARC": ("a",), "XXXX": ("x",)})
    circulate(world, world.chair, content)
    commit = content["copies"][1]["commit"]
    event = world.chair.event(world.view, ev.DOCUMENT_RECEIPT,
                              {"document": "nonpaper-1", "commit": commit}, world.tick())  # fmt: skip
    assert_invalid(world, event, "document_rule", "the chair is not on the distribution list")


# -- a document body's limits ----------------------------------------------------------------


def a_copy(state: str = "ARC", keys: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A sealed copy as the relay sees it (the content need not open: the form is checked)."""
    default = [{"device": hash_json({"device": 0}), "sealed": "A" * 8}]
    return {"state": state, "commit": hash_json(arcadias_copy(state=state)),
            "keys": default if keys is None else keys,
            "content": "chacha20poly1305:" + "A" * 40}  # fmt: skip


def devices(count: int) -> list[str]:
    return sorted(hash_json({"device": i}) for i in range(count))


def test_a_document_has_at_most_64_copies_and_an_id_of_the_allowed_form() -> None:
    letters = string.ascii_uppercase
    states = sorted(a + b for a in letters for b in letters)
    DocumentBody.parse({"document": "np", "copies": [a_copy(s) for s in states[:64]]})
    with pytest.raises(SchemaError, match="a restricted document has 1 to 64 copies"):
        DocumentBody.parse({"document": "np", "copies": [a_copy(s) for s in states[:65]]})
    with pytest.raises(SchemaError, match="document id 'Non Paper' is not of the allowed form"):
        DocumentBody.parse({"document": "Non Paper", "copies": [a_copy()]})


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ([], "a copy is sealed to 1 to 128 devices"),
        ([{"device": d, "sealed": "A"} for d in devices(129)], "sealed to 1 to 128 devices"),
        ([{"device": d, "sealed": "A"} for d in devices(2)[::-1]], "sorted by device"),
        ([{"device": d, "sealed": "A"} for d in devices(1) * 2], "without repeats"),
        ([{"device": devices(1)[0], "sealed": "A" * (2 * SEALED_KEY_BYTES + 1)}],
         f"sealed copy key is longer than {2 * SEALED_KEY_BYTES} characters"),
    ],
)  # fmt: skip
def test_a_copy_is_sealed_to_devices_in_order_within_limits(
    keys: list[dict[str, str]], words: str
) -> None:
    at_limits = [{"device": d, "sealed": "A" * (2 * SEALED_KEY_BYTES)} for d in devices(128)]
    DocumentBody.parse({"document": "np", "copies": [a_copy(keys=at_limits)]})
    with pytest.raises(SchemaError, match=words):
        DocumentBody.parse({"document": "np", "copies": [a_copy(keys=keys)]})


def test_a_copy_names_its_state_by_code_and_carries_a_ciphertext() -> None:
    DocumentBody.parse({"document": "np", "copies": [a_copy()]})
    with pytest.raises(SchemaError, match="copy's state 'arc' is not of the allowed form"):
        DocumentBody.parse({"document": "np", "copies": [a_copy("arc")]})
    with pytest.raises(SchemaError, match="copy content 'plain' is not of the allowed form"):
        DocumentBody.parse({"document": "np", "copies": [a_copy() | {"content": "plain"}]})
