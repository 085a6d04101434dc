"""The demo's negotiation: a first reading with bracketed proposals, a revised chair's
text, a silence procedure broken by one delegation, another revision, adoption by
consensus with an interpretative statement, signature, and the final act verified."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape

from accord.core import events as ev
from accord.core import final_act
from accord.core.author import Author
from accord.core.negotiation import Negotiation
from accord.core.negotiation import read as read_negotiation
from accord.core.sequencer import Sequencer
from accord.core.texts import Version, diff_versions
from accord.core.times import format_time
from accord.documents.console import print_final_act

TEXT = "poc"
PARAGRAPHS = [
    ("pp1", "preambular", "PP1", "Recalling the voluntary norms of responsible State behaviour,"),
    ("op1", "operative", "1", "Each State shall name a point of contact for ICT incidents."),
    ("op2", "operative", "2", "A State shall acknowledge a request for assistance."),
    ("op3", "operative", "3", "The directory manager shall check reachability every year."),
]
HOUR = 3_600_000


def _version(number: int, changes: dict[str, str]) -> dict[str, Any]:
    return {
        "text": TEXT, "version": number, "title": "Arrangement on Points of Contact",
        "paragraphs": [{"id": i, "kind": k, "number": n, "segments": [changes.get(i, t)]}
                       for i, k, n, t in PARAGRAPHS],
    }  # fmt: skip


def _amend(
    paragraph: str, op: str, version: int, old: str | None, new: str | None
) -> dict[str, Any]:
    return {
        "text": TEXT, "version": version, "paragraph": paragraph, "op": op, "old": old,
        "occurrence": 1, "new": new, "new_paragraph": None, "rationale": None,
    }  # fmt: skip


def run_negotiation(
    console: Console,
    seq: Sequencer,
    clock: Any,
    chair: Author,
    authors: dict[str, Author],
    out: Path,
    speak_rekey: Callable[[Author], None],
) -> Path:
    scenes = _Scenes(console, seq, clock, chair, authors, speak_rekey)
    scenes.first_reading()
    scenes.revision()
    scenes.silence()
    v3 = scenes.adoption()
    return scenes.final_act(v3, out)


class _Scenes:
    """The negotiation's scenes, each acting through the in-memory sequencer."""

    def __init__(
        self,
        console: Console,
        seq: Sequencer,
        clock: Any,
        chair: Author,
        authors: dict[str, Author],
        speak_rekey: Callable[[Author], None],
    ) -> None:
        self.console, self.say = console, console.print
        self.seq, self.view, self.clock = seq, seq.verifier, clock
        self.chair, self.authors, self.speak_rekey = chair, authors, speak_rekey
        self.proposals: dict[str, dict[str, Any]] = {}

    def act(self, author: Author, type: str, content: dict[str, Any]) -> dict[str, Any]:
        self.speak_rekey(author)
        return self.seq.submit(
            author.encrypted(self.view, type, content, self.clock.tick()), self.clock.now
        )

    def negotiation(self) -> Negotiation:
        assert self.chair.keyring is not None
        entries = [
            (n, r["time"], ev.Event.parse(e, check_signature=False))
            for n, (e, r) in enumerate(self.seq.entries)
        ]
        return read_negotiation(self.seq.state, self.chair.keyring, entries, self.view.last_time)

    def show(self) -> None:
        for line in self.negotiation().render(TEXT).splitlines():
            self.say(f"   {escape(line)}")

    def first_reading(self) -> None:
        act, chair, authors = self.act, self.chair, self.authors
        self.say("\n[bold]6. The chair tables a draft; a first reading brings bracketed "
                 "proposals.[/bold]")  # fmt: skip
        act(chair, ev.TEXT, {"version": _version(1, {}), "outcomes": []})
        arc = act(authors["ARC"], ev.AMEND, _amend("op2", "insert_words", 1,
                  "a request for assistance", " within 72 hours"))  # fmt: skip
        bor = act(authors["BOR"], ev.AMEND, _amend("op2", "insert_words", 1,
                  "a request for assistance", " without undue delay"))  # fmt: skip
        act(authors["CAL"], ev.STANCE, {"proposal": bor["event"], "stance": "support"})
        act(authors["ARC"], ev.STANCE, {"proposal": bor["event"], "stance": "oppose"})
        cal = act(authors["CAL"], ev.AMEND, _amend("op3", "replace_words", 1, "every year",
                                                   "every six months"))  # fmt: skip
        self.proposals = {"ARC": arc, "BOR": bor, "CAL": cal}
        self.show()

    def revision(self) -> None:
        say, p = self.say, self.proposals
        say("\n[bold]7. The chair issues a revised text, saying what became of each "
            "proposal.[/bold]")  # fmt: skip
        self.v2 = _version(2, {"op2": "A State shall acknowledge a request for assistance "
                                      "without undue delay."})  # fmt: skip
        outcomes = [{"proposal": p["BOR"]["event"], "outcome": "incorporated"},
                    {"proposal": p["ARC"]["event"], "outcome": "dropped"}]  # fmt: skip
        self.act(self.chair, ev.TEXT, {"version": self.v2, "outcomes": outcomes})
        record = self.negotiation().texts[TEXT]
        for change in diff_versions(record.versions[0], record.versions[1]):
            say(f"   {change.number}: {escape(change.words)}")
        still = self.negotiation().proposals[p["CAL"]["event"]].open
        say(f"   Calvia's proposal on paragraph 3 was against version 1: "
            f"{'still open' if still else 'closed'}, not carried into version 2")  # fmt: skip

    def silence(self) -> None:
        say, act, clock, chair = self.say, self.act, self.clock, self.chair
        say("\n[bold]8. The chair puts version 2 under silence; Calvia breaks it in time.[/bold]")
        deadline = clock.now + 96 * HOUR  # the rules' silence period is 72 hours
        subject = {"text": TEXT, "version": 2, "hash": Version.parse(self.v2).hash,
                   "paragraph": None}  # fmt: skip
        act(chair, ev.DECISION, {
            "decision": "silence-v2", "procedure": "silence", "rule": None,
            "subject": subject, "deadline": deadline, "time_zone": "Europe/Vienna",
        })  # fmt: skip
        vienna = datetime.fromtimestamp(deadline / 1000, ZoneInfo("Europe/Vienna"))
        say(f"   silence until {vienna:%A %d %B %Y, %H:%M} Vienna time ({format_time(deadline)})")
        clock.now = deadline - HOUR
        broke = act(self.authors["CAL"], ev.OBJECTION, {"decision": "silence-v2",
                    "kind": "amendment",
                    "text": "Calvia proposes a reachability check every six months."})  # fmt: skip
        when = format_time(broke["time"])
        say(f"   Calvia's amendment, received {when}: its receipt proves it came in time")
        clock.now = deadline + HOUR
        act(chair, ev.CLOSE, {"decision": "silence-v2", "claimed": "not_adopted"})
        outcome = self.negotiation().decisions["silence-v2"].outcome(self.view.last_time)
        say(f"   outcome, recomputed by every member: [bold]{outcome.replace('_', ' ')}[/bold]")

    def adoption(self) -> dict[str, Any]:
        act, chair, authors = self.act, self.chair, self.authors
        self.say("\n[bold]9. Version 3 takes in Calvia's amendment; adopted by consensus.[/bold]")
        v3 = _version(3, {
            "op2": "A State shall acknowledge a request for assistance without undue delay.",
            "op3": "The directory manager shall check reachability every six months.",
        })  # fmt: skip
        v3_hash = Version.parse(v3).hash
        act(chair, ev.TEXT, {"version": v3, "outcomes": []})
        act(chair, ev.DECISION, {
            "decision": "adopt-v3", "procedure": "consensus", "rule": None, "deadline": None,
            "time_zone": None,
            "subject": {"text": TEXT, "version": 3, "hash": v3_hash, "paragraph": None},
        })  # fmt: skip
        act(chair, ev.CLOSE, {"decision": "adopt-v3", "claimed": "adopted"})
        act(authors["BOR"], ev.STATEMENT, {
            "subject": {"decision": "adopt-v3", "text": None, "paragraph": None},
            "kind": "interpretative",
            "text": "Borduria understands 'without undue delay' as within five working days.",
        })  # fmt: skip
        act(authors["ARC"], ev.SIGNATURE, {"text": TEXT, "version": 3, "hash": v3_hash,
                                           "act": "signature", "ad_referendum": False})  # fmt: skip
        self.say("   no objection; Borduria makes an interpretative statement; Arcadia signs")
        return v3

    def final_act(self, v3: dict[str, Any], out: Path) -> Path:
        seq = self.seq
        self.say("\n[bold]10. The final act: one file anyone verifies offline.[/bold]")
        assert self.chair.keyring is not None
        events = [ev.Event.parse(e, check_signature=False) for e, _ in seq.entries]
        keys = final_act.disclosure(seq.state, self.chair.keyring, events)
        lines = list(seq.export_lines(self.clock.tick()))
        data = final_act.build(lines, TEXT, Version.parse(v3).hash, keys)
        path = out / f"{TEXT}.final-act.json"
        path.write_bytes(data)
        self.say(f"   final act: [cyan]{path}[/cyan]")
        print_final_act(self.console, final_act.verify(data))
        return path
