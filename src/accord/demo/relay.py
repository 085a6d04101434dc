"""`accord demo --relay URL`: the demo's story through a running relay.

Every party is its own node with its own keystore and replica under DIR/nodes: three
ministries, a host who chairs, three delegates. The record is exported from one
delegation's replica and verified offline.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from accord.core.credentials import FullPowers
from accord.core.errors import AccordError
from accord.infra.record_file import read_record, write_record
from accord.node.session import Node

# The demo's nodes are throwaway: their passphrase is printed here, not a secret.
PASSPHRASE = "demo passphrase, not for real keys"
STATES = {
    "ARC": ("Republic of Arcadia", "Ana Reyes", ["negotiate", "adopt", "sign"]),
    "BOR": ("Kingdom of Borduria", "Boris Vlk", ["negotiate", "adopt"]),
    "CAL": ("Calvia", "Carla Ostrova", ["negotiate"]),
}


def _now() -> int:
    return int(time.time() * 1000)


def run_relay_demo(relay: str, out: Path, console: Console) -> Path:
    say = console.print
    conf = f"cyber-cbm-{int(time.time())}"
    nodes_dir = out / "nodes" / conf
    nodes: list[Node] = []

    def node(name: str) -> Node:
        n = Node.create(nodes_dir / name, PASSPHRASE)
        nodes.append(n)
        return n

    try:
        say(f"[bold]1. Three ministries create their root keys[/bold] (nodes in {nodes_dir}).")
        ministries, roots = {}, []
        for code, (name, _, _) in STATES.items():
            ministries[code] = node(f"ministry-{code}")
            root = ministries[code].create_root(code)
            roots.append({"code": code, "name": name, "root": root.text, "role": "member"})
            say(f"   {name} ({code}): root fingerprint {root.fingerprint()}")

        say(f"\n[bold]2. The host opens {conf} on {relay}.[/bold]")
        host = node("host")
        host.create_identity()
        genesis = host.create_conference(
            relay, conf, "Conference on Confidence-Building Measures in Cyberspace", roots, _now(),
            host_name="Ambassador Ines Moreau",
        )  # fmt: skip
        say(f"   genesis hash (sent to every delegation out of band): [cyan]{genesis}[/cyan]")

        say("\n[bold]3. Ministries issue full powers; delegates join with them.[/bold]")
        delegates, creds = {}, {}
        for code, (_, person, powers) in STATES.items():
            delegates[code] = node(f"delegate-{code}")
            key = delegates[code].create_identity()
            credential = ministries[code].issue_powers(code, person, key, powers, [conf], _now())
            creds[code] = FullPowers.parse(credential).id
            receipt = delegates[code].join(relay, conf, credential, genesis, _now())
            say(f"   #{receipt['seq']} {person} ({code}) joined, powers to {', '.join(powers)}")

        say("\n[bold]4. The conference talks; each node syncs, verifies, encrypts, signs.[/bold]")
        for speaker, text in [
            (host, "The meeting is open. Agenda item 1: points of contact."),
            (delegates["ARC"], "Arcadia proposes a point of contact within 30 days."),
            (delegates["BOR"], "Borduria supports, with a technical and a diplomatic contact."),
            (delegates["CAL"], "Calvia agrees and asks for six-monthly reachability checks."),
        ]:
            receipt = speaker.post(conf, text, _now())
            say(f"   #{receipt['seq']} {text}")

        say("\n[bold]5. Borduria revokes its delegate's full powers.[/bold]")
        revocation = ministries["BOR"].revoke_powers(
            "BOR", creds["BOR"], "device reported stolen", _now()
        )
        receipt = host.publish_revocation(conf, revocation, _now())
        say(f"   #{receipt['seq']} the chair publishes the signed revocation")
        try:
            delegates["BOR"].post(conf, "Borduria withdraws its support.", _now())
        except AccordError as exc:
            say(f"   [red]refused[/red]: {exc}")
        text = "Arcadia asks Borduria to name a new delegate."
        receipt = delegates["ARC"].post(conf, text, _now())
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

        say("\n[bold]6. Every delegation's replica agrees; Calvia exports the record.[/bold]")
        digests = set()
        for code, d in delegates.items():
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
        write_record(path, delegates["CAL"].export(conf))
        report = read_record(path, expected_genesis=genesis)
        verdict = "[green]valid[/green]" if report.ok else "[red]INVALID[/red]"
        say(f"   record: [cyan]{path}[/cyan]: {verdict}, {report.entries} entries")
        say(f"\nCheck it yourself: [bold]accord verify {path} --genesis {genesis}[/bold]")
        return path
    finally:
        for n in nodes:
            n.close()
