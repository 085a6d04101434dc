"""Negotiating texts: versions of numbered paragraphs, proposals against them, and the
compiled text as diplomats read it, unagreed parts in square brackets with attributions.

Brackets are structure, never characters: a paragraph is a sequence of plain segments and
`Bracket`s (alternatives tabled as such, "" for "no text"), and the compiled text adds a
bracket for every open proposal. `[` and `]` appear only when a text is rendered.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from accord.core import schema
from accord.core.encoding import hash_json
from accord.core.errors import SchemaError

PARAGRAPH_KINDS = frozenset({"preambular", "operative", "article"})
OPS = frozenset(
    {"replace_words", "insert_words", "delete_words", "replace_paragraph", "add_after",
     "delete_paragraph"}
)  # fmt: skip
WORD_OPS = frozenset({"replace_words", "insert_words", "delete_words"})
TEXT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
PARAGRAPH_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
MAX_PARAGRAPHS = 2000
MAX_PARAGRAPH_CHARS = 20_000
MAX_ALTERNATIVES = 32
NO_TEXT = "no text"  # how an empty alternative is printed in a compiled text


@dataclass(frozen=True)
class Bracket:
    """Alternatives for one place in a paragraph, none agreed ("" means no text)."""

    alternatives: tuple[str, ...]

    def render(self) -> str:
        """As the protocol's plain text has it (what amendments quote): "" is "[—]"."""
        return "".join(f"[{a}]" if a else "[—]" for a in self.alternatives)

    def display(self) -> str:
        """As a negotiating text prints it: an empty alternative is "[no text]"."""
        return "".join(f"[{a}]" if a else f"[{NO_TEXT}]" for a in self.alternatives)


Segment = str | Bracket


def _segments(value: Any, what: str) -> tuple[Segment, ...]:
    if not isinstance(value, list) or not value:
        raise SchemaError(f"{what} must be a non-empty list of segments")
    out: list[Segment] = []
    for item in value:
        if isinstance(item, str):
            out.append(schema.text(item, what, max_len=MAX_PARAGRAPH_CHARS, pattern=_ANY))
        else:
            d = schema.obj(item, f"{what} bracket", ("alternatives",))
            alts = d["alternatives"]
            # One alternative: text not agreed, which may go; several: competing wordings.
            if not isinstance(alts, list) or not 1 <= len(alts) <= MAX_ALTERNATIVES:
                raise SchemaError(f"a bracket holds 1 to {MAX_ALTERNATIVES} alternatives")
            out.append(
                Bracket(
                    tuple(schema.text(a, "alternative", MAX_PARAGRAPH_CHARS, _ANY) for a in alts)
                )
            )
    return tuple(out)


_ANY = re.compile(r"(?s).*")  # any text, blank allowed (a bracket alternative may be empty)


@dataclass(frozen=True)
class Paragraph:
    id: str
    kind: str
    number: str
    segments: tuple[Segment, ...]

    @classmethod
    def parse(cls, value: Any) -> Paragraph:
        d = schema.obj(value, "paragraph", ("id", "kind", "number", "segments"))
        paragraph = cls(
            id=schema.text(d["id"], "paragraph id", pattern=PARAGRAPH_ID),
            kind=schema.choice(d["kind"], "paragraph kind", PARAGRAPH_KINDS),
            number=schema.text(d["number"], "paragraph number", max_len=16),
            segments=_segments(d["segments"], "paragraph text"),
        )
        if not paragraph.plain.strip():
            raise SchemaError(f"paragraph {paragraph.id} is empty")
        return paragraph

    @classmethod
    def of_text(cls, id: str, kind: str, number: str, text: str) -> Paragraph:
        return cls(id, kind, number, (text,))

    @property
    def plain(self) -> str:
        """The paragraph as rendered, tabled brackets included: what proposals address."""
        return "".join(s if isinstance(s, str) else s.render() for s in self.segments)

    @property
    def bracketed(self) -> bool:
        return any(isinstance(s, Bracket) for s in self.segments)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "number": self.number,
            "segments": [
                s if isinstance(s, str) else {"alternatives": list(s.alternatives)}
                for s in self.segments
            ],
        }


@dataclass(frozen=True)
class Version:
    """One version of a negotiating text: the chair's tabled text or a revision."""

    text_id: str
    number: int
    title: str
    paragraphs: tuple[Paragraph, ...]

    @classmethod
    def parse(cls, value: Any) -> Version:
        d = schema.obj(value, "text version", ("text", "version", "title", "paragraphs"))
        raw = d["paragraphs"]
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_PARAGRAPHS:
            raise SchemaError(f"a text has 1 to {MAX_PARAGRAPHS} paragraphs")
        paragraphs = tuple(Paragraph.parse(p) for p in raw)
        ids = [p.id for p in paragraphs]
        if len(set(ids)) != len(ids):
            raise SchemaError("paragraph ids must be distinct")
        return cls(
            text_id=schema.text(d["text"], "text id", pattern=TEXT_ID),
            number=schema.integer(d["version"], "version number", 1),
            title=schema.text(d["title"], "text title", max_len=500),
            paragraphs=paragraphs,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text_id,
            "version": self.number,
            "title": self.title,
            "paragraphs": [p.to_json() for p in self.paragraphs],
        }

    @property
    def hash(self) -> str:
        """The version's identity: what decisions and signatures name."""
        return hash_json(self.to_json())

    def paragraph(self, pid: str) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.id == pid), None)


@dataclass(frozen=True)
class Amendment:
    """What a proposal asks, against one paragraph of one version."""

    text_id: str
    version: int
    paragraph: str
    op: str
    old: str | None  # the words replaced or deleted, or after which words are inserted
    occurrence: int  # which occurrence of `old` in the paragraph (1 = first)
    new: str | None  # the new words, or the new paragraph's text
    new_paragraph: Paragraph | None  # for add_after
    rationale: str | None

    @classmethod
    def parse(cls, value: Any) -> Amendment:
        d = schema.obj(
            value, "amendment",
            ("text", "version", "paragraph", "op", "old", "occurrence", "new", "new_paragraph",
             "rationale"),
        )  # fmt: skip
        op = schema.choice(d["op"], "amendment kind", OPS)
        old = None if d["old"] is None else schema.text(d["old"], "words", MAX_PARAGRAPH_CHARS)
        new = None if d["new"] is None else schema.text(d["new"], "new words", MAX_PARAGRAPH_CHARS)
        new_paragraph = None if d["new_paragraph"] is None else Paragraph.parse(d["new_paragraph"])
        rationale = (
            None if d["rationale"] is None
            else schema.text(d["rationale"], "rationale", schema.MAX_REASON)
        )  # fmt: skip
        needs = {
            "replace_words": (True, True, False), "insert_words": (None, True, False),
            "delete_words": (True, False, False), "replace_paragraph": (False, True, False),
            "add_after": (False, False, True), "delete_paragraph": (False, False, False),
        }[op]  # fmt: skip
        for name, wanted, present in zip(
            ("old", "new", "new_paragraph"), needs, (old, new, new_paragraph), strict=True
        ):
            if wanted is True and present is None:
                raise SchemaError(f"a {op} amendment needs {name!r}")
            if wanted is False and present is not None:
                raise SchemaError(f"a {op} amendment has no {name!r}")
        return cls(
            text_id=schema.text(d["text"], "text id", pattern=TEXT_ID),
            version=schema.integer(d["version"], "version number", 1),
            paragraph=schema.text(d["paragraph"], "paragraph id", pattern=PARAGRAPH_ID),
            op=op, old=old, occurrence=schema.integer(d["occurrence"], "occurrence", 1),
            new=new, new_paragraph=new_paragraph, rationale=rationale,
        )  # fmt: skip

    def span(self, paragraph: Paragraph) -> tuple[int, int] | None:
        """Where a word-level amendment applies in the paragraph's text: (start, end), an
        empty span for an insertion; None if the words are not there."""
        text = paragraph.plain
        if self.op == "insert_words" and self.old is None:
            return (0, 0)
        assert self.old is not None
        at = -1
        for _ in range(self.occurrence):
            at = text.find(self.old, at + 1)
            if at < 0:
                return None
        end = at + len(self.old)
        return (end, end) if self.op == "insert_words" else (at, end)


@dataclass
class Proposal:
    id: str  # the hash of the event that made it
    seq: int
    state: str  # the proposing delegation
    amendment: Amendment
    supporters: dict[str, int] = field(default_factory=dict)  # state -> seq
    opposers: dict[str, int] = field(default_factory=dict)
    withdrawn_at: int | None = None
    outcome: str | None = None  # incorporated, merged or dropped by a revision
    decided: str | None = None  # adopted or rejected by a decision on it (procedure 2)

    @property
    def open(self) -> bool:
        return self.withdrawn_at is None and self.outcome is None and self.decided is None

    def attribution(self, deletion: bool = False) -> str:
        parts = [f"{'Deletion proposed' if deletion else 'Proposed'}: {self.state}"]
        if self.decided == "adopted":
            parts.append("adopted by decision, to be incorporated")
        if self.supporters:
            parts.append(f"supported: {', '.join(sorted(self.supporters))}")
        if self.opposers:
            parts.append(f"opposed: {', '.join(sorted(self.opposers))}")
        return "; ".join(parts)


def paragraph_label(paragraph: Paragraph) -> str:
    """A paragraph as a diplomat names it: "Article 3" as numbered, else "paragraph 2"."""
    return paragraph.number if paragraph.kind == "article" else f"paragraph {paragraph.number}"


# -- the compiled text -------------------------------------------------------------------
@dataclass(frozen=True)
class Alternative:
    text: str  # "" for no text (a deletion)
    proposal: Proposal | None  # None: the text as tabled


@dataclass(frozen=True)
class Place:
    """A bracketed place in a compiled paragraph: the tabled words and the proposals."""

    alternatives: tuple[Alternative, ...]


Piece = str | Bracket | Place


@dataclass(frozen=True)
class CompiledParagraph:
    paragraph: Paragraph
    status: str  # "open" or "agreed_ad_ref"
    pieces: tuple[Piece, ...]
    replacements: tuple[Proposal, ...]  # whole-paragraph alternatives
    deletions: tuple[Proposal, ...]
    unplaced: tuple[Proposal, ...]  # words not found, or overlapping another place
    proposed: bool = False  # a new paragraph proposed by `replacements[0]`'s author
    note: str = ""  # shown beside it: who reopened it and why, a provisional mark

    def render(self) -> str:
        """The paragraph as a secretariat would circulate it."""
        body = "".join(_render_piece(p) for p in self.pieces)
        number = f"{self.paragraph.number}. "
        lines = [number + body]
        if self.proposed:
            lines = [f"{number}[{body} ({self.replacements[0].attribution()})]"]
        if self.deletions:
            lines[0] = f"{number}[{body}][DELETE ({_joined(self.deletions, deletion=True)})]"
        for n, alt in enumerate(self.replacements if not self.proposed else (), start=2):
            assert alt.amendment.new is not None
            lines.append(f"   Alt. {n}: [{alt.amendment.new}] ({alt.attribution()})")
        for p in self.unplaced:
            lines.append(
                f"   (Proposal by {p.state} not placed: words not found: {p.amendment.old!r})"
            )
        if self.status == "agreed_ad_ref":
            lines[0] += "  (agreed ad ref)"
        if self.note:
            lines[0] += f"  ({self.note})"
        return "\n".join(lines)


def _joined(proposals: tuple[Proposal, ...], deletion: bool = False) -> str:
    return " / ".join(p.attribution(deletion) for p in proposals)


def _render_piece(piece: Piece) -> str:
    if isinstance(piece, str):
        return piece
    if isinstance(piece, Bracket):
        return piece.display()
    shown = [a for a in piece.alternatives if a.proposal is not None or a.text]
    # Competing alternatives are numbered, as in a compilation text: "[(1) shall][(2) should
    # (Proposed: CAL)]"; a single insertion is not.
    numbered = len(shown) > 1
    lead = " " if any(a.text.startswith(" ") for a in shown) else ""
    out = []
    for k, alt in enumerate(shown, start=1):
        label = f"({k}) " if numbered else ""
        words = alt.text.strip() if numbered else alt.text
        if alt.proposal is None:
            out.append(f"[{label}{words}]")
        elif alt.text:
            out.append(f"[{label}{words} ({alt.proposal.attribution()})]")
        else:
            out.append(f"[{label}DELETE ({alt.proposal.attribution(deletion=True)})]")
    return (lead if numbered else "") + "".join(out)


def compile_paragraph(
    paragraph: Paragraph, proposals: list[Proposal], status: str
) -> CompiledParagraph:
    """One paragraph with its open proposals as bracketed alternatives."""
    word = [p for p in proposals if p.amendment.op in WORD_OPS]
    replacements = tuple(p for p in proposals if p.amendment.op == "replace_paragraph")
    deletions = tuple(p for p in proposals if p.amendment.op == "delete_paragraph")
    text = paragraph.plain
    places: dict[tuple[int, int], list[Proposal]] = {}
    unplaced: list[Proposal] = []
    for p in word:
        span = p.amendment.span(paragraph)
        if span is None:
            unplaced.append(p)
        else:
            places.setdefault(span, []).append(p)
    pieces: list[Piece] = []
    cursor = 0
    for (start, end), group in sorted(places.items()):
        if start < cursor:  # overlaps a place already bracketed
            unplaced.extend(group)
            continue
        if start > cursor:
            pieces.append(text[cursor:start])
        tabled = text[start:end]
        alternatives = [Alternative(tabled, None)]
        for p in sorted(group, key=lambda q: q.seq):
            new = "" if p.amendment.op == "delete_words" else (p.amendment.new or "")
            alternatives.append(Alternative(new, p))
        pieces.append(Place(tuple(alternatives)))
        cursor = end
    if cursor < len(text):
        pieces.append(text[cursor:])
    if not places:  # keep the tabled brackets as structure
        pieces = list(paragraph.segments)
    return CompiledParagraph(
        paragraph, status, tuple(pieces), replacements, deletions, tuple(unplaced)
    )


@dataclass(frozen=True)
class ParagraphDiff:
    paragraph: str
    number: str
    change: str  # added, removed, changed
    before: str | None
    after: str | None
    words: str  # a word-level diff: [-removed-] {+added+}
    # The same as runs of words: ("same" | "removed" | "added", words). A text may itself
    # hold "[-" or "{+": show changes from these, never by parsing `words`.
    parts: tuple[tuple[str, str], ...] = ()


def diff_versions(a: Version, b: Version) -> list[ParagraphDiff]:
    """Paragraph by paragraph, by stable id: what changed from `a` to `b`."""
    out = []
    before = {p.id: p for p in a.paragraphs}
    after = {p.id: p for p in b.paragraphs}
    order = [p.id for p in b.paragraphs] + [p.id for p in a.paragraphs if p.id not in after]
    for pid in order:
        old, new = before.get(pid), after.get(pid)
        if old is not None and new is not None and old.plain == new.plain:
            continue
        change = "added" if old is None else "removed" if new is None else "changed"
        number = (new or old).number  # type: ignore[union-attr]
        parts = _word_parts(old.plain if old else "", new.plain if new else "")
        out.append(
            ParagraphDiff(pid, number, change, old.plain if old else None,
                          new.plain if new else None, _marked(parts), parts)
        )  # fmt: skip
    return out


def _word_parts(a: str, b: str) -> tuple[tuple[str, str], ...]:
    x, y = a.split(), b.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=x, b=y, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(x[i1:i2])))
            continue
        if i2 > i1:
            out.append(("removed", " ".join(x[i1:i2])))
        if j2 > j1:
            out.append(("added", " ".join(y[j1:j2])))
    return tuple(out)


def _marked(parts: tuple[tuple[str, str], ...]) -> str:
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    return " ".join(marks[op].format(words) for op, words in parts)
