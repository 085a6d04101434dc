"""Word in and out: a real-length negotiating text (tests/data/cica-draft.docx, 50
paragraphs with 33 bracketed places) is imported, negotiated, compiled and exported, and
nothing bracketed or attributed is lost on the way back in."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.core import events as ev
from accord.core.texts import Version
from accord.documents.word import export_compiled, export_docx, import_docx, version_lines
from tests import negotiating as n
from tests.test_negotiation import convene

DRAFT = Path(__file__).parent / "data" / "cica-draft.docx"


def marks(lines: list[str]) -> Counter[str]:
    """Every bracketed place and every attribution in a rendering."""
    text = "\n".join(lines)
    return Counter(re.findall(r"\[[^\[\]]*\]", text)) + Counter(
        re.findall(r"\((?:Deletion proposed|Proposed): [^)]*\)", text)
    )


def test_a_secretariat_draft_is_imported_with_its_brackets() -> None:
    version = Version.parse(import_docx(DRAFT, "cica"))
    assert version.title.startswith("Draft Arrangement on Cooperation")
    assert len(version.paragraphs) == 50
    assert [p.number for p in version.paragraphs[:9]] == [f"PP{i}" for i in range(1, 9)] + ["1"]
    assert sum(p.bracketed for p in version.paragraphs) == 30
    assert sum(not isinstance(s, str) for p in version.paragraphs for s in p.segments) == 33
    op8 = version.paragraph("op8")
    assert op8 is not None and op8.plain == (
        "The requested State [shall][should] acknowledge receipt of the request "
        "[within 72 hours][without undue delay]."
    )
    op16 = version.paragraph("op16")  # a whole paragraph in brackets: it may go
    assert (
        op16 is not None
        and op16.plain.startswith("[Participating States shall")
        and op16.plain.endswith("escalation.]")
    )


def test_a_version_round_trips_through_word(tmp_path: Path) -> None:
    version = Version.parse(import_docx(DRAFT, "cica"))
    out = tmp_path / "v.docx"
    export_docx(out, version.title, version_lines(version), subtitle="Chair's text", footer="x")
    assert Version.parse(import_docx(out, "cica")) == version


def test_the_negotiated_draft_exports_and_reimports_without_losing_anything(tmp_path: Path) -> None:
    world, d = convene()
    v1 = import_docx(DRAFT, n.TEXT_ID)
    world.act(world.chair, ev.TEXT, n.table(v1))
    p = world.act(
        d["ARC"],
        ev.AMEND,
        n.amend("op4", "replace_words", old="diplomatic", new="senior diplomatic"),
    )
    world.act(d["BOR"], ev.STANCE, n.stance(str(p["event"]), "support"))
    world.act(d["CAL"], ev.AMEND, n.amend("op39", "delete_paragraph"))
    world.act(
        d["DUN"], ev.AMEND, n.amend("op7", "insert_words", old="may request", new=" in writing")
    )
    negotiation = world.negotiation()
    assert not negotiation.flags
    out = tmp_path / "compiled.docx"
    export_compiled(out, negotiation, n.TEXT_ID)
    exported = [c.render() for c in negotiation.compiled(n.TEXT_ID)]
    back = Version.parse(import_docx(out, "cica"))
    assert len(back.paragraphs) == 50
    assert marks(version_lines(back)) == marks(exported)
    assert "(Proposed: ARC; supported: BOR)" in "\n".join(version_lines(back))


OPS = st.lists(
    st.tuples(
        st.sampled_from(["ARC", "BOR", "CAL", "DUN"]),
        st.sampled_from(
            ["insert", "replace", "delete_words", "support", "oppose", "delete_paragraph"]
        ),
        st.sampled_from(["op1", "op2", "op3"]),
        st.sampled_from(["shall", "State", "notify", "every two years"]),
    ),
    max_size=10,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(OPS)
def test_random_drafting_round_trips_through_word(
    tmp_path: Path, ops: list[tuple[str, str, str, str]]
) -> None:
    world, d = convene()
    n.draft_randomly(world, d, ops)
    negotiation = world.negotiation(d["CAL"])
    out = tmp_path / "r.docx"
    export_compiled(out, negotiation, n.TEXT_ID)
    exported = [c.render() for c in negotiation.compiled(n.TEXT_ID)]
    back = Version.parse(import_docx(out, n.TEXT_ID))
    assert marks(version_lines(back)) == marks(exported)


def test_what_is_not_a_negotiating_text_is_refused(tmp_path: Path) -> None:
    import pytest
    from docx import Document

    from accord.documents.word import DocxImportError

    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"not a zip file")
    with pytest.raises(DocxImportError, match="not a Word document"):
        import_docx(garbage, "x")
    huge = tmp_path / "huge.docx"
    document = Document()
    document.add_paragraph("Title")
    document.add_paragraph("1. " + "[" * 30_000)
    document.save(str(huge))
    with pytest.raises(DocxImportError, match="larger than a negotiating text"):
        import_docx(huge, "x")
    twice = tmp_path / "twice.docx"
    document = Document()
    for line in ("Title", "1. One.", "1. One again."):
        document.add_paragraph(line)
    document.save(str(twice))
    with pytest.raises(DocxImportError, match=r"paragraph 1 is numbered twice \(lines 2 and 3\)"):
        import_docx(twice, "x")


def test_an_empty_alternative_is_printed_no_text_and_read_back_as_empty() -> None:
    from accord.core.texts import Paragraph, compile_paragraph
    from accord.documents.typed_text import version_from_lines

    raw = {"id": "op1", "kind": "operative", "number": "1",
           "segments": ["States ", {"alternatives": ["shall", ""]}, " notify."]}  # fmt: skip
    paragraph = Paragraph.parse(raw)
    assert compile_paragraph(paragraph, [], "open").render() == "1. States [shall][no text] notify."
    assert paragraph.plain == "States [shall][—] notify."  # what amendments quote, unchanged
    for typed in ("[no text]", "[No text]", "[—]"):
        read = version_from_lines(["Title", f"1. States [shall]{typed} notify."], "t")
        assert read["paragraphs"][0]["segments"][1] == {"alternatives": ["shall", ""]}
