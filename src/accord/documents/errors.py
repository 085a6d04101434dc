"""The documents' errors: the project's errors (`AccordError`), with what went wrong."""

from __future__ import annotations

from accord.core.errors import AccordError


class DocumentError(AccordError, ValueError):
    """A document that cannot be read or rendered, with the reason."""
