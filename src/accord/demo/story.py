"""`accord demo`: a small conference told step by step, in one process.

Three ministries issue full powers, a chair opens the conference, delegates join,
announce their devices and speak in encrypted messages, one ministry revokes its
delegate's full powers: that delegate's next act is refused and the next epoch key leaves
its device out. In between, a text is negotiated to adoption and signature, and its final
act verified (`accord.demo.negotiation`). The record is exported and verified, and a
tampered copy fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from accord.core import events as ev
from accord.core.author import Author, genesis_event
from accord.core.credentials import issue_full_powers, revoke
from accord.core.epochs import NoKeyError
from accord.core.errors import Violation
from accord.core.genesis import genesis_body
from accord.core.keyring import Keyring
from accord.core.keys import SigningKey
from accord.core.sealing import DeviceKey
from accord.core.sequencer import Sequencer
from accord.demo.negotiation import run_negotiation
from accord.infra.clock import now_ms
from accord.infra.record_file import read_record, write_record

CONF = "cyber-cbm-2026"
MINUTE = 60_000
DAY = 24 * 60 * MINUTE
NAMES = {"ARC": "Republic of Arcadia", "BOR": "Kingdom of Borduria", "CAL": "Calvia"}
DELEGATES = {
    "ARC": ("Ana Reyes", ["negotiate", "adopt", "sign"]),
    "BOR": ("Boris Vlk", ["negotiate", "adopt"]),
    "CAL": ("Carla Ostrova", ["negotiate"]),
}


@dataclass
class _Clock:
    now: int

    def tick(self, minutes: int = 1) -> int:
        self.now += minutes * MINUTE
        return self.now


def run_demo(out: Path, console: Console) -> Path:
    """Run the story, write the record into `out` and return the record's path."""
    story = _Story(console)
    story.open_conference()
    story.issue_powers()
    story.join()
    story.talk()
    out.mkdir(parents=True, exist_ok=True)
    run_negotiation(
        console, story.seq, story.clock, story.chair, story.authors, out, story.rekey_if_due
    )
    story.revoke()
    path = story.export(out)
    story.tamper(out, path)
    return path


class _Story:
    """The conference on an in-memory sequencer, and the scenes told in order."""

    def __init__(self, console: Console) -> None:
        self.clock = _Clock(now_ms())
        self.say = console.print
        self.devices: dict[int, DeviceKey] = {}
        self.authors: dict[str, Author] = {}
        self.creds: dict[str, dict[str, Any]] = {}
        self.sample = ""

    def open_conference(self) -> None:
        say, clock = self.say, self.clock
        say("[bold]1. Three ministries hold their states' root keys.[/bold]")
        self.roots = {code: SigningKey.generate() for code in ("ARC", "BOR", "CAL")}
        for code, key in self.roots.items():
            say(f"   {NAMES[code]} ({code}) root key fingerprint: {key.public.fingerprint()}")

        host, chair, sequencer_key = (SigningKey.generate() for _ in range(3))
        genesis = genesis_body(
            title="Conference on Confidence-Building Measures in Cyberspace",
            host=("Secretariat", host.public),
            chair=("Ambassador Ines Moreau", chair.public),
            sequencer=sequencer_key.public,
            states=[
                {"code": c, "name": NAMES[c], "root": k.public.text, "role": "member"}
                for c, k in sorted(self.roots.items())
            ],
        )
        say("\n[bold]2. The secretariat opens the conference (the genesis).[/bold]")
        self.seq = Sequencer(
            sequencer_key, genesis_event(host, conf=CONF, genesis=genesis, time=clock.now),
            clock.now,
        )  # fmt: skip
        self.view = self.seq.verifier
        self.chair_key = chair
        say(f"   '{genesis['title']}', chaired by {genesis['chair']['name']}; decision rule: "
            "consensus")  # fmt: skip
        say(f"   genesis hash (publish it out of band): [cyan]{self.seq.state.genesis_hash}[/cyan]")

    def member(self, key: SigningKey) -> Author:
        """An author whose node holds one device key and a keyring for the conference."""
        seq = self.seq
        keyring = Keyring(
            CONF, [], lambda n: ev.Event.parse(seq.entries[n][0], check_signature=False)
        )
        author = Author(key, CONF, keyring=keyring)
        device = DeviceKey.generate()
        keyring.add_device(device)
        self.devices[id(author)] = device
        return author

    def issue_powers(self) -> None:
        self.say("\n[bold]3. Each ministry issues full powers to its delegate.[/bold]")
        clock = self.clock
        for code, (name, powers) in DELEGATES.items():
            key = SigningKey.generate()
            self.creds[code] = issue_full_powers(
                self.roots[code], state=code, delegate=name, key=key.public, powers=powers,
                conferences=[CONF], not_before=clock.now - DAY, not_after=clock.now + 30 * DAY,
                issued_at=clock.now,
            )  # fmt: skip
            self.authors[code] = self.member(key)
            self.say(
                f"   {code} → {name}: powers to {', '.join(powers)}, valid 30 days, for {CONF}"
            )

    def join(self) -> None:
        say, seq, view, clock = self.say, self.seq, self.view, self.clock
        say("\n[bold]4. Delegates join with their full powers; the sequencer checks them.[/bold]")
        for code, author in self.authors.items():
            receipt = seq.submit(author.join(view, self.creds[code], clock.tick()), clock.now)
            say(f"   #{receipt['seq']} {DELEGATES[code][0]} ({code}) joined")
            device = self.devices[id(author)].public
            seq.submit(author.announce_device(view, device.text, "laptop", clock.tick()), clock.now)
            say(f"   #{receipt['seq'] + 1} … and announced a device key (ML-KEM-768 + X25519)")

        intruder_root, intruder_key = SigningKey.generate(), SigningKey.generate()
        fake = issue_full_powers(
            intruder_root, state="ZEM", delegate="Zoltan Zembla", key=intruder_key.public,
            powers=["negotiate"], conferences=[CONF], not_before=clock.now - DAY,
            not_after=clock.now + DAY, issued_at=clock.now,
        )  # fmt: skip
        _refused(say, seq, Author(intruder_key, CONF).join(view, fake, clock.tick()), clock.now)

    def speak(self, author: Author, text: str) -> dict[str, Any]:
        seq, clock = self.seq, self.clock
        if seq.state.epoch_problem(ev.PLENARY, clock.now + MINUTE) is not None:
            receipt = seq.submit(author.rekey(self.view, clock.tick()), clock.now)
            epoch = seq.state.current_epoch(ev.PLENARY)
            assert epoch is not None
            self.say(
                f"   #{receipt['seq']} a new plenary key (epoch {epoch.number}), sealed to "
                f"the {len(epoch.recipients)} devices entitled to it"
            )
        return seq.submit(author.say(self.view, text, clock.tick()), clock.now)

    def talk(self) -> None:
        seq, clock = self.seq, self.clock
        self.say("\n[bold]5. The conference talks: every message encrypted, signed, "
                 "receipted.[/bold]")  # fmt: skip
        self.chair = self.member(self.chair_key)
        device = self.devices[id(self.chair)].public
        seq.submit(
            self.chair.announce_device(self.view, device.text, "office", clock.tick()), clock.now
        )
        authors = self.authors
        lines = [
            (self.chair, "The meeting is open. We turn to agenda item 1, points of contact."),
            (authors["ARC"], "Arcadia proposes that each state name a point of contact "
                             "within 30 days."),
            (authors["BOR"], "Borduria can support 30 days if a technical and a diplomatic "
                             "contact are named."),
            (authors["CAL"], "Calvia agrees, and asks for a reachability check every six "
                             "months."),
        ]  # fmt: skip
        speakers = {id(self.chair): "Chair"} | {id(a): DELEGATES[c][0] for c, a in authors.items()}
        for author, text in lines:
            receipt = self.speak(author, text)
            self.say(f"   #{receipt['seq']} {speakers[id(author)]}: {text}")
        self.sample = seq.entries[receipt["seq"]][0]["body"]["content"]
        self.say(f"   what the relay stores of the last one: [dim]{self.sample[:60]}…[/dim]")

    def rekey_if_due(self, author: Author) -> None:
        if self.seq.state.epoch_problem(ev.PLENARY, self.clock.now + MINUTE) is not None:
            self.seq.submit(author.rekey(self.view, self.clock.tick()), self.clock.now)

    def revoke(self) -> None:
        say, seq, view, clock, authors = self.say, self.seq, self.view, self.clock, self.authors
        say("\n[bold]11. Borduria's ministry learns its delegate's laptop was stolen.[/bold]")
        bor_cred = authors["BOR"].cred
        assert bor_cred is not None
        revocation = revoke(
            self.roots["BOR"], state="BOR", credential=bor_cred, revoked_at=clock.tick(),
            reason="device reported stolen",
        )  # fmt: skip
        receipt = seq.submit(
            self.chair.publish_revocation(view, revocation, clock.tick()), clock.now
        )
        say(f"   #{receipt['seq']} the chair publishes Borduria's signed revocation")
        say("   Whoever holds the stolen key now tries to speak for Borduria:")
        _refused(
            say, seq,
            authors["BOR"].say(view, "Borduria withdraws its support.", clock.tick()), clock.now,
        )  # fmt: skip
        receipt = self.speak(authors["ARC"], "Arcadia asks Borduria to send a new delegate.")
        say(
            f"   #{receipt['seq']} {DELEGATES['ARC'][0]}: Arcadia asks Borduria to send a new "
            "delegate."
        )
        try:
            assert authors["BOR"].keyring is not None
            authors["BOR"].keyring.read_message(seq.state, receipt["seq"])
        except NoKeyError:
            say("   The stolen laptop holds every earlier key, but not this one: it cannot read "
                "it.")  # fmt: skip

    def export(self, out: Path) -> Path:
        say = self.say
        say("\n[bold]12. The record is exported to one file and verified offline.[/bold]")
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{CONF}.accord.jsonl"
        write_record(path, self.seq.export_lines(self.clock.tick()))
        say(f"   record: [cyan]{path}[/cyan]")
        report = read_record(path)
        say(f"   verification: {'[green]valid[/green]' if report.ok else '[red]INVALID[/red]'}, "
            f"{report.entries} entries, head {report.head}")  # fmt: skip
        return path

    def tamper(self, out: Path, path: Path) -> None:
        say, sample = self.say, self.sample
        say("\n[bold]13. Someone alters one character of a message in a copy of the "
            "record.[/bold]")  # fmt: skip
        tampered = out / f"{CONF}.tampered.accord.jsonl"
        content = sample[:-8] + ("A" if sample[-8] != "A" else "B") + sample[-7:]
        text = path.read_text("utf-8").replace(sample, content)
        tampered.write_text(text, "utf-8")
        bad = read_record(tampered)
        assert bad.problem is not None
        say(f"   [red]{bad.problem.message}[/red]")
        say(f"\nCheck it yourself: [bold]accord verify {path}[/bold] (and the tampered copy).")


def _refused(say: Any, seq: Sequencer, event: dict[str, Any], now: int) -> None:
    try:
        seq.submit(event, now)
    except Violation as v:
        say(f"   [red]refused[/red] ({v.code}): {v.message}")
    else:  # pragma: no cover - the demo's story depends on it
        raise AssertionError("the sequencer accepted an act it must refuse")
