"""What the record says can be read with the relay down: `text show`, `decision show` and
`credentials show` read the node's verified copy, and say so (issue 14)."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from accord.core import events as ev
from accord.core.genesis import procedure_2
from tests import negotiating as n
from tests.delegations import PASSPHRASE, convene, now
from tests.relay_process import relay
from tests.web_nodes import WebNodeProcess

pytestmark = pytest.mark.slow


def test_the_record_is_read_from_the_local_copy_when_the_relay_is_down(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, ("ARC", "BOR", "CAL"), procedure=procedure_2(3))
        cast.host.negotiate(cast.conf, ev.TEXT, n.table(n.version()), now())
        cast.host.negotiate(cast.conf, ev.DECISION, n.decision("d1", n.version(),
                                                               kind="adoption"), now())  # fmt: skip
        cast.delegates["ARC"].sync(cast.conf)
        cast.close()
    env = {**os.environ, "ACCORD_PASSPHRASE": PASSPHRASE,
           "ACCORD_HOME": str(tmp_path / "delegate-ARC")}  # fmt: skip
    expected = {"text": "Cyber-Incident Cooperation Arrangement (version 1",
                "decision": "d1: consensus on cica version 1: open",
                "credentials": "ARC: Republic of Arcadia"}  # fmt: skip
    for command in (["text", "show", "--text", "cica"], ["decision", "show"],
                    ["credentials", "show"]):  # fmt: skip
        shown = subprocess.run(
            [sys.executable, "-m", "accord", *command, "--conf", cast.conf], env=env,
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert shown.returncode == 0, shown.stdout + shown.stderr
        assert "the relay cannot be reached" in shown.stderr
        assert "shown from this node's verified copy" in shown.stderr
        assert "last synced 20" in shown.stderr and " ago)" in shown.stderr
        assert expected[command[0]] in shown.stdout, shown.stdout


def test_the_web_pages_read_the_local_copy_and_say_when_it_was_synced(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, ("ARC", "BOR"), procedure=procedure_2(2))
        cast.host.negotiate(cast.conf, ev.TEXT, n.table(n.version()), now())
        cast.delegates["ARC"].sync(cast.conf)
        cast.close()
    web = WebNodeProcess(tmp_path / "delegate-ARC", tmp_path / "web.log").start()
    try:
        with httpx.Client(base_url=web.url, timeout=30) as client:
            client.post("/unlock", data={"passphrase": PASSPHRASE})
            for page in (f"/c/{cast.conf}", f"/c/{cast.conf}/t/cica", f"/c/{cast.conf}/decisions"):
                shown = html.unescape(client.get(page).text)
                assert (
                    "relay unreachable: showing this node's verified copy, last synced 20" in shown
                )
                assert " ago)" in shown
            assert (
                "Cyber-Incident Cooperation Arrangement"
                in client.get(f"/c/{cast.conf}/t/cica").text
            )
    finally:
        web.stop()
