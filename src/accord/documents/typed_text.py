"""A negotiating text typed as a secretariat types it, read into a version.

The same reading serves a Word document (`documents.word`) and the chair's text box in the web
interface. It recognises numbered paragraphs (`PP1.`, `1.`, `3.1.`, and `Article 7`,
possibly inside an opening bracket), square brackets and bracketed alternatives
(`[shall][should]` is one place with two alternatives; a lone `[text]` is text that may
go), and turns them into a version whose brackets are structure. The first line is the
title; front matter before the first numbered paragraph and short headings ("Operative
part") are skipped; other lines continue the paragraph above.
"""

from __future__ import annotations

import re
from typing import Any

from accord.core.errors import AccordError
from accord.core.texts import MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS, NO_TEXT, Version
from accord.documents.errors import DocumentError

_NUMBERED = re.compile(r"^(\[?)(PP\d+|\d+(?:\.\d+)*)\.\s+(.*)$", re.DOTALL)
_ARTICLE = re.compile(r"^(\[?)Article\s+(\d+[A-Za-z]?)\b[.:]?\s*(.*)$", re.DOTALL)


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


def version_from_lines(lines: list[str], text_id: str, version: int = 1) -> dict[str, Any]:
    """A version (as JSON, ready to table) from the typed lines: the title, then the
    numbered paragraphs."""
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise TypedTextError("there is no text")
    if len(lines) > 4 * MAX_PARAGRAPHS or any(len(x) > MAX_PARAGRAPH_CHARS for x in lines):
        raise TypedTextError(
            f"it is larger than a negotiating text may be ({MAX_PARAGRAPHS} paragraphs "
            f"of at most {MAX_PARAGRAPH_CHARS} characters)"
        )
    title, body = lines[0].strip(), lines[1:]
    paragraphs: list[dict[str, Any]] = []
    texts: list[str] = []
    for line in body:
        numbered = _NUMBERED.match(line.strip())
        article = _ARTICLE.match(line.strip())
        if numbered or article:
            m = numbered or article
            assert m is not None
            bracket, number, rest = m.group(1), m.group(2), m.group(3)
            kind = (
                "article" if article else "preambular" if number.startswith("PP") else "operative"
            )
            prefix = {"preambular": "", "operative": "op", "article": "art"}[kind]
            pid = re.sub(r"[^a-z0-9]+", "-", f"{prefix}{number}".lower()).strip("-")
            paragraphs.append({"id": pid, "kind": kind, "number": number})
            texts.append(bracket + rest)
        elif texts and not _heading(line):
            texts[-1] += "\n" + line
        # Otherwise a heading ("Operative part") or front matter before the first
        # numbered paragraph (a note on the draft's status): not part of the text.
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
    return value


def version_lines(version: Version) -> list[str]:
    """The version typed back: one line per paragraph, tabled brackets included."""
    return [f"{p.number}. {p.plain}" for p in version.paragraphs]
