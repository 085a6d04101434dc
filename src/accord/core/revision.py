"""Revising a text by decision (docs/protocol.md 12.4.1): the next version computed from
the chair's choice on each open proposal, and the checks of a revision's outcomes.

The chair accepts a proposal (applied as worded: *incorporated*), merges it (in the chair's
own words for the paragraph: *merged*), rejects it (*dropped*) or carries it (it stays
open, against the next version: *carried*, rules of procedure 2). `revise` computes the
version; a version the chair edited is checked instead of the computed one. Under rules
of procedure 2 every member's fold applies the same checks to a revision
(`check_incorporated`, `carry`, `left_open`), so that a proposal is never listed
incorporated in a version that does not have it, nor left open against an old version.

The words a proposal names are found where the compiled text places it
(`Amendment.span`); `applied` is the one place a proposal's words are applied. Pure: the
versions and proposals are given.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.core.errors import AccordError
from accord.core.texts import (
    WORD_OPS,
    Amendment,
    Bracket,
    Paragraph,
    Proposal,
    Segment,
    Version,
    paragraph_label,
)

# The chair's choice on a proposal, and the outcome the revision lists for it.
CHOICES = {"accept": "incorporated", "merge": "merged", "reject": "dropped", "carry": "carried"}
OUTCOMES = frozenset({"incorporated", "merged", "dropped"})  # rules of procedure 1
OUTCOMES_2 = OUTCOMES | {"carried"}  # rules of procedure 2


class RevisionError(AccordError):
    """The revision cannot be made as asked, and why. `code` is stable, for programs and
    tests: conflict, bracket, empty, stale, not_open, owed, undecided, not_incorporated,
    cannot_carry, no_paragraph, choice, version."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# -- naming ------------------------------------------------------------------------------
def _quoted(words: str | None) -> str:
    shown = " ".join((words or "").split())
    return "'" + (shown if len(shown) <= 40 else shown[:39] + "…") + "'"


def asks(a: Amendment) -> str:
    """What a proposal asks, in a few words."""
    if a.op == "replace_words":
        return f"replace {_quoted(a.old)} with {_quoted(a.new)}"
    if a.op == "insert_words":
        where = f"after {_quoted(a.old)}" if a.old is not None else "at the start"
        return f"insert {_quoted(a.new)} {where}"
    if a.op == "delete_words":
        return f"delete {_quoted(a.old)}"
    if a.op == "replace_paragraph":
        return f"replace the paragraph by {_quoted(a.new)}"
    if a.op == "delete_paragraph":
        return "delete the paragraph"
    assert a.new_paragraph is not None
    return f"add paragraph {a.new_paragraph.number} after it"


def describe(p: Proposal, version: Version) -> str:
    """A proposal as people name it: its proponent, the paragraph by its number as printed
    in `version` (the one it was made on), and what it asks; never its hash."""
    paragraph = version.paragraph(p.amendment.paragraph)
    where = paragraph_label(paragraph) if paragraph else f"paragraph {p.amendment.paragraph}"
    return f"{p.state}'s proposal on {where} ({asks(p.amendment)})"


def number_key(number: str) -> str:
    """A paragraph number as people write it, in one form: `2.`, `PP 1`, `1 bis` and
    `Article 5 bis` are `2`, `pp1`, `1bis` and `5bis`."""
    text = number.strip().lstrip("[").rstrip(".):").strip().lower()
    text = re.sub(r"^(?:paragraph|para\.?|article|art\.?)\s*", "", text)
    return "".join(text.split())


# -- applying proposals ------------------------------------------------------------------
def _joined(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    """Adjacent plain segments joined, empty ones left out."""
    out: list[Segment] = []
    for s in segments:
        if isinstance(s, str) and out and isinstance(out[-1], str):
            out[-1] += s
        elif s != "":
            out.append(s)
    return tuple(out)


def _splice(segments: Sequence[Segment], start: int, end: int, new: str) -> tuple[Segment, ...]:
    """`new` in place of the characters `start` to `end` of the paragraph as rendered; a
    bracket tabled as such goes only as a whole."""
    before: list[Segment] = []
    after: list[Segment] = []
    at = 0
    for s in segments:
        text = s if isinstance(s, str) else s.render()
        a, b = at, at + len(text)
        at = b
        if b <= start:
            before.append(s)
        elif a >= end:
            after.append(s)
        elif isinstance(s, Bracket):
            if a < start or b > end:
                raise RevisionError("bracket", f"the words cut across the bracket {text}")
        else:  # cut: what stands before the place, and after it ("" if nothing)
            before.append(s[: max(start - a, 0)])
            after.append(s[end - a :])
    return _joined([*before, new, *after])


def applied(paragraph: Paragraph, amendments: Sequence[Amendment]) -> Paragraph:
    """The paragraph with word-level amendments applied, each where the compiled text
    places it (`Amendment.span`, in this paragraph); they must not touch the same words
    (`conflicts`). The last place first, so that each span still holds."""
    places = []
    for i, a in enumerate(amendments):
        span = a.span(paragraph)
        if span is None:
            raise RevisionError(
                "stale", f"the words {_quoted(a.old)} are not in {paragraph_label(paragraph)}"
            )
        places.append((*span, i))
    segments = paragraph.segments
    for start, end, i in sorted(places, reverse=True):
        try:
            segments = _splice(segments, start, end, amendments[i].new or "")
        except RevisionError as exc:
            raise RevisionError(
                exc.code, f"{asks(amendments[i])} in {paragraph_label(paragraph)}: {exc}; merge "
                "it in your own words",
            ) from exc  # fmt: skip
    return dataclasses.replace(paragraph, segments=segments)


def _applied_plain(paragraph: Paragraph, amendments: Sequence[Amendment]) -> str:
    """The paragraph's words, as rendered, with word-level amendments applied (that do not
    touch the same words), the last place first."""
    text = paragraph.plain
    places = []
    for a in amendments:
        span = a.span(paragraph)
        assert span is not None  # made on this paragraph
        places.append((*span, a.new or ""))  # a deletion has no new words
    for start, end, new in sorted(places, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _words(a: Amendment, paragraph: Paragraph) -> tuple[int, int, int | None]:
    """The characters a word-level amendment rests on: (start, end, insertion point). An
    insertion rests on the words it follows and changes none; the others change theirs."""
    span = a.span(paragraph)
    assert span is not None
    if a.op == "insert_words":
        return span[1] - len(a.old or ""), span[1], span[1]
    return span[0], span[1], None


def _clash(x: tuple[int, int, int | None], y: tuple[int, int, int | None]) -> bool:
    if x[2] is not None and y[2] is not None:  # two insertions: in what order?
        return x[2] == y[2]
    return x[0] < y[1] and y[0] < x[1]  # words one changes that the other rests on


def conflicts(current: Version, accepted: Sequence[Proposal]) -> None:
    """Refuse two accepted proposals that touch the same words (or the same paragraph as
    a whole, or number a new paragraph alike), naming both."""
    for i, p in enumerate(accepted):
        for q in accepted[i + 1 :]:
            why = _conflict(current, p, q)
            if why is not None:
                raise RevisionError(
                    "conflict",
                    f"{describe(p, current)} and {describe(q, current)} {why}: accept one, "
                    "and merge the other in your own words or reject it",
                )


def _conflict(current: Version, p: Proposal, q: Proposal) -> str | None:
    a, b = p.amendment, q.amendment
    if a.op == "add_after" or b.op == "add_after":
        if a.new_paragraph is None or b.new_paragraph is None:
            return None
        if a.new_paragraph.id == b.new_paragraph.id:
            return f"both add a paragraph {a.new_paragraph.id}"
        if _slot(a.new_paragraph) == _slot(b.new_paragraph):
            return f"both add a paragraph numbered {a.new_paragraph.number}"
        return None
    if a.paragraph != b.paragraph:
        return None
    if a.op not in WORD_OPS or b.op not in WORD_OPS:
        return "both change the paragraph"
    paragraph = current.paragraph(a.paragraph)
    assert paragraph is not None
    return "touch the same words" if _clash(_words(a, paragraph), _words(b, paragraph)) else None


def _slot(paragraph: Paragraph) -> tuple[str, str]:
    return paragraph.kind, number_key(paragraph.number)


def computed(
    current: Version,
    accepted: Sequence[Proposal],
    wording: Mapping[str, tuple[Segment, ...]],
) -> Version:
    """The next version: the accepted proposals applied as worded (each paragraph added
    after the one it follows, in the order proposed), then the chair's own wording for
    the paragraphs it names."""
    paragraphs: list[Paragraph] = []
    for paragraph in current.paragraphs:
        mine = [p.amendment for p in accepted if p.amendment.paragraph == paragraph.id]
        ops = {a.op for a in mine}
        new: Paragraph | None = None
        if "replace_paragraph" in ops:
            words = next(a.new for a in mine if a.op == "replace_paragraph")
            assert words is not None  # a replacement has its words
            new = dataclasses.replace(paragraph, segments=(words,))
        elif "delete_paragraph" not in ops:
            new = applied(paragraph, [a for a in mine if a.op in WORD_OPS])
        if new is not None:
            paragraphs.append(new)
        for p in sorted(accepted, key=_seq):
            if p.amendment.op == "add_after" and p.amendment.paragraph == paragraph.id:
                assert p.amendment.new_paragraph is not None
                paragraphs.append(p.amendment.new_paragraph)
    ids = {p.id for p in paragraphs}
    for pid in wording:
        if pid not in ids:
            raise RevisionError("no_paragraph", f"the next version has no paragraph {pid}")
    out = [
        dataclasses.replace(p, segments=_joined(wording[p.id])) if p.id in wording else p
        for p in paragraphs
    ]
    for paragraph in out:
        if not paragraph.plain.strip():
            raise RevisionError(
                "empty",
                f"{paragraph_label(paragraph)} would have no words left: delete the paragraph "
                "instead",
            )
    return Version(current.text_id, current.number + 1, current.title, tuple(out))


def _seq(p: Proposal) -> int:
    return p.seq


# -- the checks of a revision's outcomes -----------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(text.split())


def _count(text: str, words: str) -> int:
    """How often `words` stand in `text`, found as `Amendment.span` finds them."""
    n, at = 0, text.find(words)
    while at >= 0:
        n += 1
        at = text.find(words, at + 1)
    return n


def incorporation_problem(
    before: Version, after: Version, a: Amendment, others: Sequence[Amendment] = ()
) -> str | None:
    """Why version `after` does not have the effect of amendment `a`, made on `before`;
    None if it has. `others`: the other amendments listed incorporated with it. Spacing
    aside: a paragraph deleted is gone; one replaced reads as proposed; one added stands,
    as proposed, under an id new to the text. Words replaced, inserted or deleted: its new
    words stand in the paragraph at least as often, and the words it replaces or deletes
    no more often, as in the paragraph it was made on with it applied (together with the
    others made on that paragraph of that version, if none of them touch the same words;
    else alone). A paragraph that reads exactly so passes; one left as it was never does,
    whatever else the chair changed."""
    old = before.paragraph(a.paragraph)
    assert old is not None
    label = paragraph_label(old)
    new = after.paragraph(a.paragraph)
    if a.op == "add_after":
        assert a.new_paragraph is not None
        wanted = _norm(a.new_paragraph.plain)
        if any(
            _norm(p.plain) == wanted and before.paragraph(p.id) is None for p in after.paragraphs
        ):
            return None
        return f"version {after.number} has no new paragraph reading as proposed"
    if a.op == "delete_paragraph":
        return None if new is None else f"{label} is still in version {after.number}"
    if new is None:
        return f"{label} is not in version {after.number}"
    if a.op == "replace_paragraph":
        assert a.new is not None  # a replacement has its words
        same = _norm(new.plain) == _norm(a.new)
        return None if same else f"{label} of version {after.number} does not read as proposed"
    # Words (never blank: `Amendment.parse`), counted in the paragraph as the proposal
    # applied would leave it.
    expected = _norm(_applied_plain(old, _together(old, a, others)))
    text = _norm(new.plain)
    if a.new is not None and _count(text, _norm(a.new)) < _count(expected, _norm(a.new)):
        return f"{_quoted(a.new)} does not stand in {label} of version {after.number}"
    gone = a.old if a.op != "insert_words" else None  # an insertion's words stay
    more = gone is not None and _count(text, _norm(gone)) > _count(expected, _norm(gone))
    return f"{_quoted(gone)} still stands in {label} of version {after.number}" if more else None


def _together(paragraph: Paragraph, a: Amendment, others: Sequence[Amendment]) -> list[Amendment]:
    """`a` and the word-level amendments among `others` made on the same paragraph of the
    same version, if none of them touch the same words; else `a` alone."""
    same = [
        b for b in others
        if b is not a and b.op in WORD_OPS and (b.text_id, b.version, b.paragraph)
        == (a.text_id, a.version, a.paragraph)
    ]  # fmt: skip
    together = [a, *same]
    places = [_words(b, paragraph) for b in together]
    for i, x in enumerate(places):
        if any(_clash(x, y) for y in places[i + 1 :]):
            return [a]
    return together


def check_incorporated(
    before: Version, after: Version, p: Proposal, others: Sequence[Proposal] = ()
) -> None:
    """A proposal listed incorporated (with `others`) has its effect in the new version."""
    problem = incorporation_problem(before, after, p.amendment, [q.amendment for q in others])
    if problem is not None:
        raise RevisionError(
            "not_incorporated",
            f"{describe(p, before)} is listed incorporated, but {problem}: apply it as "
            "proposed, or list it merged",
        )


def carry(before: Version, after: Version, p: Proposal) -> Amendment:
    """The proposal (made on `before`) re-anchored to the next version `after`: its
    paragraph is still there and the words it names stand in it as often as they did
    (so the occurrence it names is the same); a paragraph it adds has an id still free."""
    a = p.amendment
    old = before.paragraph(a.paragraph)
    new = after.paragraph(a.paragraph)
    assert old is not None
    problem = None
    if new is None:
        problem = f"{paragraph_label(old)} is not in version {after.number}"
    elif a.old is not None and _count(new.plain, a.old) != _count(old.plain, a.old):
        problem = f"its words {_quoted(a.old)} no longer stand in it as they did"
    elif a.new_paragraph is not None and after.paragraph(a.new_paragraph.id) is not None:
        problem = f"version {after.number} already has a paragraph {a.new_paragraph.id}"
    if problem is not None:
        raise RevisionError(
            "cannot_carry",
            f"{describe(p, before)} cannot be carried to version {after.number}: {problem}; "
            "decide it (incorporated, merged or dropped)",
        )
    return dataclasses.replace(a, version=after.number)


def left_open(current: Version, open_: Sequence[Proposal], decided: Sequence[Proposal],
              carrying: bool = True) -> None:  # fmt: skip
    """Refuse a revision of `current` that says nothing of an open proposal made on it
    (`open_`): each is decided, or carried (rules of procedure 2)."""
    left = [p for p in open_ if p.amendment.version == current.number
            and all(p is not q for q in decided)]  # fmt: skip
    if not left:
        return
    what = "incorporated, merged, dropped or carried" if carrying else (
        "incorporated, merged or dropped (rules of procedure 1 carry none: its delegation may "
        "propose it again)"
    )  # fmt: skip
    raise RevisionError(
        "undecided",
        f"the revision of version {current.number} says nothing of "
        f"{'; '.join(describe(p, current) for p in left)}: say of each open proposal whether "
        f"it is {what}",
    )


def touched(before: Version, after: Version, a: Amendment) -> bool:
    """Whether the new version changed what the proposal is about: its paragraph changed
    or gone, or (a paragraph added) a paragraph new to the text. A merge that touches
    nothing merged nothing."""
    if a.op == "add_after":
        return any(before.paragraph(p.id) is None for p in after.paragraphs)
    old, new = before.paragraph(a.paragraph), after.paragraph(a.paragraph)
    assert old is not None
    return new is None or _norm(new.plain) != _norm(old.plain)


# -- the revision ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Revision:
    """The next version and what becomes of each proposal; `carried`, each carried
    proposal re-anchored; `untouched`, merged proposals whose paragraph did not change
    (the chair has yet to give the merged wording)."""

    version: Version
    outcomes: tuple[tuple[Proposal, str], ...]
    carried: tuple[tuple[Proposal, Amendment], ...]
    untouched: tuple[Proposal, ...]


def revise(
    versions: Sequence[Version],
    proposals: Sequence[Proposal],
    choices: Mapping[str, str],
    wording: Mapping[str, tuple[Segment, ...]] | None = None,
    edited: Version | None = None,
    carrying: bool = True,
) -> Revision:
    """The next version of a text (its `versions` so far) from the chair's choice on each
    of its open `proposals` (by id: accept, merge, reject, carry; every proposal made on
    the current version is chosen for, and one adopted by a decision is accepted), and
    the chair's `wording` for merged paragraphs (by paragraph id). With `edited` (the
    version as the chair edited it, numbered next), the outcomes are checked against it
    rather than the computed one. `carrying`: whether the rules allow carrying."""
    current = versions[-1]
    chosen = _chosen(versions, proposals, choices, carrying)
    accepted = [p for p, choice in chosen if choice == "accept"]
    for p in accepted:
        made_on = versions[p.amendment.version - 1].paragraph(p.amendment.paragraph)
        now = current.paragraph(p.amendment.paragraph)
        assert made_on is not None  # a proposal names a paragraph of its version
        if now is None or now.plain != made_on.plain:
            raise RevisionError(
                "stale", f"{describe(p, versions[p.amendment.version - 1])} was made on "
                f"version {p.amendment.version}, and the paragraph has changed since: merge "
                "it in your own words",
            )  # fmt: skip
    conflicts(current, accepted)
    if edited is None:
        version = computed(current, accepted, wording or {})
    elif (edited.text_id, edited.number) != (current.text_id, current.number + 1):
        raise RevisionError(
            "version", f"the edited text must be version {current.number + 1} of "
            f"{current.text_id}",
        )  # fmt: skip
    else:
        version = edited
    carried: list[tuple[Proposal, Amendment]] = []
    untouched: list[Proposal] = []
    for p, choice in chosen:
        before = versions[p.amendment.version - 1]
        if choice == "accept":
            check_incorporated(before, version, p, accepted)
        elif choice == "carry":
            carried.append((p, carry(before, version, p)))
        elif choice == "merge" and not touched(before, version, p.amendment):
            untouched.append(p)
    outcomes = tuple((p, CHOICES[choice]) for p, choice in chosen)
    return Revision(version, outcomes, tuple(carried), tuple(untouched))


def _chosen(
    versions: Sequence[Version], proposals: Sequence[Proposal], choices: Mapping[str, str],
    carrying: bool,
) -> list[tuple[Proposal, str]]:  # fmt: skip
    """Each proposal with the choice made on it, checked: open proposals only, one of the
    choices, a proposal adopted by a decision accepted, none made on the current version
    left out."""
    by_id = {p.id: p for p in proposals}
    for pid, choice in choices.items():
        if pid not in by_id:
            raise RevisionError("not_open", f"no open proposal {pid} on {versions[-1].text_id}")
        if choice not in CHOICES or (choice == "carry" and not carrying):
            allowed = [c for c in CHOICES if carrying or c != "carry"]
            raise RevisionError("choice", f"{choice!r} is not one of {', '.join(allowed)}")
    for p in proposals:
        if p.decided == "adopted" and choices.get(p.id) != "accept":
            raise RevisionError(
                "owed", f"{describe(p, versions[p.amendment.version - 1])} was adopted by a "
                "decision: it is accepted",
            )  # fmt: skip
    chosen = [(p, choices[p.id]) for p in proposals if p.id in choices]
    left_open(versions[-1], [p for p in proposals if p.open], [p for p, _ in chosen], carrying)
    return chosen
