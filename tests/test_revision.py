"""Revising by decision (issue 14, point 4; docs/protocol.md 12.4.1): the next version
computed from the chair's choice on each open proposal (`accord.core.revision`), each
refusal with its code and the proposals it names, and the checks of a revision's outcomes.
The fold's rules (rules of procedure 2 only) are in tests/test_revision_fold.py."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core import revision as rev
from accord.core.revision import RevisionError
from accord.core.texts import Amendment, Bracket, Paragraph, Proposal, Version
from tests import negotiating as n

V1 = Version.parse(n.version())
# Version 2 renumbers op3 as 4: a proposal is named by the number of the version it was
# made on.
V2 = Version.parse(n.version(2, [*n.PARAGRAPHS[:3], ("op3", "operative", "4", n.PARAGRAPHS[3][3])]))


def proposal(
    state: str, paragraph: str, op: str, *, old: str | None = None, new: str | None = None,
    seq: int = 1, version: int = 1, occurrence: int = 1,
    new_paragraph: tuple[str, str, str, str] | None = None, decided: str | None = None,
) -> Proposal:  # fmt: skip
    a = Amendment.parse(
        n.amend(paragraph, op, old=old, new=new, version=version, occurrence=occurrence,
                new_paragraph=new_paragraph)
    )  # fmt: skip
    return Proposal(f"sha256:{state}-{seq}", seq, state, a, decided=decided)


def revise(
    proposals: list[Proposal], choices: dict[str, str], versions: list[Version] | None = None,
    **kw: Any,
) -> rev.Revision:  # fmt: skip
    return rev.revise(versions or [V1], proposals, choices, **kw)


def refusal(code: str, *args: Any, **kw: Any) -> str:
    """The message of the RevisionError `revise(*args)` raises, whose code must be `code`."""
    with pytest.raises(RevisionError) as caught:
        revise(*args, **kw)
    assert caught.value.code == code, caught.value
    return str(caught.value)


def words(version: Version, pid: str) -> str:
    p = version.paragraph(pid)
    assert p is not None
    return p.plain


# -- naming -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("op", "old", "new", "asked"),
    [
        ("replace_words", "shall", "should", "replace 'shall' with 'should'"),
        ("insert_words", "notify", " promptly", "insert 'promptly' after 'notify'"),
        ("insert_words", None, "Moreover, ", "insert 'Moreover,' at the start"),
        ("delete_words", "significant ", None, "delete 'significant'"),
        ("replace_paragraph", None, "States act.", "replace the paragraph by 'States act.'"),
        ("delete_paragraph", None, None, "delete the paragraph"),
    ],
)
def test_a_proposal_is_named_by_proponent_paragraph_as_printed_and_what_it_asks(
    op: str, old: str | None, new: str | None, asked: str
) -> None:
    on = "op2" if op.endswith("_words") else "op3"  # op3 is paragraph 4 in version 2
    p = proposal("BOR", on, op, old=old, new=new)
    assert rev.asks(p.amendment) == asked
    number = "2" if on == "op2" else "4"
    assert rev.describe(p, V2) == f"BOR's proposal on paragraph {number} ({asked})"


def test_an_added_paragraph_and_a_paragraph_the_version_lacks_are_named_too() -> None:
    p = proposal("CAL", "op1", "add_after", new_paragraph=("op1-bis", "operative", "1 bis", "X."))
    assert rev.describe(p, V1) == "CAL's proposal on paragraph 1 (add paragraph 1 bis after it)"
    gone = Version.parse(n.version(2, n.PARAGRAPHS[:2]))
    assert rev.describe(p, gone).startswith("CAL's proposal on paragraph 1 (")
    assert rev.describe(proposal("CAL", "op3", "delete_paragraph"), gone) == (
        "CAL's proposal on paragraph op3 (delete the paragraph)"
    )
    article = Version.parse(n.version(1, [("art5", "article", "Article 5", "Text.")]))
    assert rev.describe(proposal("ARC", "art5", "delete_paragraph"), article).startswith(
        "ARC's proposal on Article 5 ("
    )


def test_words_quoted_are_cut_after_forty_characters() -> None:
    forty = "x" * 40
    assert rev._quoted(forty) == f"'{forty}'"
    assert rev._quoted(forty + "y") == f"'{'x' * 39}…'"
    assert rev._quoted("  two\n  words ") == "'two words'"
    assert rev._quoted(None) == "''"


@pytest.mark.parametrize(
    ("given", "key"),
    [("2", "2"), ("2.", "2"), (" 2) ", "2"), ("[2", "2"), ("5:", "5"), ("3.1.", "3.1"),
     ("PP1", "pp1"), ("PP 1", "pp1"), ("pp1.", "pp1"), ("1 bis", "1bis"), ("1 bis.", "1bis"),
     ("Article 5 bis", "5bis"), ("ARTICLE 7", "7"), ("Art. 5", "5"), ("art 5", "5"),
     ("paragraph 2", "2"), ("Para. 3", "3"), ("para 3", "3"), ("XII", "xii"),
     ("Annex X", "annexx")],
)  # fmt: skip
def test_a_paragraph_number_as_people_write_it_has_one_form(given: str, key: str) -> None:
    assert rev.number_key(given) == key


# -- applying proposals ------------------------------------------------------------------
def test_accepted_proposals_are_applied_as_proposed_and_the_others_leave_the_text() -> None:
    ps = [
        proposal("BOR", "op2", "replace_words", old="shall", new="should", seq=1),
        proposal("CAL", "op2", "insert_words", old="notify", new=" promptly", seq=2),
        proposal("DUN", "op2", "delete_words", old=" significant", seq=3),
        proposal("ARC", "op3", "replace_words", old="two years", new="year", seq=4),
        proposal("ELB", "op1", "insert_words", new="Moreover, ", seq=5),
        proposal("FRE", "pp1", "delete_words", old="eleven ", seq=6),
    ]
    made = revise(ps, {"sha256:BOR-1": "accept", "sha256:CAL-2": "accept",
                       "sha256:DUN-3": "accept", "sha256:ARC-4": "reject",
                       "sha256:ELB-5": "accept", "sha256:FRE-6": "merge"})  # fmt: skip
    v = made.version
    assert (v.text_id, v.number, v.title) == (V1.text_id, 2, V1.title)
    assert words(v, "op2") == "A State should notify promptly affected States of a incident."
    assert words(v, "op3") == words(V1, "op3")
    assert words(v, "op1").startswith("Moreover, Each State shall")
    assert [o for _, o in made.outcomes] == [
        "incorporated", "incorporated", "incorporated", "dropped", "incorporated", "merged"
    ]  # fmt: skip
    assert [p.state for p in made.untouched] == ["FRE"]  # merged, but nothing changed yet
    assert made.carried == ()


def test_an_insertion_just_before_words_replaced_goes_before_the_new_words() -> None:
    ps = [
        proposal("BOR", "op2", "insert_words", old="A State ", new="really ", seq=1),
        proposal("CAL", "op2", "replace_words", old="shall", new="should", seq=2),
    ]
    made = revise(ps, {ps[0].id: "accept", ps[1].id: "accept"})
    assert words(made.version, "op2").startswith("A State really should notify")


def test_paragraphs_replaced_deleted_and_added_in_the_order_proposed() -> None:
    ps = [
        proposal("BOR", "op1", "replace_paragraph", new="Each State names a contact.", seq=1),
        proposal("CAL", "op2", "delete_paragraph", seq=2),
        proposal(
            "DUN",
            "op2",
            "add_after",
            new_paragraph=("op2-ter", "operative", "2 ter", "Third."),
            seq=4,
        ),
        proposal(
            "ARC",
            "op2",
            "add_after",
            new_paragraph=("op2-bis", "operative", "2 bis", "Second."),
            seq=3,
        ),
    ]
    made = revise(ps, {p.id: "accept" for p in ps})
    assert [p.id for p in made.version.paragraphs] == ["pp1", "op1", "op2-bis", "op2-ter", "op3"]
    assert made.version.paragraph("op1") == Paragraph(
        "op1", "operative", "1", ("Each State names a contact.",)
    )


def test_the_chairs_wording_stands_for_the_paragraph_it_is_given_for() -> None:
    p = proposal("BOR", "op2", "replace_words", old="shall", new="should")
    wording = ("A State ", Bracket(("shall", "should")), "", " notify", " affected States.")
    made = revise([p], {p.id: "merge"}, wording={"op2": wording})
    assert made.version.paragraph("op2") == Paragraph(
        "op2", "operative", "2", ("A State ", Bracket(("shall", "should")), " notify affected "
                                  "States.")
    )  # fmt: skip
    assert made.outcomes == ((p, "merged"),) and made.untouched == ()
    message = refusal("no_paragraph", [p], {p.id: "merge"}, wording={"op9": ("Words.",)})
    assert message == "the next version has no paragraph op9"


def test_a_paragraph_left_without_words_is_refused() -> None:
    p = proposal("BOR", "op3", "delete_words", old=n.PARAGRAPHS[3][3])
    assert refusal("empty", [p], {p.id: "accept"}) == (
        "paragraph 3 would have no words left: delete the paragraph instead"
    )
    q = proposal("BOR", "op1", "replace_words", old="Each", new="Every")
    message = refusal("empty", [q], {q.id: "merge"}, wording={"op1": ("  ",)})
    assert message.startswith("paragraph 1 would have no words left")


BRACKETED = Version.parse(
    {"text": "cica", "version": 1, "title": "T", "paragraphs": [
        {"id": "op1", "kind": "operative", "number": "1",
         "segments": ["Each State ", {"alternatives": ["shall", "should"]},
                      " designate a point of contact."]},
    ]},
)  # fmt: skip


@pytest.mark.parametrize(
    ("op", "old", "new", "expected"),
    [
        ("replace_words", "State [shall][should] designate", "State must designate",
         ("Each State must designate a point of contact.",)),
        ("replace_words", "Each State ", "Every State ",
         ("Every State ", Bracket(("shall", "should")), " designate a point of contact.")),
        ("insert_words", "Each State ", "alone ",
         ("Each State alone ", Bracket(("shall", "should")), " designate a point of contact.")),
        ("insert_words", "[shall][should]", " promptly",
         ("Each State ", Bracket(("shall", "should")), " promptly designate a point of contact.")),
        ("delete_words", " designate", None,
         ("Each State ", Bracket(("shall", "should")), " a point of contact.")),
        ("replace_words", "point", "person",
         ("Each State ", Bracket(("shall", "should")), " designate a person of contact.")),
        ("delete_words", "[shall][should] ", None, ("Each State designate a point of contact.",)),
        ("replace_words", "State [shall][should]", "Party shall",
         ("Each Party shall designate a point of contact.",)),
        ("delete_words", "Each State ", None,
         (Bracket(("shall", "should")), " designate a point of contact.")),
    ],
)  # fmt: skip
def test_a_tabled_bracket_goes_only_as_a_whole(
    op: str, old: str, new: str | None, expected: tuple[Any, ...]
) -> None:
    p = proposal("BOR", "op1", op, old=old, new=new)
    made = revise([p], {p.id: "accept"}, [BRACKETED])
    assert made.version.paragraphs[0].segments == expected


@pytest.mark.parametrize(
    ("op", "old", "new"),
    [("replace_words", "[shall]", "[must]"), ("insert_words", "[shall]", " not"),
     ("delete_words", "[should] designate", None), ("delete_words", "State [shall]", None)],
)  # fmt: skip
def test_words_that_cut_across_a_bracket_are_merged_not_applied(
    op: str, old: str, new: str | None
) -> None:
    p = proposal("BOR", "op1", op, old=old, new=new)
    message = refusal("bracket", [p], {p.id: "accept"}, [BRACKETED])
    assert "in paragraph 1: the words cut across the bracket [shall][should]" in message
    assert message.endswith("merge it in your own words")


def test_applied_refuses_words_not_in_the_paragraph() -> None:
    paragraph = V1.paragraph("op1")
    assert paragraph is not None
    a = proposal("BOR", "op2", "replace_words", old="notify", new="tell").amendment
    with pytest.raises(RevisionError, match="the words 'notify' are not in paragraph 1") as e:
        rev.applied(paragraph, [a])
    assert e.value.code == "stale"


# -- conflicts ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "clash"),
    [
        (("replace_words", "shall notify", "must tell"), ("delete_words", "notify", None), True),
        (("replace_words", "shall", "should"), ("replace_words", "shall notify", "tells"), True),
        (("insert_words", "shall", " not"), ("insert_words", "shall", " ever"), True),
        (("insert_words", "A State shall", " not"), ("insert_words", "shall", " ever"), True),
        (("insert_words", "shall", " not"), ("replace_words", "shall", "must"), True),
        (("insert_words", "State shall", " not"), ("replace_words", "shall", "must"), True),
        (("insert_words", "A State", " X"), ("replace_words", "A State shall", "Y"), True),
        (("insert_words", "A State ", "X "), ("replace_words", "shall", "must"), False),
        (("insert_words", "A State", " X"), ("insert_words", "A State shall", " Y"), False),
        (("insert_words", "shall", " not"), ("replace_words", " notify", " tell"), False),
        (("replace_words", "shall", "must"), ("delete_words", " notify", None), False),
        (("insert_words", None, "So, "), ("replace_words", "A State", "Every State"), False),
        (("insert_words", None, "So, "), ("insert_words", None, "Thus, "), True),
    ],
)  # fmt: skip
def test_two_accepted_proposals_on_the_same_words_are_refused_naming_both(
    a: tuple[str, str | None, str | None], b: tuple[str, str | None, str | None], clash: bool
) -> None:
    p = proposal("BOR", "op2", a[0], old=a[1], new=a[2], seq=1)
    q = proposal("CAL", "op2", b[0], old=b[1], new=b[2], seq=2)
    choices = {p.id: "accept", q.id: "accept"}
    if not clash:
        revise([p, q], choices)
        revise([q, p], choices)
        return
    message = refusal("conflict", [p, q], choices)
    assert message == (
        f"{rev.describe(p, V1)} and {rev.describe(q, V1)} touch the same words: accept one, "
        "and merge the other in your own words or reject it"
    )
    refusal("conflict", [q, p], choices)
    revise([p, q], {p.id: "accept", q.id: "merge"})  # merged: the chair's words decide


def test_a_paragraph_changed_as_a_whole_takes_no_other_change() -> None:
    whole = proposal("BOR", "op2", "replace_paragraph", new="States tell.", seq=1)
    gone = proposal("CAL", "op2", "delete_paragraph", seq=2)
    word = proposal("DUN", "op2", "replace_words", old="shall", new="must", seq=3)
    after = proposal("ARC", "op2", "add_after",
                     new_paragraph=("op2-bis", "operative", "2 bis", "More."), seq=4)  # fmt: skip
    elsewhere = proposal("ELB", "op3", "delete_paragraph", seq=5)
    for x, y in ((whole, gone), (gone, word), (word, whole)):
        message = refusal("conflict", [x, y], {x.id: "accept", y.id: "accept"})
        assert message.startswith(f"{rev.describe(x, V1)} and {rev.describe(y, V1)} both change "
                                  "the paragraph: accept one")  # fmt: skip
    for x in (whole, gone, word):
        revise([x, after, elsewhere], {x.id: "accept", after.id: "accept", elsewhere.id: "accept"})
        revise([after, x], {x.id: "accept", after.id: "accept"})


def test_two_added_paragraphs_are_told_apart_by_id_and_number() -> None:
    def added(state: str, pid: str, kind: str, number: str, seq: int, to: str = "op1") -> Proposal:
        return proposal(state, to, "add_after", new_paragraph=(pid, kind, number, "New."), seq=seq)

    same_id = [added("BOR", "new", "operative", "1 bis", 1), added("CAL", "new", "operative",
                                                                   "2 bis", 2, "op2")]  # fmt: skip
    message = refusal("conflict", same_id, {p.id: "accept" for p in same_id})
    assert "both add a paragraph new: accept one" in message
    same_number = [added("BOR", "a", "operative", "1 bis", 1), added("CAL", "b", "operative",
                                                                     "1 bis.", 2)]  # fmt: skip
    message = refusal("conflict", same_number, {p.id: "accept" for p in same_number})
    assert "both add a paragraph numbered 1 bis: accept one" in message
    apart = [added("BOR", "a", "operative", "1 bis", 1), added("CAL", "b", "article", "1 bis", 2),
             added("DUN", "c", "operative", "1 ter", 3)]  # fmt: skip
    made = revise(apart, {p.id: "accept" for p in apart})
    assert [p.id for p in made.version.paragraphs][2:5] == ["a", "b", "c"]


# -- choices, and proposals left out -----------------------------------------------------------
def test_every_proposal_made_on_the_current_version_is_decided_or_carried() -> None:
    ps = [
        proposal("BOR", "op2", "replace_words", old="shall", new="should", seq=1, version=2),
        proposal("CAL", "op3", "delete_paragraph", seq=2, version=2),
        proposal("DUN", "op1", "delete_paragraph", seq=3, version=1),  # made on version 1
    ]
    message = refusal("undecided", ps, {ps[0].id: "accept"}, [V1, V2])
    assert message == (
        "the revision of version 2 says nothing of CAL's proposal on paragraph 4 (delete the "
        "paragraph): say of each open proposal whether it is incorporated, merged, dropped or "
        "carried"
    )
    message = refusal("undecided", ps, {}, [V1, V2], carrying=False)
    assert message == (
        "the revision of version 2 says nothing of BOR's proposal on paragraph 2 (replace "
        "'shall' with 'should'); CAL's proposal on paragraph 4 (delete the paragraph): say of "
        "each open proposal whether it is incorporated, merged or dropped (rules of procedure 1 "
        "carry none: its delegation may propose it again)"
    )
    made = revise(ps, {ps[0].id: "accept", ps[1].id: "carry"}, [V1, V2])
    assert [o for _, o in made.outcomes] == ["incorporated", "carried"]
    withdrawn = proposal("ELB", "op1", "delete_paragraph", seq=4, version=2)
    withdrawn.withdrawn_at = 9
    revise([*ps, withdrawn], {ps[0].id: "accept", ps[1].id: "carry"}, [V1, V2])


def test_only_open_proposals_and_known_choices_are_decided() -> None:
    p = proposal("BOR", "op2", "replace_words", old="shall", new="should")
    assert refusal("not_open", [p], {"sha256:other": "accept"}) == (
        "no open proposal sha256:other on cica"
    )
    assert refusal("choice", [p], {p.id: "keep"}) == (
        "'keep' is not one of accept, merge, reject, carry"
    )
    assert refusal("choice", [p], {p.id: "carry"}, carrying=False) == (
        "'carry' is not one of accept, merge, reject"
    )
    assert revise([p], {p.id: "carry"}).carried[0][1].version == 2


def test_a_proposal_adopted_by_decision_is_accepted() -> None:
    p = proposal("CAL", "op3", "delete_paragraph", version=2, decided="adopted")
    other = proposal("BOR", "op1", "delete_paragraph", seq=2, version=2)
    for choices in ({p.id: "merge", other.id: "reject"}, {other.id: "reject"}):
        message = refusal("owed", [p, other], choices, [V1, V2])
        assert message == (
            "CAL's proposal on paragraph 4 (delete the paragraph) was adopted by a decision: it "
            "is accepted"
        )
    made = revise([p, other], {p.id: "accept", other.id: "reject"}, [V1, V2])
    assert made.version.paragraph("op3") is None


def test_a_proposal_on_an_earlier_version_is_accepted_only_on_words_unchanged_since() -> None:
    v2 = Version.parse(n.version(2, [*n.PARAGRAPHS[:2], ("op2", "operative", "2", "Changed."),
                                     n.PARAGRAPHS[3]]))  # fmt: skip
    stale = proposal("BOR", "op2", "replace_words", old="shall", new="should")
    kept = proposal("CAL", "op3", "replace_words", old="two years", new="year", seq=2)
    message = refusal("stale", [stale], {stale.id: "accept"}, [V1, v2])
    assert message == (
        "BOR's proposal on paragraph 2 (replace 'shall' with 'should') was made on version 1, "
        "and the paragraph has changed since: merge it in your own words"
    )
    gone = Version.parse(n.version(2, n.PARAGRAPHS[:3]))
    refusal("stale", [kept], {kept.id: "accept"}, [V1, gone])
    made = revise([stale, kept], {stale.id: "reject", kept.id: "accept"}, [V1, v2])
    assert words(made.version, "op3").endswith("every year.")


# -- the outcomes checked against the new version ----------------------------------------
def test_an_edited_version_is_the_one_checked() -> None:
    p = proposal("BOR", "op2", "replace_words", old="shall", new="should")
    same = Version.parse(n.version(2))
    message = refusal("not_incorporated", [p], {p.id: "accept"}, edited=same)
    assert message == (
        "BOR's proposal on paragraph 2 (replace 'shall' with 'should') is listed incorporated, "
        "but 'should' does not stand in paragraph 2 of version 2: apply it as proposed, or "
        "list it merged"
    )
    edited = Version.parse(n.version(2, [
        *n.PARAGRAPHS[:2], ("op2", "operative", "2", "A State should at once notify affected "
                            "States of a significant incident."), n.PARAGRAPHS[3]]))  # fmt: skip
    assert revise([p], {p.id: "accept"}, edited=edited).version == edited
    for wrong in (Version.parse(n.version(3)), Version.parse(n.version(2) | {"text": "other"})):
        assert refusal("version", [p], {p.id: "accept"}, edited=wrong) == (
            "the edited text must be version 2 of cica"
        )


def _v2(op2: str | None = None, *extra: tuple[str, str, str, str]) -> Version:
    """Version 2: paragraph 2 reads `op2` (None: deleted), and paragraphs `extra` added."""
    paragraphs = [x for x in n.PARAGRAPHS if x[0] != "op2"]
    if op2 is not None:
        paragraphs.insert(2, ("op2", "operative", "2", op2))
    return Version.parse(n.version(2, paragraphs + list(extra)))


@pytest.mark.parametrize(
    ("op", "old", "new", "op2", "problem"),
    [
        # Exactly the proposal applied, spacing aside.
        ("replace_words", "shall", "should", "A State  should notify affected States of a "
         "significant incident. ", None),
        # Changed otherwise too: the new words stand, the old ones are gone.
        ("replace_words", "shall", "should", "A State should at once notify States.", None),
        ("replace_words", "shall", "should", "A State shall notify States.",
         "'should' does not stand in paragraph 2 of version 2"),
        ("replace_words", "shall", "should", "A State should, or shall, notify States.",
         "'shall' still stands in paragraph 2 of version 2"),
        ("replace_words", "shall", "shall not", "A State shall not notify.", None),
        ("insert_words", "notify", " promptly", "A State shall notify promptly.", None),
        ("insert_words", "notify", " promptly", "A State shall notify.",
         "'promptly' does not stand in paragraph 2 of version 2"),
        # An insertion's anchor stays: it is not counted as words removed.
        ("insert_words", "shall", " not", "A State shall not, as it shall, notify.", None),
        ("delete_words", " significant", None, "A State shall notify of an incident.", None),
        ("delete_words", " significant", None, "A State shall notify a significant one.",
         "'significant' still stands in paragraph 2 of version 2"),
        ("replace_paragraph", None, "States tell.", " States   tell. ", None),
        ("replace_paragraph", None, "States tell.", "States tell each other.",
         "paragraph 2 of version 2 does not read as proposed"),
        ("delete_paragraph", None, None, "Still here.", "paragraph 2 is still in version 2"),
        ("delete_paragraph", None, None, None, None),
        ("replace_words", "shall", "should", None, "paragraph 2 is not in version 2"),
        ("replace_paragraph", None, "States tell.", None, "paragraph 2 is not in version 2"),
    ],
)  # fmt: skip
def test_a_proposal_listed_incorporated_has_its_effect_in_the_new_version(
    op: str, old: str | None, new: str | None, op2: str | None, problem: str | None
) -> None:
    a = proposal("BOR", "op2", op, old=old, new=new).amendment
    assert rev.incorporation_problem(V1, _v2(op2), a) == problem


def test_proposals_incorporated_together_are_applied_together() -> None:
    """Calvia inserts the very word Borduria deletes: applied together, 'significant'
    stands once, as before; each alone would have it twice, or not at all."""
    bor = proposal("BOR", "op2", "delete_words", old=" significant").amendment
    cal = proposal("CAL", "op2", "insert_words", old="notify", new=" significant").amendment
    both = _v2("A State shall notify significant affected States of a incident.")
    assert rev.incorporation_problem(V1, both, bor, [bor, cal]) is None
    assert rev.incorporation_problem(V1, both, cal, [bor, cal]) is None
    assert rev.incorporation_problem(V1, both, cal) == (
        "'significant' does not stand in paragraph 2 of version 2"
    )
    assert rev.incorporation_problem(V1, both, bor) == (
        "'significant' still stands in paragraph 2 of version 2"
    )
    # Others on another paragraph or version are left aside; if some touch the same words,
    # each is checked alone.
    elsewhere = proposal("ARC", "op3", "delete_words", old="two ").amendment
    earlier = proposal("DUN", "op2", "delete_words", old="A ", version=2).amendment
    for other in (elsewhere, earlier):
        assert rev.incorporation_problem(V1, both, cal, [bor, cal, other]) is None
        assert rev.incorporation_problem(V1, both, bor, [bor, cal, other]) is None
    clashing = proposal("ELB", "op2", "replace_words", old="notify", new="tell").amendment
    assert rev.incorporation_problem(V1, both, bor, [cal, clashing]) is not None
    assert rev.incorporation_problem(V1, both, cal, [clashing, bor]) is not None


def test_words_a_deletion_brings_together_count_as_standing() -> None:
    """Deleting ' affected' makes 'notify States'; Calvia's insertion adds it again:
    with both listed incorporated, it is expected twice."""
    deletion = proposal("BOR", "op2", "delete_words", old=" affected").amendment
    insertion = proposal(
        "CAL", "op2", "insert_words", old="incident.", new=" notify States"
    ).amendment
    alone = _v2(n.PARAGRAPHS[2][3] + " notify States")
    assert rev.incorporation_problem(V1, alone, insertion) is None
    assert rev.incorporation_problem(V1, alone, insertion, [deletion]) == (
        "'notify States' does not stand in paragraph 2 of version 2"
    )


def test_proposals_on_the_same_words_are_each_checked_alone() -> None:
    must = proposal("BOR", "op2", "replace_words", old="shall", new="must").amendment
    again = proposal("CAL", "op2", "insert_words", old="shall", new=" must").amendment
    alone = _v2("A State must notify affected States of a significant incident.")
    for others in ([must, again], [again, must], [again]):
        assert rev.incorporation_problem(V1, alone, must, others) is None


def test_a_proposal_is_checked_against_the_version_it_was_made_on() -> None:
    """Made on version 2, on words version 1 did not have."""
    v2 = _v2("A State should notify affected States.")
    p = proposal("BOR", "op2", "replace_words", old="should", new="must", version=2)
    q = proposal("CAL", "op2", "insert_words", old="notify", new=" at once", version=2, seq=2)
    made = revise([p, q], {p.id: "accept", q.id: "carry"}, [V1, v2])
    assert words(made.version, "op2") == "A State must notify affected States."
    assert rev.incorporation_problem(v2, made.version, p.amendment) is None
    assert [(x.state, a.version) for x, a in made.carried] == [("CAL", 3)]


def test_a_paragraph_added_stands_as_proposed_under_a_new_id() -> None:
    a = proposal("BOR", "op2", "add_after",
                 new_paragraph=("op2-bis", "operative", "2 bis", "States meet.")).amendment  # fmt: skip
    unchanged = n.PARAGRAPHS[2][3]
    assert rev.incorporation_problem(V1, _v2(unchanged, ("x", "operative", "9", " States  meet.")),
                                     a) is None  # fmt: skip
    missing = "version 2 has no new paragraph reading as proposed"
    assert rev.incorporation_problem(V1, _v2(unchanged), a) == missing
    assert rev.incorporation_problem(V1, _v2(unchanged, ("x", "operative", "9", "Meet.")),
                                     a) == missing  # fmt: skip
    # An old paragraph made to read so is not a paragraph added.
    assert rev.incorporation_problem(V1, _v2("States meet."), a) == missing


def test_a_merge_that_changed_nothing_is_told() -> None:
    words_ = proposal("BOR", "op2", "replace_words", old="shall", new="should").amendment
    added = proposal("CAL", "op2", "add_after",
                     new_paragraph=("n", "operative", "2 bis", "New.")).amendment  # fmt: skip
    same = _v2(n.PARAGRAPHS[2][3])
    assert not rev.touched(V1, same, words_) and not rev.touched(V1, same, added)
    assert not rev.touched(V1, _v2(n.PARAGRAPHS[2][3] + "  "), words_)
    assert rev.touched(V1, _v2("Other words."), words_)
    assert rev.touched(V1, _v2(None), words_)
    assert rev.touched(V1, _v2(n.PARAGRAPHS[2][3], ("m", "operative", "2 bis", "Merged.")), added)


def test_a_proposal_carried_is_re_anchored_to_the_next_version() -> None:
    p = proposal("BOR", "op2", "replace_words", old="State", new="Party", occurrence=2)
    moved = _v2("Each State shall notify affected States.")  # 'State' twice, as before
    assert rev.carry(V1, moved, p) == dataclasses.replace(p.amendment, version=2)
    start = proposal("CAL", "op2", "insert_words", new="Moreover, ")
    assert rev.carry(V1, _v2("Other words."), start).version == 2
    whole = proposal("DUN", "op2", "delete_paragraph")
    assert rev.carry(V1, _v2("Other words."), whole).version == 2


@pytest.mark.parametrize(
    ("p", "after", "problem"),
    [
        (proposal("BOR", "op2", "replace_words", old="State", new="Party"),
         _v2("A State shall notify affected countries."),
         "its words 'State' no longer stand in it as they did"),
        (proposal("BOR", "op2", "replace_words", old="State", new="Party"),
         _v2("A State shall notify affected States, State by State."),
         "its words 'State' no longer stand in it as they did"),
        (proposal("BOR", "op2", "delete_paragraph"), _v2(None), "paragraph 2 is not in version 2"),
        (proposal("BOR", "op2", "add_after", new_paragraph=("x", "operative", "2 bis", "New.")),
         _v2(n.PARAGRAPHS[2][3], ("x", "operative", "2 bis", "New.")),
         "version 2 already has a paragraph x"),
    ],
)  # fmt: skip
def test_a_proposal_is_carried_only_where_its_words_still_stand(
    p: Proposal, after: Version, problem: str
) -> None:
    with pytest.raises(RevisionError) as caught:
        rev.carry(V1, after, p)
    assert caught.value.code == "cannot_carry"
    assert str(caught.value) == (
        f"{rev.describe(p, V1)} cannot be carried to version 2: {problem}; decide it "
        "(incorporated, merged or dropped)"
    )


def test_a_carried_proposal_whose_words_another_accepted_proposal_changes_is_refused() -> None:
    p = proposal("BOR", "op2", "replace_words", old="shall", new="should", seq=1)
    q = proposal("CAL", "op2", "replace_words", old="A State shall", new="Each State must", seq=2)
    message = refusal("cannot_carry", [p, q], {p.id: "carry", q.id: "accept"})
    assert message.startswith("BOR's proposal on paragraph 2 (replace 'shall' with 'should') "
                              "cannot be carried to version 2")  # fmt: skip


def test_words_are_counted_as_proposals_find_them() -> None:
    assert rev._count("aaaa", "aa") == 3
    assert rev._count("a State, a State", "State") == 2
    assert rev._count("none", "State") == 0


# -- Hypothesis: any set of proposals accepted gives a version that has each of them --------
_OP2 = n.PARAGRAPHS[2][3]
_WORDS = ["A", "State", "shall", "notify", "affected", "States", "of", "a", "significant",
          "incident.", "shall notify", "affected States", "A State shall"]  # fmt: skip


@st.composite
def _proposals(draw: st.DrawFn) -> list[Proposal]:
    out = []
    for seq in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["replace_words", "insert_words", "delete_words"]))
        old = draw(st.sampled_from(_WORDS))
        occurrences = rev._count(_OP2, old)
        occurrence = draw(st.integers(1, occurrences))
        new = draw(st.sampled_from([" promptly", "must", " all", "each"]))
        out.append(proposal(f"S{seq}", "op2", op, old=old, seq=seq, occurrence=occurrence,
                            new=None if op == "delete_words" else new))  # fmt: skip
    return out


@settings(max_examples=150, deadline=None)
@given(_proposals(), st.data())
def test_accepting_proposals_that_do_not_conflict_incorporates_each(
    ps: list[Proposal], data: st.DataObject
) -> None:
    choices = {p.id: data.draw(st.sampled_from(["accept", "reject", "carry"])) for p in ps}
    try:
        made = revise(ps, choices)
    except RevisionError as exc:
        accepted = [p for p in ps if choices[p.id] == "accept"]
        assert exc.code in ("conflict", "cannot_carry", "empty"), exc
        if exc.code == "conflict":  # it names two accepted proposals
            assert sum(rev.describe(p, V1) in str(exc) for p in accepted) == 2
        return
    for p, outcome in made.outcomes:
        assert outcome == rev.CHOICES[choices[p.id]]
        if outcome == "incorporated":
            others = [q.amendment for q, o in made.outcomes if o == "incorporated"]
            assert rev.incorporation_problem(V1, made.version, p.amendment, others) is None
    for _, carried in made.carried:  # still placed in the new version, where it was
        paragraph = made.version.paragraph("op2")
        assert paragraph is not None and carried.span(paragraph) is not None
