"""A negotiating text typed as a secretariat types it, read into a version.

The same reading serves a Word document (`documents.word`) and the chair's text box in the web
interface. It recognises the numbering schemes diplomats use, possibly inside an opening
bracket: preambular `PP1`, `PP 1.`; operative `1.`, `1)`, `2a.`, `1 bis.`, `2 ter)`,
`3.1.`; `Article 7`, `Article 7 bis`. Subparagraphs (`(a)`, `(iv)`) continue the paragraph
above, as do other lines. Square brackets and bracketed alternatives (`[shall][should]` is
one place with two alternatives; a lone `[text]` is text that may go) become structure.
The first line is the title; front matter before the first numbered paragraph and short
headings ("Operative part") are skipped. Every line is accounted for (`read_lines`): placed
in a paragraph, or skipped with the reason, so that a preview shows what was not taken; a
line that starts like a paragraph number the reader cannot read (`PP. text`) is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from accord.core.errors import AccordError
from accord.core.texts import MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS, NO_TEXT, Version
from accord.documents.errors import DocumentError

_LATIN = r"(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)"
# Preambular: "PP1", "PP 1." (the full stop or parenthesis optional).
_PREAMBULAR = re.compile(r"^(\[?)PP\s?(\d+)[.)]?\s+(.*)$", re.DOTALL)
# Operative: "1.", "1)", "2a.", "1 bis.", "2 ter)", "3.1." (a full stop or parenthesis after).
_OPERATIVE = re.compile(rf"^(\[?)(\d+(?:\.\d+)*(?:[a-z]|\s{_LATIN})?)[.)]\s+(.*)$", re.DOTALL)
_ARTICLE = re.compile(rf"^(\[?)Article\s+(\d+(?:[A-Za-z]|\s{_LATIN})?)\b[.:]?\s*(.*)$",
                      re.DOTALL)  # fmt: skip
# What looks like a paragraph number but is none of the above: "PP. text", "3.a text".
_UNREADABLE = re.compile(r"^\[?(?:PP\b|PP\s*[^\d\s]|\d+[.)]?[A-Za-z]{1,2}[.)]\s)")


class TypedTextError(DocumentError):
    """The typed text is not a negotiating text this reader can take, and why."""


EMPTY = frozenset({NO_TEXT, NO_TEXT.capitalize(), "—"})  # an empty alternative, as typed


def _segments(text: str) -> list[Any]:
    """Plain text and bracket groups: consecutive `[..]` make one group of alternatives."""
    out: list[Any] = []
    i, plain = 0, ""
    while i < len(text):
        if text[i] != "[":
            plain += text[i]
            i += 1
            continue
        alternatives = []
        j = i
        while j < len(text) and text[j] == "[":
            end = _closing(text, j)
            if end < 0:
                break
            alternatives.append(text[j + 1 : end])
            j = end + 1
        if not alternatives:
            plain += text[i]
            i += 1
            continue
        if plain:
            out.append(plain)
            plain = ""
        # "no text" (or "—", as plain text has it) is an empty alternative; a lone bracket is
        # text that may go, a bracket of one alternative.
        out.append({"alternatives": ["" if a in EMPTY else a for a in alternatives]})
        i = j
    if plain:
        out.append(plain)
    return out


def _closing(text: str, start: int) -> int:
    """The index of the `]` closing the `[` at `start`, nested brackets allowed."""
    depth = 0
    for k in range(start, len(text)):
        if text[k] == "[":
            depth += 1
        elif text[k] == "]":
            depth -= 1
            if depth == 0:
                return k
    return -1


def _heading(line: str) -> bool:
    text = line.strip()
    return len(text) < 80 and not text.endswith((".", ",", ";", ":", "]", ")"))


@dataclass(frozen=True)
class Reading:
    """A typed text read: the version, and what became of each non-empty line (its number
    in the input, counting from 1, and the paragraph it went to or why it was skipped)."""

    version: dict[str, Any]
    lines: tuple[tuple[int, str, str], ...]  # line number, the line, what became of it

    @property
    def skipped(self) -> list[tuple[int, str, str]]:
        return [x for x in self.lines if x[2].startswith("skipped")]


def version_from_lines(lines: list[str], text_id: str, version: int = 1) -> dict[str, Any]:
    """A version (as JSON, ready to table) from the typed lines: the title, then the
    numbered paragraphs."""
    return read_lines(lines, text_id, version).version


def _number(line: str) -> tuple[str, str, str, str] | None:
    """(kind, number, opening bracket, rest) of a numbered paragraph's first line."""
    for kind, pattern in (("preambular", _PREAMBULAR), ("article", _ARTICLE),
                          ("operative", _OPERATIVE)):  # fmt: skip
        m = pattern.match(line)
        if m is not None:
            number = " ".join(m.group(2).split())
            return kind, f"PP{number}" if kind == "preambular" else number, m.group(1), m.group(3)
    return None


def read_lines(lines: list[str], text_id: str, version: int = 1) -> Reading:
    """The version from the typed lines, with what became of every line."""
    numbered_lines = [(i, line) for i, line in enumerate(lines, 1) if line.strip()]
    lines = [line for _, line in numbered_lines]
    if not lines:
        raise TypedTextError("there is no text")
    if len(lines) > 4 * MAX_PARAGRAPHS or any(len(x) > MAX_PARAGRAPH_CHARS for x in lines):
        raise TypedTextError(
            f"it is larger than a negotiating text may be ({MAX_PARAGRAPHS} paragraphs "
            f"of at most {MAX_PARAGRAPH_CHARS} characters)"
        )
    title, body = lines[0].strip(), numbered_lines[1:]
    paragraphs: list[dict[str, Any]] = []
    texts: list[str] = []
    fates: list[tuple[int, str, str]] = [(numbered_lines[0][0], lines[0], "title")]
    first_line: dict[str, int] = {}
    for at, line in body:
        found = _number(line.strip())
        if found is not None:
            kind, number, bracket, rest = found
            if number in first_line:
                raise TypedTextError(
                    f"paragraph {number} is numbered twice (lines {first_line[number]} and {at})"
                )
            first_line[number] = at
            prefix = {"preambular": "", "operative": "op", "article": "art"}[kind]
            pid = re.sub(r"[^a-z0-9]+", "-", f"{prefix}{number}".lower()).strip("-")
            paragraphs.append({"id": pid, "kind": kind, "number": number})
            texts.append(bracket + rest)
            fates.append((at, line, f"paragraph {number}"))
        elif _UNREADABLE.match(line.strip()):
            raise TypedTextError(
                f"line {at} starts like a paragraph number this reader cannot read "
                f"({line.strip()[:30]!r}): write PP1 for the preamble, 1. (or 1 bis., 2a.) for "
                "an operative paragraph, Article 1 for an article"
            )
        elif texts and not _heading(line):
            texts[-1] += "\n" + line
            fates.append((at, line, f"continues paragraph {paragraphs[-1]['number']}"))
        else:
            # A heading ("Operative part") or front matter before the first numbered
            # paragraph (a note on the draft's status): not part of the text.
            why = "a heading" if texts else "before the first numbered paragraph"
            fates.append((at, line, f"skipped: {why}"))
    if not paragraphs:
        raise TypedTextError(
            "it has no numbered paragraphs (PP1. for the preamble, 1. for operative ones)"
        )
    for paragraph, text in zip(paragraphs, texts, strict=True):
        paragraph["segments"] = _segments(text)
    value = {"text": text_id, "version": version, "title": title, "paragraphs": paragraphs}
    try:
        Version.parse(value)  # what every member will check
    except AccordError as exc:
        raise TypedTextError(str(exc)) from exc
    return Reading(value, tuple(fates))


def version_lines(version: Version) -> list[str]:
    """The version typed back: one line per paragraph, tabled brackets included."""
    return [f"{p.number}. {p.plain}" for p in version.paragraphs]
