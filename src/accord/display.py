"""How the command line shows records to people (Rich markup, user text escaped).

Texts under negotiation are full of square brackets, which Rich would read as markup:
everything that comes from the record goes through `escape`.
"""

from __future__ import annotations

from rich.markup import escape

from accord.core.state import Message
from accord.core.times import format_time


def message_line(m: Message) -> str:
    where = "" if m.channel == "plenary" else escape(f" [{m.channel}]")
    void = f" [yellow]({escape(m.void)})[/yellow]" if m.void else ""
    return f"#{m.seq} {format_time(m.time)}{where} {escape(m.author)}: {escape(m.text)}{void}"
