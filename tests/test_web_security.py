"""The web interface as an attacker on this machine or a hostile web page would try it:
a locked node, a wrong passphrase, another Host name (DNS rebinding), a form from another
site or without its token, an oversized form, markup in a message. Each is refused with
a reason and changes nothing."""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from accord.demo.web import PASSPHRASE, DemoCast, convene_demo
from tests.relay_process import RelayProcess, free_ports
from tests.web_nodes import WebNodeProcess

pytestmark = pytest.mark.slow

VENDOR = Path(__file__).parents[1] / "src" / "accord" / "node" / "web" / "static" / "vendor"


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebNodeProcess, DemoCast]]:
    tmp = tmp_path_factory.mktemp("web-security")
    relay = RelayProcess(
        f"sqlite:///{tmp / 'relay.sqlite'}", tmp / "key", tmp / "relay.log"
    ).start()
    try:
        cast = convene_demo(relay.url, tmp / "nodes", conf="talks")
        web = WebNodeProcess(cast.homes["BOR"], tmp / "web.log").start()
        try:
            yield web, cast
        finally:
            web.stop()
    finally:
        relay.stop()


@contextmanager
def unlocked(web: WebNodeProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web.url, timeout=10) as client:
        response = client.post("/unlock", data={"passphrase": PASSPHRASE})
        assert response.status_code == 303 and f"accord_session_{web.port}" in response.cookies
        yield client


def form_token(client: httpx.Client, path: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


def messages(client: httpx.Client) -> int:
    """How many messages the plenary shows (the watcher may add other entries, such as a
    new key epoch, at any time)."""
    return len(re.findall(r'<li id="m-\d+"', client.get("/c/talks/ch/plenary").text))


def test_a_locked_node_shows_only_the_unlock_page(node: tuple[WebNodeProcess, DemoCast]) -> None:
    web, _ = node
    with httpx.Client(base_url=web.url) as anonymous:
        assert anonymous.get("/").headers["location"] == "/unlock"
        assert anonymous.get("/c/talks/decisions").headers["location"] == "/unlock"
        assert anonymous.get("/events").status_code == 401
        refused = anonymous.post("/unlock", data={"passphrase": "guess"})
        assert refused.status_code == 401 and "passphrase" in refused.text.lower()
        assert not refused.cookies


def test_an_unlocked_node_is_not_taken_over_with_a_wrong_passphrase(
    node: tuple[WebNodeProcess, DemoCast],
) -> None:
    web, _ = node
    with unlocked(web) as owner, httpx.Client(base_url=web.url) as intruder:
        refused = intruder.post("/unlock", data={"passphrase": "anything"})
        assert refused.status_code == 401 and not refused.cookies
        assert intruder.get("/").headers["location"] == "/unlock"
        assert owner.get("/").status_code == 200  # the delegate's session goes on


def test_only_loopback_host_names_are_answered(node: tuple[WebNodeProcess, DemoCast]) -> None:
    web, _ = node
    with unlocked(web) as client:
        rebound = client.get("/", headers={"host": f"attacker.example:{web.port}"})
        assert rebound.status_code == 421
        assert client.get("/", headers={"host": f"localhost:{web.port}"}).status_code == 200


def test_forms_from_elsewhere_or_without_their_token_change_nothing(
    node: tuple[WebNodeProcess, DemoCast],
) -> None:
    web, _ = node
    with unlocked(web) as client:
        before = messages(client)
        token = form_token(client, "/c/talks/ch/plenary")
        foreign = client.post(
            "/c/talks/ch/plenary", data={"csrf": token, "text": "forged"},
            headers={"origin": "http://attacker.example"},
        )  # fmt: skip
        assert foreign.status_code == 403
        no_token = client.post("/c/talks/ch/plenary", data={"text": "forged"})
        assert client.post("/lock", data={}).status_code == 403  # a page cannot lock it either
        assert no_token.status_code == 303
        page = client.get("/c/talks/ch/plenary").text
        assert "the form has expired" in page
        assert "forged" not in page
        assert messages(client) == before
        # Another browser's session (an old cookie) is not this one.
        stolen = {f"accord_session_{web.port}": "stolen"}
        with httpx.Client(base_url=web.url, cookies=stolen) as other:
            assert other.get("/c/talks").headers["location"] == "/unlock"


def test_an_oversized_form_is_refused(node: tuple[WebNodeProcess, DemoCast]) -> None:
    web, _ = node
    with unlocked(web) as client:
        before = messages(client)
        token = form_token(client, "/c/talks/ch/plenary")
        refused = client.post("/c/talks/ch/plenary", data={"csrf": token, "text": "x" * 3_000_000})
        assert refused.status_code == 413 and "larger than 2 MB" in refused.text

        def chunks() -> Iterator[bytes]:  # no length declared: counted as it comes
            yield f"csrf={token}&text=".encode()
            for _ in range(40):
                yield b"y" * 100_000

        streamed = client.post(
            "/c/talks/ch/plenary", content=chunks(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert streamed.status_code == 413
        assert messages(client) == before


def test_an_act_the_record_would_give_no_effect_is_refused_in_red(
    node: tuple[WebNodeProcess, DemoCast],
) -> None:
    """The relay cannot read a vote; every member's fold would find no such decision. The
    node checks the act by the fold's rules before signing it: the page says why it was
    refused, and nothing is sent."""
    web, _ = node
    with unlocked(web) as client:
        token = form_token(client, "/c/talks/decisions")
        client.post("/c/talks/d/no-such-decision/vote", data={"csrf": token, "vote": "yes"})
        # Someone without the session cannot take the delegate's notice away.
        with httpx.Client(base_url=web.url) as anonymous:
            assert anonymous.get("/unlock").status_code == 200
            assert anonymous.post("/unlock", data={"passphrase": "x"}).status_code == 401
        page = client.get("/c/talks/decisions").text
        assert 'class="notice bad"' in page
        assert "not sent: it would have no effect: no such decision" in page
        assert "Receipt: entry #" not in page


def test_markup_in_a_message_is_shown_as_text(node: tuple[WebNodeProcess, DemoCast]) -> None:
    web, _ = node
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with unlocked(web) as client:
        token = form_token(client, "/c/talks/ch/plenary")
        posted = client.post("/c/talks/ch/plenary", data={"csrf": token, "text": hostile})
        assert posted.status_code == 303
        page = client.get("/c/talks/ch/plenary")
        assert "Message posted" in page.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        policy = page.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert page.headers["x-frame-options"] == "DENY"


def test_an_unknown_conference_or_text_is_a_clear_not_found(
    node: tuple[WebNodeProcess, DemoCast],
) -> None:
    web, _ = node
    with unlocked(web) as client:
        missing = client.get("/c/no-such-talks")
        assert missing.status_code == 404 and "does not follow no-such-talks" in missing.text
        text = client.get("/c/talks/t/nothing")
        assert text.status_code == 404 and "no text &#39;nothing&#39;" in text.text


def test_the_vendored_front_end_files_are_the_pinned_npm_releases() -> None:
    pinned = json.loads((Path(__file__).parents[1] / "frontend" / "package.json").read_text())
    lines = [line.split() for line in (VENDOR / "MANIFEST").read_text().splitlines()[1:]]
    assert {(pkg, version) for pkg, version, _, _ in lines} == set(pinned["dependencies"].items())
    for _, _, name, digest in lines:
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_make_run_serves_a_relay_and_three_delegations(tmp_path: Path) -> None:
    """`accord web demo` (what `make run` starts): three addresses printed, each serving
    its unlock page; a second start finds the same conference; Ctrl-C stops everything."""
    relay_port = free_ports(4)  # the relay, then the three delegations' ports
    first = relay_port + 1
    ports = [first, first + 1, first + 2]

    def start() -> tuple[subprocess.Popen[str], str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "accord", "web", "demo", "--data", str(tmp_path),
             "--relay-port", str(relay_port), "--port", str(first)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        assert proc.stdout is not None
        out = ""
        deadline = time.monotonic() + 60
        while "Ctrl-C" not in out and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            out += line
        return proc, out

    conferences = []
    for _ in range(2):
        proc, out = start()
        try:
            for port in ports:
                assert f"http://127.0.0.1:{port}/" in out, out
                assert _answers(f"http://127.0.0.1:{port}/unlock")
            match = re.search(r"Demo conference (\S+),", out)
            assert match is not None, out
            conferences.append(match.group(1))
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(30) == 0
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{relay_port}/health", timeout=2)
    assert conferences[0] == conferences[1]


def _answers(url: str) -> bool:
    """Whether `url` answers 200 within 20 s (the servers start just after the print)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            return httpx.get(url, timeout=2).status_code == 200
        except httpx.TransportError:  # not listening yet, or closing a half-open socket
            time.sleep(0.1)
    return False
