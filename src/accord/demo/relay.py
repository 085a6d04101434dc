"""`accord demo --relay URL`: the demo's story through a running relay.

Every party is its own node with its own keystore and replica under DIR/nodes: three
ministries, a host who chairs, three delegates. The record is exported from one
delegation's replica and verified offline.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from accord.core.credentials import FullPowers
from accord.core.errors import AccordError
from accord.infra.clock import now_ms
from accord.infra.record_file import read_record, write_record
from accord.node.session import Node

# The demo's nodes are throwaway: their passphrase is printed here, not a secret.
PASSPHRASE = "demo passphrase, not for real keys"
STATES = {
    "ARC": ("Republic of Arcadia", "Ana Reyes", ["negotiate", "adopt", "sign"]),
    "BOR": ("Kingdom of Borduria", "Boris Vlk", ["negotiate", "adopt"]),
    "CAL": ("Calvia", "Carla Ostrova", ["negotiate"]),
}


def run_relay_demo(relay: str, out: Path, console: Console) -> Path:
    story = _Story(relay, out, console)
    try:
        story.create_roots()
        genesis = story.open_conference()
        story.join(genesis)
        story.talk()
        story.revoke()
        return story.export(out, genesis)
    finally:
        for n in story.nodes:
            n.close()


class _Story:
    """The parties' nodes, created under DIR/nodes, and the scenes told in order."""

    def __init__(self, relay: str, out: Path, console: Console) -> None:
        self.relay, self.say = relay, console.print
        self.conf = f"cyber-cbm-{now_ms() // 1000}"
        self.nodes_dir = out / "nodes" / self.conf
        self.nodes: list[Node] = []
        self.ministries: dict[str, Node] = {}
        self.delegates: dict[str, Node] = {}
        self.creds: dict[str, str] = {}

    def node(self, name: str) -> Node:
        n = Node.create(self.nodes_dir / name, PASSPHRASE)
        self.nodes.append(n)
        return n

    def create_roots(self) -> None:
        self.say(f"[bold]1. Three ministries create their root keys[/bold] (nodes in "
                 f"{self.nodes_dir}).")  # fmt: skip
        self.roots = []
        for code, (name, _, _) in STATES.items():
            self.ministries[code] = self.node(f"ministry-{code}")
            root = self.ministries[code].create_root(code)
            self.roots.append({"code": code, "name": name, "root": root.text, "role": "member"})
            self.say(f"   {name} ({code}): root fingerprint {root.fingerprint()}")

    def open_conference(self) -> str:
        self.say(f"\n[bold]2. The host opens {self.conf} on {self.relay}.[/bold]")
        self.host = self.node("host")
        self.host.create_identity()
        genesis = self.host.create_conference(
            self.relay, self.conf, "Conference on Confidence-Building Measures in Cyberspace",
            self.roots, now_ms(), host_name="Ambassador Ines Moreau",
        )  # fmt: skip
        self.say(f"   genesis hash (sent to every delegation out of band): [cyan]{genesis}[/cyan]")
        return genesis

    def join(self, genesis: str) -> None:
        self.say("\n[bold]3. Ministries issue full powers; delegates join with them.[/bold]")
        conf = self.conf
        for code, (_, person, powers) in STATES.items():
            delegate = self.delegates[code] = self.node(f"delegate-{code}")
            key = delegate.create_identity()
            credential = self.ministries[code].issue_powers(
                code, person, key, powers, [conf], now_ms()
            )
            self.creds[code] = FullPowers.parse(credential).id
            receipt = delegate.join(self.relay, conf, credential, genesis, now_ms())
            self.say(
                f"   #{receipt['seq']} {person} ({code}) joined, powers to {', '.join(powers)}"
            )

    def talk(self) -> None:
        self.say("\n[bold]4. The conference talks; each node syncs, verifies, encrypts, "
                 "signs.[/bold]")  # fmt: skip
        delegates = self.delegates
        for speaker, text in [
            (self.host, "The meeting is open. Agenda item 1: points of contact."),
            (delegates["ARC"], "Arcadia proposes a point of contact within 30 days."),
            (delegates["BOR"], "Borduria supports, with a technical and a diplomatic contact."),
            (delegates["CAL"], "Calvia agrees and asks for six-monthly reachability checks."),
        ]:
            receipt = speaker.post(self.conf, text, now_ms())
            self.say(f"   #{receipt['seq']} {text}")

    def revoke(self) -> None:
        say, conf, delegates = self.say, self.conf, self.delegates
        say("\n[bold]5. Borduria revokes its delegate's full powers.[/bold]")
        revocation = self.ministries["BOR"].revoke_powers(
            "BOR", self.creds["BOR"], "device reported stolen", now_ms()
        )
        receipt = self.host.publish_revocation(conf, revocation, now_ms())
        say(f"   #{receipt['seq']} the chair publishes the signed revocation")
        try:
            delegates["BOR"].post(conf, "Borduria withdraws its support.", now_ms())
        except AccordError as exc:
            say(f"   [red]refused[/red]: {exc}")
        text = "Arcadia asks Borduria to name a new delegate."
        receipt = delegates["ARC"].post(conf, text, now_ms())
        state = delegates["ARC"].view(conf).state
        epoch = state.current_epoch("plenary") if state else None
        say(
            f"   #{receipt['seq']} {text} (under plenary key epoch "
            f"{epoch.number if epoch else '?'}, sealed to {len(epoch.recipients) if epoch else 0} "
            "devices: Borduria's is not one of them)"
        )
        delegates["BOR"].sync(conf)
        last = delegates["BOR"].messages(conf)[-1]
        say(f"   Borduria's node on that message: {last.problem or last.text}")

    def export(self, out: Path, genesis: str) -> Path:
        say, conf = self.say, self.conf
        say("\n[bold]6. Every delegation's replica agrees; Calvia exports the record.[/bold]")
        digests = set()
        for code, d in self.delegates.items():
            result = d.sync(conf)
            state = d.view(conf).state
            assert state is not None
            digests.add(state.digest())
            say(
                f"   {code}: {result.after} entries verified, alerts: {len(d.replica.alerts(conf))}"
            )
        say(f"   states computed: {len(digests)} distinct (1 means all agree)")
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{conf}.accord.jsonl"
        write_record(path, self.delegates["CAL"].export(conf))
        report = read_record(path, expected_genesis=genesis)
        verdict = "[green]valid[/green]" if report.ok else "[red]INVALID[/red]"
        say(f"   record: [cyan]{path}[/cyan]: {verdict}, {report.entries} entries")
        say(f"\nCheck it yourself: [bold]accord verify {path} --genesis {genesis}[/bold]")
        return path
