"""How the command line shows records to people (Rich markup, user text escaped).

Texts under negotiation are full of square brackets, which Rich would read as markup:
everything that comes from the record goes through `escape`.
"""

from __future__ import annotations

from rich.markup import escape

from accord.core.state import Message
from accord.core.times import format_time


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
        body = escape(text)
    return f"#{m.seq} {format_time(m.time)}{where} {escape(m.author)}: {body}{void}"
