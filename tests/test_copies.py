"""Traceable copies of a restricted document (accord.core.copies): every copy says the same,
each leaks its recipient, and tracing never names a recipient the evidence does not single out."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.core.copies import (
    MAX_RECIPIENTS,
    TAG_SYMBOLS,
    ZERO_WIDTH,
    Standing,
    capacity,
    make_copies,
    trace,
)

SECRET = bytes.fromhex("6163636f72642d636f706965732d746573742d7365637265742d30303031")
DOC = (
    "The Conference of the Parties,",
    "Recalling its resolution 12/3 on co-operation among the Parties, whilst recognizing the "
    "work done by the secretariat,",
    "Emphasizing that about forty per cent of the funds go toward adaptation, e.g., in small "
    "island developing States,",
    "1. Decides that the Parties [shall][should] co-ordinate their efforts towards the goals, "
    "while respecting national circumstances;",
    "2. Requests the secretariat to report afterwards on the co-operation among developing "
    "countries, i.e., the Group of 77;",
    "3. Encourages Parties to prioritize, amongst other things, the mobilization of resources, "
    "whilst noting [the need for co-operation among the Parties concerned];",
    "4. Welcomes the acknowledgement of the efforts of States toward the targets;",
    "5. Notes that the realization of the goals requires co-operation for a while among all "
    "Parties;",
    "6. Urges Parties to finalize their reports towards the end of the year, e.g., by 30 June;",
    "7. Decides to remain seized of the matter.",
)
RECIPIENTS = ("DUN", "ARC", "BEL", "CAS", "ELB", "FRA", "GAL", "HOL")
ZW = re.compile(f"[{ZERO_WIDTH}]")
RUN = re.compile(f"[{ZERO_WIDTH}]+")

# The variants, written out here apart from the module: each to one spelling, keeping case.
_STEMS = "recogni|emphasi|reali|prioriti|mobili|finali"
_CANON: list[tuple[str, Callable[[re.Match[str]], str]]] = [
    (r"\bwhilst\b", lambda m: _case(m[0], "while")),
    (r"\bamongst\b", lambda m: _case(m[0], "among")),
    (r"\btowards\b", lambda m: _case(m[0], "toward")),
    (r"\bafterwards\b", lambda m: _case(m[0], "afterward")),
    (r"\bpercent\b", lambda m: _case(m[0], "per cent")),
    (r"\bco-(?=operat|ordinat)", lambda m: _case(m[0], "co")),
    (r"\b(e\.g|i\.e)\.,", lambda m: m[0][:-1]),
    (rf"\b({_STEMS})s(e|es|ed|ing|ation|ations)\b", lambda m: f"{m[1]}{_case(m[0], 'z')}{m[2]}"),
    (r"\backnowledgement", lambda m: _case(m[0], "acknowledgment")),
]


def _case(like: str, word: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[0].upper() + word[1:] if like[0].isupper() and len(word) > 1 else word


def canonical(text: str) -> str:
    for pattern, repl in _CANON:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text


def visible(paragraphs: Sequence[str]) -> tuple[str, ...]:
    return tuple(ZW.sub("", p) for p in paragraphs)


def retype(text: str) -> str:
    """As a person retyping it would: no hidden characters, curly quotes, other line breaks."""
    text = ZW.sub("", text).replace("'", "\u2019").replace("-", "\u2011").replace("fi", "\ufb01")
    text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)
    return "\n".join(textwrap.wrap(" ".join(text.split()), 47)) + "\n"


def brackets(text: str) -> list[str]:
    return re.findall(r"\[[^\]]*\]", text)


@pytest.fixture(scope="module")
def copies() -> dict[str, tuple[str, ...]]:
    return make_copies(DOC, RECIPIENTS, SECRET)


# --- making copies --------------------------------------------------------------------------


def test_every_copy_says_the_same_as_the_original(copies: dict[str, tuple[str, ...]]) -> None:
    for recipient, copy in copies.items():
        assert len(copy) == len(DOC)
        assert visible(copy) != DOC, recipient
        assert [canonical(p) for p in visible(copy)] == [canonical(p) for p in DOC], recipient


def test_bracketed_text_is_untouched(copies: dict[str, tuple[str, ...]]) -> None:
    for copy in copies.values():
        assert [brackets(p) for p in copy] == [brackets(p) for p in DOC]
    doc = ["[Welcomes][Notes with concern] the co-operation among the Parties, whilst [noting]"]
    for copy in make_copies(doc, RECIPIENTS, SECRET).values():
        assert brackets(copy[0]) == brackets(doc[0])
        assert re.match(rf"\[Welcomes\]\[Notes with concern\][{ZERO_WIDTH}]{{20}} the", copy[0])
    assert "[the need for co-operation among the Parties concerned]" in copies["DUN"][5]


def test_each_paragraph_carries_its_recipients_tag_after_the_first_word(
    copies: dict[str, tuple[str, ...]],
) -> None:
    tags = set()
    for recipient, copy in copies.items():
        runs = {run for p in copy for run in RUN.findall(p)}
        assert len(runs) == 1, recipient
        tags |= runs
        for paragraph in copy:
            assert re.match(rf"\S+[{ZERO_WIDTH}]{{{TAG_SYMBOLS}}} ", paragraph), paragraph
    assert len(tags) == len(RECIPIENTS)


def test_capitals_are_kept() -> None:
    doc = [
        "The Parties note that, Whilst co-operation grows, WHILST CO-OPERATION GROWS, the rest follows."
    ]
    seen = {visible(c)[0] for c in make_copies(doc, RECIPIENTS, SECRET).values()}
    assert any("While co" in s for s in seen) and any("WHILE CO" in s for s in seen)
    assert any("COOPERATION" in s for s in seen) and any("Whilst cooperation" in s for s in seen)
    assert all(canonical(s) == canonical(doc[0]) for s in seen)


def test_copies_are_the_same_for_the_same_secret_and_differ_for_another() -> None:
    first = make_copies(DOC, RECIPIENTS, SECRET)
    assert make_copies(list(DOC), list(RECIPIENTS), SECRET) == first
    other = make_copies(DOC, RECIPIENTS, bytes(32))
    assert all(other[r] != first[r] for r in RECIPIENTS)
    assert any(visible(other[r]) != visible(first[r]) for r in RECIPIENTS)


def test_capacity_counts_only_neutral_sites_outside_brackets() -> None:
    doc = [
        "Noting with concern, whilst regretting it, that for a while [whilst] the Parties met "
        "and the time to while away the hours was short, the sum rose by five per cent, e.g. "
        "in 2020, among other things, toward the end."
    ]
    assert capacity(doc) == 5  # whilst, per cent, e.g., among, toward
    seen = [visible(c)[0] for c in make_copies(doc, RECIPIENTS, SECRET).values()]
    for variant in ("while regretting", "five percent", "e.g., in", "amongst other", "towards the"):
        assert any(variant in s for s in seen), variant
    for s in seen:
        assert "for a while [whilst] the" in s and "to while away" in s
    assert capacity(["Decides to remain seized of the matter."]) == 0
    split = ["Notes that the sum rose by five per", "cent of the total, whilſt regretting it."]
    assert capacity(split) == 0  # not across paragraphs, and only the spellings listed
    assert all(visible(c) == tuple(split) for c in make_copies(split, RECIPIENTS, SECRET).values())


def spellings(text: str) -> list[str]:
    """The spelling at every variant site of DOC (and in its brackets, the same in all)."""
    return [m.lower() for m in SPELLINGS.findall(ZW.sub("", text))]


SPELLINGS = re.compile(
    r"\b(?:whilst|while|amongst|among|towards|toward|afterwards|afterward|per\s+cent|percent"
    rf"|co-?(?=operat|ordinat)|e\.g\.,?|i\.e\.,?|(?:{_STEMS})[sz]|acknowledge?ment)",
    re.IGNORECASE,
)


def test_copies_differ_pairwise_at_many_sites_and_from_the_original(
    copies: dict[str, tuple[str, ...]],
) -> None:
    n = capacity(DOC)
    assert n >= 20
    for recipient, copy in copies.items():
        ranking = trace("\n".join(visible(copy)), copies).ranking
        assert ranking[0] == Standing(recipient, n, n)
        assert all(s.compared - s.matched >= n // 3 for s in ranking[1:]), ranking
    # 64 recipients and the original: 65 codewords of 27 bits, pairwise 8 apart or more (a
    # code drawn at random would have some pairs 5 apart or fewer).
    many = make_copies(DOC, [f"S{i:02d}" for i in range(MAX_RECIPIENTS)], SECRET)
    words = [spellings("\n".join(c)) for c in [DOC, *many.values()]]
    assert {len(w) for w in words} == {len(spellings("\n".join(DOC)))}
    distances = [sum(x != y for x, y in zip(a, b, strict=True)) for a in words for b in words]
    assert min(d for d in distances if d) >= 8 and distances.count(0) == len(words)


def test_refuses_what_it_cannot_make_traceable() -> None:
    with pytest.raises(ValueError):
        make_copies(DOC, ["DUN", "DUN"], SECRET)
    with pytest.raises(ValueError):
        make_copies(DOC, [], SECRET)
    with pytest.raises(ValueError):
        make_copies(DOC, [f"S{i}" for i in range(MAX_RECIPIENTS + 1)], SECRET)
    with pytest.raises(ValueError):
        make_copies(DOC, RECIPIENTS, b"short")
    with pytest.raises(ValueError):
        make_copies(["The\u200b Parties shall meet."], RECIPIENTS, SECRET)
    with pytest.raises(TypeError):
        make_copies(DOC, "DUN", SECRET)
    with pytest.raises(TypeError):
        make_copies(DOC[1], RECIPIENTS, SECRET)


# --- tracing --------------------------------------------------------------------------------


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_traces_the_whole_copy_by_its_hidden_tag(
    copies: dict[str, tuple[str, ...]], recipient: str
) -> None:
    found = trace("\n\n".join(copies[recipient]), copies)
    assert (found.verdict, found.exact, found.named) == ("identified", recipient, recipient)
    assert found.candidates == (recipient,)
    assert f"sent to {recipient}" in found.explanation


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_traces_a_copy_cleaned_or_retyped_by_its_wording(
    copies: dict[str, tuple[str, ...]], recipient: str
) -> None:
    for leaked in ("\n".join(visible(copies[recipient])), retype("\n".join(copies[recipient]))):
        found = trace(leaked, copies)
        assert (found.verdict, found.exact, found.named) == ("identified", None, recipient)
        assert found.ranking[0] == Standing(recipient, capacity(DOC), capacity(DOC))
        assert "No hidden marks" in found.explanation


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_traces_an_excerpt_with_enough_sites(
    copies: dict[str, tuple[str, ...]], recipient: str
) -> None:
    text = " ".join(visible(copies[recipient]))
    start = text.index("adaptation") + 4  # cut inside words, at both ends
    excerpt = text[start : text.index("the mobili")]
    found = trace(excerpt, copies)
    assert (found.verdict, found.named) == ("identified", recipient)
    assert 5 <= found.ranking[0].compared < capacity(DOC)


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_an_excerpt_with_one_site_is_ambiguous(
    copies: dict[str, tuple[str, ...]], recipient: str
) -> None:
    text = retype("\n".join(copies[recipient]))
    match = re.search(r"(\S+\s+){3}(fi|\ufb01)nali[sz]e(\s+\S+){3}", text)
    assert match
    excerpt = match[0]  # "Urges Parties to finalize their reports towards"
    found = trace(excerpt, copies)
    assert found.verdict == "ambiguous" and found.named is None and found.exact is None
    assert recipient in found.candidates and len(found.candidates) >= 2
    assert [s.compared for s in found.ranking] == [1] * len(RECIPIENTS)
    assert "Name none of them" in found.explanation


def test_an_altered_copy_is_not_attributed(copies: dict[str, tuple[str, ...]]) -> None:
    text = "\n".join(visible(copies["CAS"]))
    i = text.index("Parties to finali") + len("Parties to finali")
    altered = text[:i] + {"z": "s", "s": "z"}[text[i]] + text[i + 1 :]
    found = trace(altered, copies)
    assert found.ranking[0] == Standing("CAS", capacity(DOC) - 1, capacity(DOC))
    assert found.verdict == "ambiguous" and found.named is None and found.candidates == ("CAS",)
    assert "was altered" in found.explanation


def test_a_wider_margin_can_be_demanded(copies: dict[str, tuple[str, ...]]) -> None:
    text = "\n".join(visible(copies["ELB"]))
    assert trace(text, copies, min_margin=8).named == "ELB"
    found = trace(text, copies, min_margin=capacity(DOC) + 1)
    assert found.verdict == "ambiguous" and found.named is None and found.candidates == ("ELB",)


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_an_excerpt_cut_inside_brackets_is_read_as_bracketed(
    copies: dict[str, tuple[str, ...]], recipient: str
) -> None:
    # "[the need for co-operation among the Parties concerned]" is never varied, and its words
    # around "among" are those of a site of paragraph 2, which is.
    text = "\n".join(visible(copies[recipient]))
    opened = text.index("[the need") + 1
    for excerpt in (text[opened:], text[: text.index(" concerned]") + len(" concerned")]):
        found = trace(excerpt, copies)
        assert found.named == recipient and found.ranking[0].matched == found.ranking[0].compared


def test_a_word_cut_at_the_edge_is_not_read_as_whole() -> None:
    # "noting the[se]" cut inside "these" must not pass for the first site's "noting the".
    doc = [
        "Recalling that the Parties, whilst noting the report, acted among others;",
        "Affirming that the Parties, while noting these reports, acted amongst others;",
    ]
    copies = make_copies(doc, RECIPIENTS, SECRET)
    for recipient, copy in copies.items():
        text = "\n".join(visible(copy))
        excerpt = text[text.index("Affirming") : text.index("these") + 3]
        found = trace(excerpt, copies)
        assert found.verdict == "untraceable", recipient


@pytest.mark.parametrize(
    "leaked",
    ["7. Decides to remain seized of the matter.", "", "Lorem ipsum whilst", "whilst"],
)
def test_a_text_without_sites_is_untraceable(
    copies: dict[str, tuple[str, ...]], leaked: str
) -> None:
    found = trace(leaked, copies)
    assert (found.verdict, found.exact, found.named, found.candidates) == (
        "untraceable", None, None, ()
    )  # fmt: skip
    assert "cannot be traced" in found.explanation


def test_a_tampered_tag_is_not_taken_as_exact(copies: dict[str, tuple[str, ...]]) -> None:
    leaked = "\n".join(copies["BEL"])
    run = RUN.findall(leaked)[0]
    for i in range(TAG_SYMBOLS):
        other = ZERO_WIDTH[(ZERO_WIDTH.index(run[i]) + 1) % 4]
        tampered = leaked.replace(run, run[:i] + other + run[i + 1 :])
        found = trace(tampered, copies)
        assert found.exact is None
        assert "damaged" in found.explanation
        assert found.named == "BEL"  # from the wording, which is intact
    cut = trace(leaked.replace(run, run[:-1]), copies)
    assert cut.exact is None and "damaged" in cut.explanation


def test_a_tag_of_no_copy_or_of_several_copies_names_no_one(
    copies: dict[str, tuple[str, ...]],
) -> None:
    alien = make_copies(DOC, ["BEL"], b"another circulation key")["BEL"]
    leaked = "\n".join(visible(copies["BEL"])[:5] + alien[5:6])
    found = trace(leaked, copies)
    assert found.exact is None and "none of these copies" in found.explanation
    mixed = "\n".join(copies["DUN"][:5] + copies["ARC"][5:])
    found = trace(mixed, copies)
    assert found.exact is None and found.named is None
    assert found.verdict == "ambiguous" and {"ARC", "DUN"} <= set(found.candidates)


def test_a_tag_contradicted_by_the_wording_names_no_one(
    copies: dict[str, tuple[str, ...]],
) -> None:
    run = RUN.findall(copies["DUN"][0])[0]
    planted = "\n".join(RUN.sub(run, p) for p in copies["ARC"])
    found = trace(planted, copies)
    assert found.exact == "DUN" and found.verdict == "ambiguous" and found.named is None
    assert set(found.candidates) == {"ARC", "DUN"}


def test_the_original_is_no_recipients_copy(copies: dict[str, tuple[str, ...]]) -> None:
    found = trace("\n".join(DOC), copies)
    assert found.verdict == "ambiguous" and found.named is None
    assert all(s.matched < s.compared for s in found.ranking)


def test_trace_refuses_copies_of_different_documents(copies: dict[str, tuple[str, ...]]) -> None:
    with pytest.raises(ValueError):
        trace("anything", {"DUN": copies["DUN"], "ARC": DOC[:5]})
    with pytest.raises(ValueError):
        trace("anything", {})
    with pytest.raises(ValueError):
        trace("anything", copies, min_margin=0)
    with pytest.raises(TypeError):
        trace("anything", {"DUN": "\n".join(copies["DUN"])})


# --- properties -----------------------------------------------------------------------------

VOCABULARY = [
    "the", "Parties", "shall", "States", "Recalling", "and", "of", "resources,", "goals;",
    "whilst", "while", "for a while", "among", "amongst", "towards", "toward", "afterwards",
    "per cent", "percent", "co-operation", "cooperation", "co-ordinate", "e.g.,", "e.g.", "i.e.,",
    "recognizing", "Recognising", "WHILST", "acknowledgement", "[shall][should]", "[whilst]",
    "[co-operation among the Parties]", "[e.g., toward]",
]  # fmt: skip
paragraphs_ = st.lists(
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=24).map(" ".join),
    min_size=1,
    max_size=6,
)
recipients_ = st.lists(
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3), min_size=1, max_size=12,
    unique=True,
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs_, recipients_, st.binary(min_size=16, max_size=32))
def test_property_copies_change_only_listed_variants(
    paragraphs: list[str], recipients: list[str], secret: bytes
) -> None:
    copies = make_copies(paragraphs, recipients, secret)
    assert make_copies(paragraphs, recipients, secret) == copies
    for copy in copies.values():
        assert [canonical(p) for p in visible(copy)] == [canonical(p) for p in paragraphs]
        assert [brackets(p) for p in copy] == [brackets(p) for p in paragraphs]
    if capacity(paragraphs) >= len(recipients).bit_length():  # enough sites for distinct codewords
        texts = {visible(c) for c in copies.values()} | {tuple(paragraphs)}
        assert len(texts) == len(recipients) + 1


def check_trace(
    paragraphs: list[str], recipients: list[str], secret: bytes, data: st.DataObject
) -> None:
    """A part of a recipient's copy, in any layout, never traces to another recipient."""
    copies = make_copies(paragraphs, recipients, secret)
    source = data.draw(st.sampled_from(recipients))
    text = data.draw(st.sampled_from(["\n", "\n\n", " "])).join(copies[source])
    if data.draw(st.booleans()):
        text = ZW.sub("", text)
    if data.draw(st.booleans()):
        text = " ".join(text.split())
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    found = trace(text[start:end], copies)
    assert found.named in (None, source)
    standing = next(s for s in found.ranking if s.recipient == source)
    assert standing.matched == standing.compared  # a faithful part agrees at every site
    assert found.exact in (None, source)
    if found.verdict == "untraceable":
        assert found.candidates == ()
    else:
        assert source in found.candidates
    whole = trace(ZW.sub("", text), copies)
    assert whole.named in (None, source)
    assert source in whole.candidates or not capacity(paragraphs)
    assert whole.ranking[0].matched == whole.ranking[0].compared == capacity(paragraphs)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs_, recipients_, st.binary(min_size=16, max_size=32), st.data())
def test_property_trace_never_names_a_wrong_recipient(
    paragraphs: list[str], recipients: list[str], secret: bytes, data: st.DataObject
) -> None:
    check_trace(paragraphs, recipients, secret, data)


# Few words, so that the same words often surround different sites, and words that are the
# beginning of others ("the", "these"), so that a cut can make one pass for the other.
REPETITIVE = ["the", "these", "them", "a", "an", "Parties", "whilst", "while", "among",
              "amongst", "[among]", "per cent", "percent"]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.sampled_from(REPETITIVE), min_size=1, max_size=30).map(" ".join),
        min_size=1, max_size=4,
    ),
    recipients_,
    st.binary(min_size=16, max_size=16),
    st.data(),
)  # fmt: skip
def test_property_repetitive_texts_never_mislead(
    paragraphs: list[str], recipients: list[str], secret: bytes, data: st.DataObject
) -> None:
    check_trace(paragraphs, recipients, secret, data)


# --- the test vector of the protocol (docs: "Traceable copies") ------------------------------

VECTOR_TEXT = [
    "The Parties, whilst recognizing the need for co-operation among States, [shall][should] "
    "work towards the goal.",
    "Contributions rose by ten per cent, e.g., in 2024, amongst others.",
]
VECTOR_TAGS = {
    "DUN": "\u2060\u200d\u200d\u200c\u2060\u200c\u200c\u200c\u200b\u2060"
    "\u2060\u200b\u2060\u200b\u200c\u200c\u200c\u2060\u2060\u200c",
    "ARC": "\u2060\u200d\u200b\u200b\u200d\u200c\u200d\u2060\u2060\u2060"
    "\u200d\u200b\u200b\u200b\u2060\u200b\u200d\u2060\u200d\u200c",
    "BEL": "\u200b\u200c\u2060\u200c\u200d\u200c\u200d\u200c\u200b\u200b"
    "\u200c\u200c\u200d\u200b\u200d\u200d\u2060\u2060\u200c\u200b",
}
VECTOR_WORDING = {
    "DUN": ("recognising", "cooperation amongst", "towards", "per cent, e.g. in"),
    "ARC": ("recognizing", "cooperation amongst", "toward", "percent, e.g., in"),
    "BEL": ("recognising", "co-operation among", "toward", "percent, e.g. in"),
}


def test_the_protocol_test_vector() -> None:
    copies = make_copies(VECTOR_TEXT, ["DUN", "ARC", "BEL"], bytes(range(16)))
    assert capacity(VECTOR_TEXT) == 6
    for recipient, (recognize, cooperation, toward, per_cent) in VECTOR_WORDING.items():
        tag = VECTOR_TAGS[recipient]
        assert copies[recipient] == (
            f"The{tag} Parties, whilst {recognize} the need for {cooperation} States, "
            f"[shall][should] work {toward} the goal.",
            f"Contributions{tag} rose by ten {per_cent} 2024, amongst others.",
        )


def test_an_excerpt_that_gives_a_fixed_spelling_a_sites_context_still_agrees() -> None:
    """Found by Hypothesis: the copy's first "whilst" is never varied (too near the start to
    have two words before it), but an excerpt cut inside "per cent" gives it the context of
    the second, varied, one. The excerpt must still agree with its own copy everywhere."""
    paragraphs = ["per cent these whilst the these per cent these whilst the these the"]
    copies = make_copies(paragraphs, ["AAA"], bytes(16))
    excerpt = "\n".join(copies["AAA"])[1:52]
    [standing] = trace(excerpt, copies).ranking
    assert standing.matched == standing.compared == 1


def test_the_circulator_is_told_in_words_what_retyped_copies_can_be_told_apart() -> None:
    from accord.cli.documents import _traceability

    assert _traceability(0, 3).startswith("this text has no wording variant: a retyped copy")
    assert _traceability(1, 1).startswith("1 wording variant tells the copies apart")
    assert "among" not in _traceability(2, 3)
    assert "among at most 3 of the 4 recipients" in _traceability(2, 4)
