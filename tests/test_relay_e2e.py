"""Three delegations negotiate through a relay running as a real process, on SQLite and on
PostgreSQL; the record is exported and verified offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from accord.node.session import Node
from tests.delegations import PASSPHRASE, convene, now
from tests.relay_process import relay

pytestmark = pytest.mark.slow


def test_three_delegations_over_a_relay(database_url: str, tmp_path: Path) -> None:
    with relay(database_url, tmp_path) as r:
        cast = convene(r.url, tmp_path)
        try:
            cast.host.post(cast.conf, "The meeting is open.", now())
            cast.delegates["ARC"].post(cast.conf, "Arcadia proposes 30 days.", now())
            cast.delegates["BOR"].post(cast.conf, "Borduria supports.", now())
            cast.delegates["CAL"].post(cast.conf, "Calvia agrees.", now())
            states = []
            for node in [cast.host, *cast.delegates.values()]:
                result = node.sync(cast.conf)
                assert result.alert is None
                state = node.replica.load(cast.conf).state
                assert state is not None
                states.append(state.digest())
            assert len(set(states)) == 1, "every node computes the same state from the log"
            messages = [r.text for r in node.messages(cast.conf)]
            assert messages == [
                "The meeting is open.",
                "Arcadia proposes 30 days.",
                "Borduria supports.",
                "Calvia agrees.",
            ]
            record = tmp_path / "talks.accord.jsonl"
            record.write_bytes(b"".join(cast.delegates["CAL"].export(cast.conf)))
        finally:
            cast.close()
    # Offline: the relay is gone.
    verified = subprocess.run(
        [sys.executable, "-m", "accord", "verify", str(record)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "VALID" in verified.stdout and "Borduria" in verified.stdout


def test_a_node_reopens_with_its_passphrase_and_keeps_its_replica(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, states=("ARC",))
        length = cast.delegates["ARC"].replica.length(cast.conf)
        cast.close()
        reopened = Node.open(tmp_path / "delegate-ARC", PASSPHRASE)
        assert reopened.replica.length(cast.conf) == length
        reopened.post(cast.conf, "Back again.", now())
        # The first message of the conference keys the plenary's first epoch first.
        assert reopened.replica.length(cast.conf) == length + 2
        assert [r.text for r in reopened.messages(cast.conf)] == ["Back again."]
        reopened.close()


def test_demo_through_a_relay_and_logs_without_content(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "accord",
                "demo",
                "--relay",
                r.url,
                "--out",
                str(tmp_path / "demo"),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "states computed: 1 distinct" in result.stdout and ": valid" in result.stdout
        assert "refused" in result.stdout and "device reported stolen" in result.stdout
        assert "Borduria's node on that message: not readable" in result.stdout
    log = (tmp_path / "relay.log").read_text()
    assert '"msg": "batch committed"' in log  # the relay logs what it does...
    for phrase in ("Agenda item 1", "reachability checks", "Borduria withdraws"):
        assert phrase not in log  # ...and never what was said
