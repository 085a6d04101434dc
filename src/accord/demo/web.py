"""Three delegations in a demo conference, each with its own node, ready for the web
interface: `make run` serves them beside a relay, and the browser tests use the same cast.

Arcadia's head of delegation presides: its node holds the chair's key as well as its
delegate credential, and signs the chair's acts (tabling, decisions) in the chair's
capacity. Every ministry's root key stays in its own node, apart from the delegates'.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from accord.core.credentials import FullPowers
from accord.core.errors import AccordError
from accord.infra.clock import now_ms
from accord.node.client import RelayError
from accord.node.session import Node

# The demo's nodes are throwaway: their passphrase is printed, not a secret.
PASSPHRASE = "demo passphrase, not for real keys"
CONF = "cyber-talks"
TITLE = "Conference on Confidence-Building Measures in Cyberspace"
DELEGATIONS = {
    "ARC": ("Republic of Arcadia", "Ana Reyes", ["negotiate", "adopt", "sign"]),
    "BOR": ("Kingdom of Borduria", "Boris Vlk", ["negotiate", "adopt", "sign"]),
    "CAL": ("Calvia", "Carla Ostrova", ["negotiate", "adopt", "sign"]),
}
CHAIR = "ARC"
DEMO_SILENCE_MS = 5 * 60_000  # long enough to watch a countdown, short enough to wait for


@dataclass(frozen=True)
class DemoCast:
    relay: str
    conf: str
    genesis: str
    homes: dict[str, Path]  # state code -> delegate node home

    def to_json(self) -> dict[str, object]:
        return {"relay": self.relay, "conf": self.conf, "genesis": self.genesis,
                "homes": {k: str(v) for k, v in self.homes.items()}}  # fmt: skip


def convene_demo(
    relay: str,
    home: Path,
    conf: str = CONF,
    silence_period_ms: int = DEMO_SILENCE_MS,
) -> DemoCast:
    """Ministries make roots and full powers; Arcadia's delegate opens the conference as
    chair; all three delegates join. Node homes under `home`."""
    nodes: list[Node] = []
    try:
        ministries, roots = {}, []
        for code, (name, _, _) in DELEGATIONS.items():
            ministry = Node.create(home / f"ministry-{code}", PASSPHRASE)
            nodes.append(ministry)
            roots.append({"code": code, "name": name,
                          "root": ministry.create_root(code).text, "role": "member"})  # fmt: skip
            ministries[code] = ministry
        delegates, keys = {}, {}
        for code in DELEGATIONS:
            delegates[code] = Node.create(home / f"delegate-{code}", PASSPHRASE)
            nodes.append(delegates[code])
            keys[code] = delegates[code].create_identity()
        chair_name = f"{DELEGATIONS[CHAIR][1]} ({DELEGATIONS[CHAIR][0]}), Chair"
        genesis = delegates[CHAIR].create_conference(
            relay, conf, TITLE, roots, now_ms(), chair=(chair_name, keys[CHAIR]),
            host_name=chair_name, silence_period_ms=silence_period_ms,
        )  # fmt: skip
        for code, (_, person, powers) in DELEGATIONS.items():
            credential = ministries[code].issue_powers(code, person, keys[code], powers, [conf],
                                                       now_ms())  # fmt: skip
            FullPowers.parse(credential)
            delegates[code].join(relay, conf, credential, genesis, now_ms())
        return DemoCast(relay, conf, genesis, {c: home / f"delegate-{c}" for c in DELEGATIONS})
    finally:
        for node in nodes:
            node.close()


def ensure_demo(relay: str, home: Path) -> DemoCast:
    """The demo cast under `home`, convened on `relay` unless it already is there (a
    second `make run` finds its conference again; a fresh relay database, a fresh cast)."""
    saved = home / "cast.json"
    if saved.exists():
        data = json.loads(saved.read_text("utf-8"))
        cast = DemoCast(data["relay"], data["conf"], data["genesis"],
                        {k: Path(v) for k, v in data["homes"].items()})  # fmt: skip
        if cast.relay == relay and _still_there(cast):
            return cast
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    cast = convene_demo(relay, home, f"{CONF}-{now_ms() // 1000}")
    saved.write_text(json.dumps(cast.to_json(), indent=2) + "\n", "utf-8")
    return cast


def _still_there(cast: DemoCast) -> bool:
    node = Node.open(cast.homes[CHAIR], PASSPHRASE)
    try:
        return node.sync(cast.conf).alert is None
    except (RelayError, AccordError):
        return False
    finally:
        node.close()
