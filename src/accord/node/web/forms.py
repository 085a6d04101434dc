"""Forms: the fields a delegate filled in, read strictly; a text typed or a Word draft
as a version; the reasons shown when a form cannot make an act."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile

from accord.core.errors import AccordError
from accord.documents.typed_text import TypedTextError, version_from_lines
from accord.documents.word import DocxImportError, import_docx
from accord.node.client import RelayError


class FormError(AccordError):
    """A form the delegate filled in cannot make an act, and why."""


def reason(exc: Exception) -> str:
    if isinstance(exc, RelayError):
        return f"the relay refused ({exc.code}): {exc.message}"
    return str(exc)


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        raise FormError(f"'{name.replace('_', ' ')}' must be filled in")
    return value.strip() if name not in {"typed", "text", "words", "reason"} else value


def optional(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) and value.strip() else None


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def typed_version(typed: str, text_id: str, number: int) -> dict[str, Any]:
    try:
        return version_from_lines(typed.replace("\r\n", "\n").split("\n"), text_id, number)
    except TypedTextError as exc:
        raise FormError(f"the text cannot be tabled: {exc}") from exc


def docx_version(upload: UploadFile, text_id: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draft.docx"
        path.write_bytes(upload.file.read())  # at most MAX_FORM_BYTES (`BodyLimit`)
        try:
            return import_docx(path, text_id)
        except DocxImportError as exc:
            raise FormError(str(exc).replace(str(path), upload.filename or "the document")) from exc
