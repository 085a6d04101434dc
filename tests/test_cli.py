"""The `accord` command, run as a real process: demo, verify and its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.core.keys import SigningKey, fingerprint, safety_number
from tests.builders import standard_world

pytestmark = pytest.mark.slow


def accord(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = accord("demo", "--out", str(out))
    assert result.returncode == 0, result.stderr
    for step in (
        "joined", "refused (not_accredited)", "refused (revoked)", "verification: valid",
        "sealed to the 3 devices", "cannot read it", "[(2) without undue delay (Proposed: BOR; "
        "supported: CAL; opposed: ARC)]", "outcome, recomputed by every member: not adopted",
        "statement (interpretative) by BOR", "VALID FINAL ACT",
    ):  # fmt: skip
        assert step in result.stdout
    return out


def test_verify_accepts_the_demo_final_act(demo_dir: Path) -> None:
    result = accord("verify", str(demo_dir / "poc.final-act.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "adopted by consensus" in result.stdout and "signature by Ana Reyes" in result.stdout


def test_verify_accepts_the_demo_record(demo_dir: Path) -> None:
    result = accord("verify", str(demo_dir / "cyber-cbm-2026.accord.jsonl"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VALID" in result.stdout and "Borduria" in result.stdout


def test_verify_rejects_the_tampered_copy_naming_the_entry(demo_dir: Path) -> None:
    result = accord("verify", str(demo_dir / "cyber-cbm-2026.tampered.accord.jsonl"))
    assert result.returncode == 1
    # Carla's message, #12, had one character of its ciphertext changed.
    assert "INVALID" in result.stdout and "entry #12" in result.stdout


def test_verify_checks_the_expected_genesis(demo_dir: Path) -> None:
    record = str(demo_dir / "cyber-cbm-2026.accord.jsonl")
    report = json.loads(accord("verify", "--json", record).stdout)
    genesis = report["state"]["genesis"]
    assert accord("verify", "--genesis", genesis, record).returncode == 0
    other = accord("verify", "--genesis", "sha256:" + "A" * 43, record)
    assert other.returncode == 1 and "unexpected_genesis" in other.stdout


def test_verify_json_report(tmp_path: Path) -> None:
    world, _ = standard_world()
    record = tmp_path / "r.jsonl"
    record.write_bytes(b"".join(world.lines()))
    report = json.loads(accord("verify", "--json", str(record)).stdout)
    assert report["valid"] is True and report["entries"] == len(world.entries())
    assert report["problem"] is None and report["state"]["message_count"] == 6


def test_verify_exit_code_2_for_what_is_not_a_record(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("hello\n")
    result = accord("verify", str(garbage))
    assert result.returncode == 2 and "not an Accord record" in result.stderr
    assert accord("verify", str(tmp_path / "missing.jsonl")).returncode == 2
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert accord("verify", str(empty)).returncode == 2
    assert accord("verify").returncode == 2  # wrong usage
    # A record line holding an integer of thousands of digits: said, not a traceback.
    huge = tmp_path / "huge.jsonl"
    huge.write_text('{"a":' + "9" * 5000 + "}\n")
    result = accord("verify", str(huge))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "an integer of 5000 digits is outside" in result.stderr


def test_fingerprint_and_safety_number() -> None:
    a, b = SigningKey.from_label("a").public, SigningKey.from_label("b").public
    assert accord("fingerprint", a.text).stdout.strip() == fingerprint(a)
    assert accord("fingerprint", a.text, b.text).stdout.strip() == safety_number(a, b)
    assert accord("fingerprint", "ed25519:xyz").returncode == 2


def test_square_brackets_in_texts_are_shown_as_they_are(tmp_path: Path) -> None:
    # Negotiating texts are full of brackets; the terminal must not eat them as markup.
    from rich.console import Console

    from accord.cli.display import message_line

    world, authors = standard_world()
    text = "[within 72 hours] [without undue delay] [red]"
    world.say(authors["ARC"], text)
    state = world.view.state
    assert state is not None
    seq = world.message_seqs()[-1]
    console = Console(record=True, width=200)
    console.print(message_line(state.messages[seq], world.read(authors["CAL"], seq)))
    assert text in console.export_text()
    # Offline, without a member's keys, `verify` lists who said something when, not what.
    record = tmp_path / "r.jsonl"
    record.write_bytes(b"".join(world.lines()))
    out = accord("verify", "--messages", str(record)).stdout
    assert f"#{seq}" in out and "(encrypted, epoch 2)" in out and text not in out
