"""Word documents in and out: import a negotiating text typed as a secretariat types it,
and export the compiled text as a document a secretariat would circulate.

Import reads the document's paragraphs as typed text (`accord.documents.typed_text`: numbered
paragraphs, square brackets, alternatives; the first line is the title). Export writes
one Word paragraph per line of the compiled rendering, brackets and attributions
included, so that importing an exported text loses neither.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Pt

from accord.core.negotiation import Negotiation
from accord.documents.errors import DocumentError
from accord.documents.typed_text import Reading, TypedTextError, read_lines, version_lines

__all__ = ["DocxImportError", "export_compiled", "export_docx", "import_docx", "version_lines"]


class DocxImportError(DocumentError):
    """The document does not hold a negotiating text this importer can read."""


def import_docx(path: Path, text_id: str, version: int = 1) -> dict[str, Any]:
    """A version (as JSON, ready to table) from a Word document."""
    return read_docx(path, text_id, version).version


def read_docx(path: Path, text_id: str, version: int = 1) -> Reading:
    """A Word document read as a typed text: the version and what became of each of its
    paragraphs (numbered as Word shows them, from 1)."""
    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file it cannot read
        raise DocxImportError(f"{path} is not a Word document: {exc}") from exc
    try:
        return read_lines([p.text for p in document.paragraphs], text_id, version)
    except TypedTextError as exc:
        raise DocxImportError(f"{path}: {exc}") from exc


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
