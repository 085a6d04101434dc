"""Exception types of the core. Each carries a sentence a person can act on."""

from accord.core.codes import Code


class AccordError(Exception):
    """Base of every error raised by the core."""


class EncodingError(AccordError):
    """Data is not in the one encoding the protocol accepts (JSON, base64url, tags)."""


class SchemaError(AccordError):
    """A protocol object is missing a field, has an unknown one, or a wrong type."""


class SignatureError(AccordError):
    """A signature does not verify against the key that is supposed to have made it."""


class Violation(AccordError):
    """An entry or event breaks a rule of the log.

    `code` is stable (one of `Code`, for programs and tests), `message` is a sentence for people and
    `seq` the sequence number of the entry concerned, when there is one. The verifier
    reports it; the sequencer refuses the event with it.
    """

    def __init__(self, code: Code, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.seq = seq


class RecordFormatError(AccordError):
    """A record file is not an Accord record at all (wrong header, not JSON lines)."""
