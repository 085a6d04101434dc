"""Revising by decision and paragraphs as printed, over a real relay and the `accord`
command (issue 14, point 4): `text revise` shows the next version computed from the
chair's choices, refuses a proposal left undecided and two accepted on the same words,
writes the text out to edit and issues the edited one; the old way (a JSON version)
still works; `text amend`, `agree`, `decision open` and `statement` take a paragraph's
number as `text show` prints it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from accord.core import events as ev
from accord.core.genesis import procedure_2
from tests import negotiating as n
from tests.delegations import PASSPHRASE, accord, convene, now
from tests.relay_process import relay

pytestmark = pytest.mark.slow

STATES = ("ARC", "BOR", "CAL")


def refused(home: Path, *args: str) -> str:
    """Run `accord` as `home`'s node, expecting a refusal; what it said."""
    env = {**os.environ, "ACCORD_PASSPHRASE": PASSPHRASE, "ACCORD_HOME": str(home),
           "COLUMNS": "400"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "accord", *args], capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode in (1, 2), result.stdout + result.stderr
    return " ".join((result.stdout + result.stderr).split())


def test_the_chair_revises_by_deciding_each_proposal(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, STATES, powers=("negotiate", "adopt", "sign"),
                       procedure=procedure_2(len(STATES), consensus_min_ms=0))  # fmt: skip
        conf, host = cast.conf, tmp_path / "host"
        on = ("--conf", conf, "--text", n.TEXT_ID)
        try:
            cast.host.negotiate(conf, ev.TEXT, n.table(n.version()), now())
            # Delegations name paragraphs as `text show` prints them.
            for state, paragraph, words in (
                ("BOR", "2.", ("replace_words", "--old", "shall", "--new", "should")),
                ("CAL", "PP 1", ("delete_words", "--old", "eleven ")),
                ("ARC", "3", ("replace_words", "--old", "two years", "--new", "year")),
                ("CAL", "op2", ("delete_words", "--old", "shall notify")),
            ):
                accord(tmp_path / f"delegate-{state}", "text", "amend", *on, "--paragraph",
                       paragraph, "--op", *words)  # fmt: skip
            said = refused(tmp_path / "delegate-ARC", "text", "amend", *on, "--paragraph", "9",
                           "--op", "delete_paragraph")  # fmt: skip
            assert (
                "has no paragraph '9': its paragraphs are PP1 (pp1), 1 (op1), 2 (op2), 3 (op3)"
                in said
            )
            shown = accord(host, "text", "show", *on)
            assert (
                "name a paragraph by its number as printed, or by its id: PP1 = pp1, 1 = op1"
                in shown
            )
            ids = dict(
                (m[1], m[0]) for m in re.findall(
                    r"proposal (\S{12}) on version 1: (\w+'s proposal on \S+ \S+) \(", shown)
            )  # fmt: skip
            bor, cal, arc = (ids[f"{s}'s proposal on {p}"] for s, p in (
                ("BOR", "paragraph 2"), ("CAL", "paragraph PP1"), ("ARC", "paragraph 3")))  # fmt: skip
            cal2 = next(i for i in re.findall(r"proposal (\S{12}) on", shown)
                        if i not in (bor, cal, arc))  # fmt: skip
            revise = ("text", "revise", *on)

            said = refused(host, *revise, "--accept", bor, "--reject", cal2, "--preview")
            assert (
                "refused (undecided): the revision of version 1 says nothing of CAL's proposal "
                "on paragraph PP1 (delete 'eleven'); ARC's proposal on paragraph 3"
            ) in said
            said = refused(host, *revise, "--accept", bor, "--accept", cal2, "--reject", cal,
                           "--reject", arc)  # fmt: skip
            assert (
                "refused (conflict): BOR's proposal on paragraph 2 (replace 'shall' with "
                "'should') and CAL's proposal on paragraph 2 (delete 'shall notify') touch "
                "the same words"
            ) in said
            said = refused(host, *revise, "--accept", bor, "--reject", bor)
            assert "is given two choices (accept, reject)" in said
            said = refused(host, *revise, "--incorporate", bor)
            assert "--incorporate and --drop go with a JSON version" in said

            choices = ("--accept", bor, "--reject", cal2, "--merge", cal, "--carry", arc)
            preview = accord(host, *revise, *choices, "--preview")
            assert (
                "incorporated: BOR's proposal on paragraph 2 (replace 'shall' with 'should')"
                in preview
            )
            assert "carried to version 2, still open: ARC's proposal on paragraph 3" in preview
            assert "to do: CAL's proposal on paragraph PP1 (delete 'eleven') is merged" in preview
            said = refused(host, *revise, *choices)
            assert "merged, but its paragraph is unchanged: give the merged wording" in said
            draft = tmp_path / "draft.txt"
            accord(host, *revise, *choices, "--wording", "PP1=Recalling the voluntary norms,",
                   "--out", str(draft))  # fmt: skip
            typed = draft.read_text("utf-8")
            assert "PP1. Recalling the voluntary norms,\n" in typed
            assert "2. A State should notify affected States" in typed
            draft.write_text(typed.replace("shall designate", "shall name"), "utf-8")
            assert "(version 1, sha256:" in accord(host, "text", "show", *on)  # nothing issued yet
            issued = accord(host, *revise, *choices, "--typed", str(draft))
            assert "paragraph 1 (changed): Each State shall [-designate-] {+name+}" in issued
            assert "cica version 2 issued: entry #" in issued
            shown = accord(host, "text", "show", *on)
            assert "every [(1) two years][(2) year (Proposed: ARC)]" in shown
            assert f"proposal {arc} on version 2: ARC's proposal on paragraph 3" in shown

            # Paragraphs as printed, by the chair and the delegations.
            accord(host, "text", "agree", *on, "--paragraph", "PP1")
            accord(tmp_path / "delegate-BOR", "statement", "--conf", conf, "--kind",
                   "interpretative", "Borduria reads it so.", "--text", n.TEXT_ID,
                   "--paragraph", "1.")  # fmt: skip
            accord(host, "decision", "open", "--conf", conf, "--id", "op1", "--text", n.TEXT_ID,
                   "--paragraph", "1", "--kind", "adoption")  # fmt: skip
            decisions = accord(host, "decision", "show", "--conf", conf)
            assert "consensus on cica version 2, paragraph op1" in decisions
            assert "statement (interpretative) by BOR on cica, paragraph 1" in decisions

            # The old way still works: a whole version retyped as JSON.
            v3 = tmp_path / "v3.json"
            v3.write_text(json.dumps(n.version(3)), "utf-8")
            assert "cica version 3 issued" in accord(host, *revise[:-2], str(v3), "--drop", arc)
        finally:
            cast.close()
