"""The final act: one file that proves what was adopted, by whom, when, under which rule,
and who signed; verified offline, and refused when tampered with or incomplete."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.core import events as ev
from accord.core import final_act
from accord.core.encoding import canonical
from accord.core.errors import RecordFormatError
from tests import negotiating as n
from tests.builders import World
from tests.test_negotiation import convene


def _adopted_with_signatures() -> tuple[World, dict[str, bytes], str]:
    world, d = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    world.act(d["ARC"], ev.AMEND, n.amend("op1", "replace_words", old="shall", new="should"))
    world.act(world.chair, ev.DECISION, n.decision("adopt-v1", v1))
    world.act(world.chair, ev.CLOSE, n.close("adopt-v1", "adopted"))
    world.act(d["DUN"], ev.STATEMENT, n.statement("dissociation", "Dunland dissociates from 3.",
                                                  paragraph="op3"))  # fmt: skip
    world.act(d["ARC"], ev.SIGNATURE, n.signature(v1))
    world.act(d["BOR"], ev.SIGNATURE, n.signature(v1, ad_referendum=True))
    from accord.core.texts import Version

    return world, _keys(world), Version.parse(v1).hash


def _keys(world: World) -> dict[str, bytes]:
    state = world.view.state
    assert state is not None and world.chair.keyring is not None
    events = [world.event_at(s) for s in range(world.view.length)]
    return final_act.disclosure(state, world.chair.keyring, events)


@pytest.mark.slow
def test_a_final_act_verifies_offline_and_says_what_was_adopted(tmp_path: Path) -> None:
    world, keys, adopted = _adopted_with_signatures()
    data = final_act.build(world.lines(), n.TEXT_ID, adopted, keys)
    report = final_act.verify(data)
    assert report.ok, report.problem
    assert report.decision is not None and report.decision.procedure == "consensus"
    assert [(s.state, s.pending) for s in report.signatures] == [("ARC", False), ("BOR", True)]
    assert [s.kind for s in report.statements] == ["dissociation"]
    assert report.sealed == 0  # no messages in this conference; all acts disclosed
    assert len(report.negotiation.proposals) == 1  # type: ignore[union-attr]
    path = tmp_path / "act.json"
    path.write_bytes(data)
    out = subprocess.run([sys.executable, "-m", "accord", "verify", str(path)],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "VALID FINAL ACT" in out.stdout and "adopted by consensus" in out.stdout
    assert "signature by Boris (BOR)" in out.stdout and "pending confirmation" in out.stdout


def test_a_withheld_key_a_wrong_key_or_an_edit_is_refused() -> None:
    world, keys, adopted = _adopted_with_signatures()
    name = next(iter(keys))
    report = final_act.verify(final_act.build(world.lines(), n.TEXT_ID, adopted, {}))
    assert not report.ok and "missing or not the one its epoch event announces" in (
        report.problem or ""
    )
    wrong = dict(keys)
    wrong[name] = bytes(32)
    report = final_act.verify(final_act.build(world.lines(), n.TEXT_ID, adopted, wrong))
    assert not report.ok and "not the one its epoch event announces" in (report.problem or "")
    document = json.loads(final_act.build(world.lines(), n.TEXT_ID, adopted, keys))
    document["record"][3]["receipt"]["time"] += 1
    report = final_act.verify(canonical(document))
    assert not report.ok and "the record is invalid" in (report.problem or "")
    report = final_act.verify(final_act.build(world.lines(), n.TEXT_ID, "sha256:" + "A" * 43, keys))
    assert not report.ok and "no version" in (report.problem or "")


def test_a_chairs_false_adoption_does_not_make_a_final_act() -> None:
    world, d = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    world.act(world.chair, ev.DECISION, n.decision("adopt-v1", v1))
    world.act(d["DUN"], ev.OBJECTION, n.objection("adopt-v1"))
    world.act(world.chair, ev.CLOSE, n.close("adopt-v1", "adopted"))
    keys = _keys(world)
    from accord.core.texts import Version

    report = final_act.verify(
        final_act.build(world.lines(), n.TEXT_ID, Version.parse(v1).hash, keys)
    )
    assert not report.ok and "does not show version 1 adopted" in (report.problem or "")


def test_what_is_not_a_final_act() -> None:
    import pytest

    with pytest.raises(RecordFormatError):
        final_act.verify(b"{}")
    with pytest.raises(RecordFormatError):
        final_act.verify(b"not json")


def test_readable_renderings_of_a_verified_final_act(tmp_path: Path) -> None:
    from accord.documents.html import final_act_html
    from accord.documents.pdf import final_act_pdf

    world, keys, adopted = _adopted_with_signatures()
    report = final_act.verify(final_act.build(world.lines(), n.TEXT_ID, adopted, keys))
    html = final_act_html(report)
    assert "Adopted by <strong>consensus</strong>" in html
    assert "Dunland dissociates from 3." in html and "pending confirmation" in html
    assert "Ana (ARC)" in html and html.count('class="fingerprint"') == 4  # two signers
    pdf = tmp_path / "act.pdf"
    final_act_pdf(report, pdf)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    # Only what verification established is rendered.
    broken = final_act.verify(final_act.build(world.lines(), n.TEXT_ID, "sha256:" + "A" * 43, keys))
    import pytest

    with pytest.raises(ValueError, match="only a valid final act"):
        final_act_html(broken)


def test_acts_no_member_could_read_do_not_count_in_a_final_act() -> None:
    # The chair encrypts a decision and its close under a key of its own, with a matching
    # commitment: no member can read them, so they have no effect, in the final act too.
    from accord.core.epochs import encrypt_body
    from accord.core.texts import Version

    world, d = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    own_key = bytes(range(32))
    for kind, content in ((ev.DECISION, n.decision("adopt-v1", v1)),
                          (ev.CLOSE, n.close("adopt-v1", "adopted"))):  # fmt: skip
        header = world.chair._header(world.view, kind, world.tick(), ev.PLENARY)
        epoch = world.view.state.current_epoch(ev.PLENARY)  # type: ignore[union-attr]
        assert epoch is not None
        header["body"] = encrypt_body(own_key, epoch.number, content, header)
        world.submit(world.chair.key.sign_object(ev.EVENT_CONTEXT, header))
    members = world.negotiation(d["DUN"])
    assert not members.decisions and len(members.flags) == 2
    report = final_act.verify(
        final_act.build(world.lines(), n.TEXT_ID, Version.parse(v1).hash, _keys(world))
    )
    assert not report.ok and "does not show version 1 adopted" in (report.problem or "")
    assert report.negotiation is not None and len(report.negotiation.flags) == 2
