"""The README's tour, by the command line: two delegations over a real relay."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.relay_process import relay

pytestmark = pytest.mark.slow


def run(*args: str, home: Path | None = None, ok: bool = True) -> str:
    env = {**os.environ, "ACCORD_PASSPHRASE": "a passphrase for tests"}
    if home is not None:
        env["ACCORD_HOME"] = str(home)
    result = subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert (result.returncode == 0) == ok, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout + result.stderr


def grab(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in {text!r}"
    return match.group(1)


def test_the_tour(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        homes = {n: tmp_path / n for n in ("arc-ministry", "bor-ministry", "host", "ana", "boris")}
        for home in homes.values():
            run("init", home=home)
        roots = {
            code: grab(
                r"root key of \w+: (\S+)",
                run("root", "create", code, home=homes[f"{code.lower()}-ministry"]),
            )
            for code in ("ARC", "BOR")
        }
        run("identity", "create", home=homes["host"])
        create = (
            "conference", "create", "--relay", r.url, "--conf", "tour", "--title", "Tour",
            "--state", f"ARC:Republic of Arcadia:{roots['ARC']}",
            "--state", f"BOR:Kingdom of Borduria:{roots['BOR']}", "--chair-name", "Ambassador Moreau",
        )  # fmt: skip
        refused = run(*create, "--time-zone", "Vienna", home=homes["host"], ok=False)
        said = " ".join(refused.replace("│", " ").split())
        assert "unknown time zone 'Vienna': give an IANA name such as Europe/Vienna" in said
        out = run(*create, "--time-zone", "Europe/Vienna", home=homes["host"])
        genesis = grab(r"genesis hash .*: (sha256:\S+)", out)
        creds = {}
        for code, name, who in (("ARC", "Ana Reyes", "ana"), ("BOR", "Boris Vlk", "boris")):
            key = grab(r"identity: (\S+)", run("identity", "create", home=homes[who]))
            out = run(
                "powers", "issue", "--state", code, "--delegate", name, "--key", key,
                "--power", "negotiate", "--conference", "tour", "--out", str(tmp_path / f"{who}.json"),
                home=homes[f"{code.lower()}-ministry"],
            )  # fmt: skip
            creds[who] = grab(r"full powers (sha256:\S+)", out)
            run("join", "--relay", r.url, "--conf", "tour", "--credential", str(tmp_path / f"{who}.json"),
                "--genesis", genesis, home=homes[who])  # fmt: skip
        run("post", "--conf", "tour", "The meeting is open.", home=homes["host"])
        run("post", "--conf", "tour", "Arcadia greets Borduria.", home=homes["ana"])
        run("post", "--conf", "tour", "Borduria greets Arcadia.", home=homes["boris"])
        assert "new entries verified" in run("sync", home=homes["ana"])
        assert "Borduria greets Arcadia." in run("messages", "--conf", "tour", home=homes["ana"])
        status = run("status", home=homes["ana"])
        assert "tour" in status and "ALERT" not in status
        # Ana and Boris compare safety numbers by telephone; Ana marks Boris verified.
        number = grab(r"safety number with .*:\s+(.+)", run(
            "safety-number", "--conf", "tour", "--state", "BOR", "--delegate", "Boris Vlk",
            home=homes["ana"]))  # fmt: skip
        assert number.strip() in run(
            "safety-number", "--conf", "tour", "--state", "ARC", "--delegate", "Ana Reyes",
            home=homes["boris"])  # fmt: skip
        assert "verified" in run("contact", "verify", "--conf", "tour", "--state", "BOR",
            "--delegate", "Boris Vlk", "--number", number, home=homes["ana"])  # fmt: skip
        devices = run("device", "list", "--conf", "tour", home=homes["ana"])
        assert "active (this node)" in devices and "Boris Vlk" in devices
        # Borduria revokes Boris; his next post is refused by the relay with the reason.
        run("powers", "revoke", "--state", "BOR", "--credential", creds["boris"], "--reason", "recalled",
            "--out", str(tmp_path / "rev.json"), home=homes["bor-ministry"])  # fmt: skip
        run("publish-revocation", "--conf", "tour", str(tmp_path / "rev.json"), home=homes["host"])
        refused = run("post", "--conf", "tour", "Still here?", home=homes["boris"], ok=False)
        assert "revoked" in refused and "recalled" in refused
        # Ana's next sync replaces the plenary key; Boris reads nothing said after.
        assert "new epoch key for channel plenary" in run("sync", home=homes["ana"])
        run("post", "--conf", "tour", "Arcadia regrets the recall.", home=homes["ana"])
        run("sync", home=homes["boris"])
        seen_by_boris = run("messages", "--conf", "tour", home=homes["boris"])
        assert "Borduria greets Arcadia." in seen_by_boris
        assert "Arcadia regrets" not in seen_by_boris and "not readable" in seen_by_boris
        run("export", "--conf", "tour", "--out", str(tmp_path / "tour.jsonl"), home=homes["ana"])
    verified = run("verify", str(tmp_path / "tour.jsonl"), "--genesis", genesis)
    assert "VALID" in verified and "Boris Vlk" in verified
    run("init", home=homes["ana"], ok=False)  # never overwrites a keystore
    assert "wrong passphrase" in subprocess.run(
        [sys.executable, "-m", "accord", "status", "--home", str(homes["ana"])],
        capture_output=True, text=True, env={**os.environ, "ACCORD_PASSPHRASE": "not the passphrase"},
        check=False,
    ).stderr  # fmt: skip


def test_device_add_by_the_command_line(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        home = tmp_path / "chair"
        run("init", home=home)
        ministry = tmp_path / "mfa"
        run("init", home=ministry)
        root = grab(r"root key of \w+: (\S+)", run("root", "create", "ARC", home=ministry))
        run("identity", "create", home=home)
        run("conference", "create", "--relay", r.url, "--conf", "dev", "--title", "Devices",
            "--state", f"ARC:Republic of Arcadia:{root}", home=home)  # fmt: skip
        out = run("device", "add", "--conf", "dev", "--name", "office laptop", home=home)
        assert "device 'office laptop' announced" in out
        assert "ALERT" not in run("status", home=home)


def test_channels_by_the_command_line(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        chair, mfa = tmp_path / "chair", tmp_path / "mfa"
        for home in (chair, mfa):
            run("init", home=home)
        root = grab(r"root key of \w+: (\S+)", run("root", "create", "ARC", home=mfa))
        run("identity", "create", home=chair)
        run("conference", "create", "--relay", r.url, "--conf", "ch", "--title", "Channels",
            "--state", f"ARC:Republic of Arcadia:{root}", home=chair)  # fmt: skip
        run("channel", "open", "--conf", "ch", "--id", "consult-arc", "--kind", "consultation",
            "--member", "ARC", home=chair)  # fmt: skip
        run("post", "--conf", "ch", "--channel", "consult-arc", "In confidence.", home=chair)
        assert "[consult-arc] the chair (Chair): In confidence." in run(
            "messages", "--conf", "ch", home=chair
        )
        refused = run("post", "--conf", "ch", "--channel", "nowhere", "?", home=chair, ok=False)
        assert "no channel 'nowhere'" in refused
