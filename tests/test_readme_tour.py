"""The README works in a clone: its tour, docs/tour.sh and docs/tour-rules.sh, is shown
there verbatim and run here against a real relay, and it links to nothing outside the
repository."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from accord.core.credentials import FullPowers, Revocation
from accord.core.keys import PublicKey
from tests.relay_process import relay

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SCRIPTS = ("docs/tour.sh", "docs/tour-rules.sh")
# What stands just before the README's copy of a script (an HTML comment: not rendered).
VERBATIM = "<!-- {path}, verbatim (tests/test_readme_tour.py checks it) -->"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def readme_copy(path: str) -> str:
    """The fenced block that follows the README's marker for `path`, as the script's text."""
    text = README.read_text("utf-8")
    marker = VERBATIM.format(path=path)
    assert text.count(marker) == 1, f"the README shows {path} once, after {marker!r}"
    match = re.match(r"\n```bash\n(.*?\n)```\n", text.split(marker, 1)[1], re.DOTALL)
    assert match, f"a ```bash block follows {marker!r}"
    return match.group(1)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_readme_shows_the_tour_verbatim(script: str) -> None:
    assert readme_copy(script) == (REPO / script).read_text("utf-8"), (
        f"the README's copy of {script} differs from the script: edit the script, run it, "
        "then paste it into the README"
    )


def test_the_readme_links_only_to_files_in_the_repository() -> None:
    text = README.read_text("utf-8")
    targets = re.findall(r"\]\(([^)\s]*)", text) + re.findall(r"<([a-z]+:[^>\s]*)>", text)
    assert targets, "the README's links were found"
    for target in targets:
        assert not urlsplit(target).scheme, f"a link outside the repository: {target}"
        path = (README.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(REPO) and path.exists(), f"a link to no file: {target}"
    # Addresses written out are the reader's own machine (the relay, the nodes' pages).
    for url in re.findall(r"\b[a-z][a-z0-9+.-]*://[^\s`)>\"']+", text):
        assert urlsplit(url).hostname in LOOPBACK, f"an outside address: {url}"
    # Files and folders the README names in `code` are there too.
    for named in re.findall(r"`((?:docs|tests|scripts|src|benchmarks|frontend)/[^`\s]*)`", text):
        assert (REPO / named).exists(), f"the README names {named}, which is not in the repository"


def run_tour(script: str, tmp_path: Path) -> str:
    """`bash script` against a real relay process on a free port, with this checkout's
    code; what it printed, once it succeeded."""
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
        env |= {
            "ACCORD_RELAY": r.url,
            "ACCORD_CLI": f"{sys.executable} -m accord",
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]),
            "TMPDIR": str(tmp_path),
            "COLUMNS": "80",  # as a pipe gives it: nothing the tour needs is cut
        }
        done = subprocess.run(
            ["bash", str(REPO / script)], capture_output=True, text=True, env=env,
            timeout=300, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-6000:]
    assert "UNEXPECTED" not in out
    return out


@pytest.mark.slow
def test_the_tour_runs_as_written(tmp_path: Path) -> None:
    """Every step succeeds or, where the tour expects it, is refused; it ends with the
    final act verified offline, saying what was adopted and by whom."""
    out = run_tour("docs/tour.sh", tmp_path)
    # The refusals the tour expects, in the record's words.
    assert "a silence procedure ends at its deadline, not before" in out
    assert "full powers were revoked by BOR" in out and "(recalled)" in out
    assert out.count("(refused, as expected)") == 2
    # The record verifies; then the final act says what was adopted, how, and by whom.
    assert "VALID: " in out and "Boris Vlk  BOR" in out
    final = out.split("== The final act", 1)[1]
    assert "VALID FINAL ACT" in final
    assert "Arrangement on Points of Contact, version 2" in final
    assert "adopted by vote (two thirds majority): decision vote-1" in final
    assert "ARC: yes, BOR: abstain" in final
    assert "request for assistance within 72 hours." in final
    assert "signature by Ana Reyes (ARC), under full powers" in final


@pytest.mark.slow
def test_the_tours_second_part_runs_as_written(tmp_path: Path) -> None:
    out = run_tour("docs/tour-rules.sh", tmp_path)
    assert "roll-call: ARC yes, BOR present" in out
    assert "BOR's motion for division on poc (op2)" in out
    assert "identified: " in out and "comes from the copy sent to BOR" in out
    assert "present: ARC (Ana Reyes (ARC)" in out
    assert "statement recorded" in out
    assert "VALID: " in out.split("== The record verifies offline", 1)[1]


@pytest.mark.slow
def test_quiet_prints_the_value_alone_for_a_script(tmp_path: Path) -> None:
    """What the tour captures with `$(... --quiet)`: the key, id or hash alone on one
    line, as the command says it in words without the option (`conference create` and
    `safety-number` are captured, and used, by the tour itself)."""
    env = {**os.environ, "ACCORD_PASSPHRASE": "a passphrase for tests"}

    def accord(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "accord", *args, "--home", str(tmp_path / "mfa")],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    accord("init")
    root = accord("root", "create", "ARC", "--quiet")
    assert root.endswith("\n") and root.count("\n") == 1
    assert PublicKey.parse(root.strip()).text == root.strip()
    assert accord("root", "create", "BOR").startswith("root key of BOR: ed25519:")
    key = accord("identity", "create", "--quiet").strip()
    assert accord("identity", "show", "-q").strip() == key
    assert f"identity: {key}" in accord("identity", "show")
    out = tmp_path / "powers.json"
    powers = accord("powers", "issue", "--state", "ARC", "--delegate", "Ana Reyes", "--key", key,
                    "--power", "negotiate", "--conference", "tour", "--out", str(out), "--quiet")  # fmt: skip
    assert powers.strip() == FullPowers.parse(json.loads(out.read_text())).id
    out = tmp_path / "rev.json"
    revocation = accord("powers", "revoke", "--state", "ARC", "--credential", powers.strip(),
                        "--reason", "recalled", "--out", str(out), "-q")  # fmt: skip
    assert revocation.strip() == Revocation.parse(json.loads(out.read_text())).id
