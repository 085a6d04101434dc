"""Word documents in and out: import a negotiating text typed as a secretariat types it,
and export the compiled text as a document a secretariat would circulate.

Import recognises numbered paragraphs (`PP1.`, `1.`, `3.1.`, and `Article 7`, possibly
inside an opening bracket), square brackets and bracketed alternatives (`[shall][should]`
is one place with two alternatives; a lone `[text]` is text that may go), and turns them
into a version whose brackets are structure. The first line is the title; front matter
before the first numbered paragraph and short headings ("Operative part") are skipped;
other lines continue the paragraph above. Export writes one Word paragraph per line of
the compiled rendering, brackets and attributions included, so that importing an
exported text loses neither.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Pt

from accord.core.errors import AccordError
from accord.core.negotiation import Negotiation
from accord.core.texts import MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS, Version

_NUMBERED = re.compile(r"^(\[?)(PP\d+|\d+(?:\.\d+)*)\.\s+(.*)$", re.DOTALL)
_ARTICLE = re.compile(r"^(\[?)Article\s+(\d+[A-Za-z]?)\b[.:]?\s*(.*)$", re.DOTALL)


class DocxImportError(ValueError):
    """The document does not hold a negotiating text this importer can read."""


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
        # "—" is how an empty alternative is printed (`Bracket.render`); a lone bracket is
        # text that may go, a bracket of one alternative.
        out.append({"alternatives": ["" if a == "—" else a for a in alternatives]})
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


def import_docx(path: Path, text_id: str, version: int = 1) -> dict[str, Any]:
    """A version (as JSON, ready to table) from a Word document."""
    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file it cannot read
        raise DocxImportError(f"{path} is not a Word document: {exc}") from exc
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    if not lines:
        raise DocxImportError(f"{path} holds no text")
    if len(lines) > 4 * MAX_PARAGRAPHS or any(len(x) > MAX_PARAGRAPH_CHARS for x in lines):
        raise DocxImportError(
            f"{path} is larger than a negotiating text may be ({MAX_PARAGRAPHS} paragraphs "
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
        raise DocxImportError(f"{path} has no numbered paragraphs")
    for paragraph, text in zip(paragraphs, texts, strict=True):
        paragraph["segments"] = _segments(text)
    value = {"text": text_id, "version": version, "title": title, "paragraphs": paragraphs}
    try:
        Version.parse(value)  # what every member will check
    except AccordError as exc:
        raise DocxImportError(f"{path}: {exc}") from exc
    return value


def version_lines(version: Version) -> list[str]:
    return [f"{p.number}. {p.plain}" for p in version.paragraphs]


def export_docx(path: Path, title: str, lines: list[str], *, subtitle: str, footer: str) -> None:
    """A circulated document: title, the paragraphs, brackets in bold."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    document.add_paragraph(title)
    note = document.add_paragraph()
    note.add_run(subtitle).italic = True
    for line in lines:
        for part in line.split("\n"):
            paragraph = document.add_paragraph()
            for piece in re.split(r"(\[[^\[\]]*\])", part):
                if piece:
                    paragraph.add_run(piece).bold = piece.startswith("[")
    document.sections[0].footer.paragraphs[0].text = footer
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def export_compiled(path: Path, negotiation: Negotiation, text_id: str) -> None:
    record = negotiation.texts[text_id]
    version = record.current
    lines = [c.render() for c in negotiation.compiled(text_id)]
    export_docx(
        path, version.title, lines,
        subtitle=f"Compiled text, version {version.number}: unagreed text in square "
                 "brackets, with the delegations that proposed, supported and opposed it",
        footer=f"{text_id} version {version.number} {version.hash}",
    )  # fmt: skip
