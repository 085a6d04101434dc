"""What the command line prints of text others chose (a member's message, a device name
shown in an alert): nothing in it can drive the terminal or pass for the program's own
lines (issue 15, terminal injection)."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from accord.cli.display import CONTINUED, untrusted

FAKE = "ok.\nALERT dur: (fork) the relay forked\x1b[31m red\x1b[0m\r\u202egnp.exe\u200b [b]x[/b]"


def printed(markup: str) -> str:
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system=None, width=500).print(markup)
    return out.getvalue()


def test_a_message_cannot_print_a_line_of_its_own_or_drive_the_terminal() -> None:
    shown = printed(f"#7 Boris Vlk (BOR): {untrusted(FAKE)}")
    lines = shown.splitlines()
    assert lines[0] == "#7 Boris Vlk (BOR): ok."
    assert lines[1].startswith("    | ALERT dur:")  # marked as the message's, not at the margin
    assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown
    assert "\\x1b[31m red" in shown and "\\x0d" in shown and "\\u202egnp.exe" in shown
    assert "\\u200b" in shown and "[b]x[/b]" in shown  # markup shown as typed


@given(st.text())
def test_no_text_reaches_the_terminal_with_a_control_or_a_line_at_the_margin(text: str) -> None:
    shown = printed("> " + untrusted(text))
    assert all(line.startswith(("> ", CONTINUED.strip("\n"))) or not line
               for line in shown.splitlines())  # fmt: skip
    assert not any(c in shown for c in "\x1b\r\x0b\x0c\x85\u2028\u2029\u202e\u2066")
