"""Forms: the fields a delegate filled in, read strictly; a text typed or a Word draft
as a version; the reasons shown when a form cannot make an act."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as field_
from pathlib import Path

from starlette.datastructures import FormData, UploadFile

from accord.core.errors import AccordError
from accord.documents.typed_text import Reading, TypedTextError, read_lines
from accord.documents.word import DocxImportError, read_docx
from accord.node.client import RelayError


class FormError(AccordError):
    """A form the delegate filled in cannot make an act, and why; `field` names the
    field at fault, when one is (the page shows the reason beside it)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# What each field of the forms is, in the words of the pages' labels.
LABELS = {
    "text_id": "the text's id",
    "typed": "the text (or choose a Word document)",
    "paragraph": "the paragraph",
    "op": "the kind of amendment",
    "old": "the words in the paragraph",
    "new": "the new words",
    "reason": "the reason",
    "decision": "the decision's id",
    "text": "the text",
    "procedure": "the procedure",
    "deadline": "the silence deadline",
    "vote": "your state's vote",
    "outcome": "the outcome",
    "kind": "the kind of statement",
    "words": "the statement",
    "stance": "the stance",
    "proposal": "the proposal",
    "message": "the message",
}


def reason(exc: Exception) -> str:
    if isinstance(exc, RelayError):
        return f"the relay refused ({exc.code}): {exc.message}"
    return str(exc)


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        raise FormError(f"Fill in {LABELS.get(name, name.replace('_', ' '))}.", name)
    return value.strip() if name not in {"typed", "text", "words", "reason"} else value


@dataclass(frozen=True)
class KeptForm:
    """A form as the delegate last sent it, when it was refused: what was typed and
    chosen (given back, so that nothing is lost), and why (beside its field, when the
    reason is about one). A form never sent, or sent with success, is empty."""

    values: Mapping[str, tuple[str, ...]] = field_(default_factory=dict)
    error: str | None = None
    field: str | None = None

    def value(self, name: str, default: str = "") -> str:
        found = self.values.get(name)
        return found[0] if found else default

    def chosen(self, name: str, option: str, default: bool = False) -> bool:
        """Whether `option` of select or radio `name` was chosen (or is the default)."""
        found = self.values.get(name)
        return option in found if found is not None else default

    def error_of(self, name: str) -> str | None:
        return self.error if self.field == name else None

    @property
    def general(self) -> str | None:
        """The reason, when it is about no one field."""
        return self.error if self.field is None else None


def kept_values(form: FormData) -> dict[str, tuple[str, ...]]:
    """What a form held, to give back with its refusal: its text fields (the form token
    and files excepted; a browser never lets a page refill a file field)."""
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if key != "csrf" and isinstance(value, str):
            out.setdefault(key, []).append(value)
    return {k: tuple(v) for k, v in out.items()}


def optional(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) and value.strip() else None


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def typed_reading(typed: str, text_id: str, number: int) -> Reading:
    """The typed text read as a version, with what became of every line."""
    try:
        return read_lines(typed.replace("\r\n", "\n").split("\n"), text_id, number)
    except TypedTextError as exc:
        raise FormError(f"the text cannot be tabled: {exc}", "typed") from exc


def docx_reading(upload: UploadFile, text_id: str) -> Reading:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draft.docx"
        path.write_bytes(upload.file.read())  # at most MAX_FORM_BYTES (`BodyLimit`)
        try:
            return read_docx(path, text_id)
        except (DocxImportError, AccordError) as exc:
            named = str(exc).replace(str(path), upload.filename or "the document")
            raise FormError(named, "docx") from exc
