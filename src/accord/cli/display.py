"""How the command line shows records to people (Rich markup, user text escaped).

Texts under negotiation are full of square brackets, which Rich would read as markup:
everything that comes from the record goes through `escape`.
"""

from __future__ import annotations

import unicodedata

from rich.markup import escape

from accord.core.state import Message
from accord.core.times import format_time

CONTINUED = "\n    | "  # a line of a member's text after its first: never at the margin


def untrusted(text: str) -> str:
    """Text a member or a key holder chose (a message, a device name in an alert), made
    safe for a terminal: markup escaped; terminal controls (ESC, carriage return...) and
    invisible format characters (right-to-left overrides, zero-width marks) shown as
    `\\x1b`, `\\u202e`; each further line indented and marked, so that no text can
    print a line that passes for the program's own (a fake ALERT)."""
    shown = []
    for ch in text:
        if ch == "\n":
            shown.append(CONTINUED)
        elif ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            shown.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            shown.append(ch)
    return escape("".join(shown))


def message_line(m: Message, text: str | None = None, problem: str | None = None) -> str:
    """One message; without its text (not decrypted here) it shows as encrypted, and a
    problem (tampering, no key) shows in red instead of any text."""
    where = "" if m.channel == "plenary" else escape(f" [{m.channel}]")
    void = f" [yellow]({escape(m.void)})[/yellow]" if m.void else ""
    if problem is not None:
        body = f"[red]({escape(problem)})[/red]"
    elif text is None:
        body = f"[dim](encrypted, epoch {m.epoch})[/dim]"
    else:
        body = untrusted(text)
    return f"#{m.seq} {format_time(m.time)}{where} {untrusted(m.author)}: {body}{void}"
