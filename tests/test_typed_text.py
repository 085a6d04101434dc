"""A negotiating text typed as a secretariat types it: every numbering scheme diplomats use
is read, and every line is placed or reported (issue 14, point 3)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from accord.documents.typed_text import TypedTextError, read_lines


def _read(*lines: str) -> tuple[list[tuple[str, str, str]], list[tuple[int, str, str]]]:
    reading = read_lines(["Draft arrangement", *lines], "t")
    paragraphs = [(p["id"], p["kind"], p["number"]) for p in reading.version["paragraphs"]]
    return paragraphs, list(reading.lines)


def test_the_numbering_schemes_diplomats_use_are_read() -> None:
    paragraphs, _ = _read(
        "PP1 Recalling its resolution,", "PP 2. Noting the report,", "1. Decides to act;",
        "1 bis. Also decides;", "2) Requests the chair;", "2a. Invites States;",
        "2 ter) Further invites;", "3.1. Notes;", "[4. Encourages States;]",
        "Article 5 bis Entry into force",
    )  # fmt: skip
    assert paragraphs == [
        ("pp1", "preambular", "PP1"), ("pp2", "preambular", "PP2"),
        ("op1", "operative", "1"), ("op1-bis", "operative", "1 bis"),
        ("op2", "operative", "2"), ("op2a", "operative", "2a"),
        ("op2-ter", "operative", "2 ter"), ("op3-1", "operative", "3.1"),
        ("op4", "operative", "4"), ("art5-bis", "article", "5 bis"),
    ]  # fmt: skip


def test_every_line_is_placed_or_reported() -> None:
    reading = read_lines(
        ["Draft arrangement", "Note by the secretariat", "", "PP1 Recalling,", "Operative part",
         "1. Decides:", "(a) to act;", "(b) to report;", "2. Requests."], "t",
    )  # fmt: skip
    assert list(reading.lines) == [
        (1, "Draft arrangement", "title"),
        (2, "Note by the secretariat", "skipped: before the first numbered paragraph"),
        (4, "PP1 Recalling,", "paragraph PP1"),
        (5, "Operative part", "skipped: a heading"),
        (6, "1. Decides:", "paragraph 1"),
        (7, "(a) to act;", "continues paragraph 1"),
        (8, "(b) to report;", "continues paragraph 1"),
        (9, "2. Requests.", "paragraph 2"),
    ]
    assert [x[0] for x in reading.skipped] == [2, 5]
    [decides] = [p for p in reading.version["paragraphs"] if p["number"] == "1"]
    assert decides["segments"] == ["Decides:\n(a) to act;\n(b) to report;"]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("PP. c para", "line 3 starts like a paragraph number"),
        ("PP c para", "line 3 starts like a paragraph number"),
    ],
)
def test_a_number_the_reader_cannot_read_is_refused_not_dropped(line: str, words: str) -> None:
    with pytest.raises(TypedTextError, match=words):
        read_lines(["Title", "1. Decides.", line], "t")


def test_a_paragraph_numbered_twice_names_both_lines() -> None:
    with pytest.raises(TypedTextError, match=r"paragraph 2 is numbered twice \(lines 3 and 5\)"):
        read_lines(["Title", "1. One.", "2. Two.", "", "2) Two again."], "t")


def test_the_command_line_shows_the_reading_before_tabling(tmp_path: Path) -> None:
    typed = tmp_path / "draft.txt"
    typed.write_text("Draft arrangement\nNote by the secretariat\n1. Decides;\n1 bis. Also.\n")
    shown = subprocess.run(
        [sys.executable, "-m", "accord", "text", "table", "--conf", "talks", "--text", "t",
         str(typed), "--preview", "--home", str(tmp_path / "nobody")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "Draft arrangement: 2 paragraph(s)" in shown.stdout
    assert "1 bis (operative, id op1-bis): Also." in shown.stdout
    assert "line 2 not taken (skipped: before the first numbered paragraph)" in shown.stdout
    assert not (tmp_path / "nobody").exists()  # nothing was opened, signed or sent
