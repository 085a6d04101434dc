"""A cast of real nodes (ministries, delegates, a host who chairs) around a relay."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from accord.core.credentials import FullPowers
from accord.core.genesis import PROCEDURE_1, Procedure
from accord.node.session import Node

PASSPHRASE = "correct horse battery staple"
NAMES = {"ARC": "Republic of Arcadia", "BOR": "Kingdom of Borduria", "CAL": "Calvia",
         "DUN": "Dunland", "ELB": "Elbonia"}  # fmt: skip
DELEGATES = {"ARC": "Ana Reyes", "BOR": "Boris Vlk", "CAL": "Carla Ostrova",
             "DUN": "Dara Dunn", "ELB": "Elif Berg"}  # fmt: skip


def accord(home: Path, *args: str) -> str:
    """Run the `accord` command as `home`'s node; what it printed (it must succeed)."""
    env = {**os.environ, "ACCORD_PASSPHRASE": PASSPHRASE, "ACCORD_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "accord", *args], capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def now() -> int:
    return int(time.time() * 1000)


@dataclass
class Cast:
    relay: str
    conf: str
    genesis: str
    host: Node
    ministries: dict[str, Node] = field(default_factory=dict)
    delegates: dict[str, Node] = field(default_factory=dict)
    credentials: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        for node in [self.host, *self.ministries.values(), *self.delegates.values()]:
            node.close()


def convene(
    relay: str,
    home: Path,
    states: tuple[str, ...] = ("ARC", "BOR", "CAL"),
    conf: str = "talks",
    powers: tuple[str, ...] = ("negotiate", "adopt"),
    silence_period_ms: int = 1000,  # short, so that tests can wait for a deadline
    procedure: Procedure = PROCEDURE_1,
    decision_rule: str = "consensus",
) -> Cast:
    """Ministries create roots, the host opens the conference, delegates join."""
    ministries = {}
    roots = []
    for code in states:
        ministry = Node.create(home / f"ministry-{code}", PASSPHRASE)
        roots.append(
            {
                "code": code,
                "name": NAMES[code],
                "root": ministry.create_root(code).text,
                "role": "member",
            }
        )
        ministries[code] = ministry
    host = Node.create(home / "host", PASSPHRASE)
    host.create_identity()
    genesis = host.create_conference(
        relay,
        conf,
        "Talks on Cyber Norms",
        roots,
        now(),
        host_name="Chair",
        silence_period_ms=silence_period_ms,
        procedure=procedure,
        decision_rule=decision_rule,
    )
    cast = Cast(relay, conf, genesis, host, ministries)
    for code in states:
        delegate = Node.create(home / f"delegate-{code}", PASSPHRASE)
        key = delegate.create_identity()
        credential = ministries[code].issue_powers(
            code, DELEGATES[code], key, list(powers), [conf], now()
        )
        delegate.join(relay, conf, credential, genesis, now())
        cast.delegates[code] = delegate
        cast.credentials[code] = FullPowers.parse(credential).id
    return cast
