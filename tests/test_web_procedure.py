"""The web interface under rules of procedure 2 (docs/protocol.md 12.4): the chair opens a
decision on accepting a text as the basis for negotiation and on a delegation's
proposal; a delegation requests a vote instead of consensus and answers "present"; the
page shows the roll-call with absent states. Real relay, real web node processes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
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

STATES = ("ARC", "BOR", "CAL", "DUN")


@contextmanager
def unlocked(web: WebNodeProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web.url, timeout=20) as client:
        assert client.post("/unlock", data={"passphrase": PASSPHRASE}).status_code == 303
        yield client


def post(client: httpx.Client, path: str, form: dict[str, str]) -> str:
    """Post a form from the decisions page with its token; the page after it."""
    page = client.get("/c/talks/decisions").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    client.post(path, data={"csrf": token.group(1), **form})
    return client.get("/c/talks/decisions").text


def test_the_chair_and_delegations_act_under_rules_of_procedure_2(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, STATES, conf="talks",
                       procedure=procedure_2(len(STATES), consensus_min_ms=0))  # fmt: skip
        cast.host.negotiate("talks", ev.TEXT, n.table(n.version()), now())
        proposal = cast.delegates["BOR"].negotiate(
            "talks", ev.AMEND, n.amend("op3", "delete_paragraph"), now()
        )["event"]
        for node in (cast.host, *cast.delegates.values()):
            node.close()
        chair = WebNodeProcess(tmp_path / "host", tmp_path / "web-chair.log").start()
        cal = WebNodeProcess(tmp_path / "delegate-CAL", tmp_path / "web-cal.log").start()
        try:
            with unlocked(chair) as c, unlocked(cal) as d:
                page = c.get("/c/talks/decisions").text
                assert (
                    'name="kind"' in page
                    and "cica: BOR&#39;s proposal on paragraph 3 (delete paragraph)" in page
                )
                page = post(c, "/c/talks/decisions", {"decision": "basis-1", "text": "cica",
                            "procedure": "consensus", "kind": "basis"})  # fmt: skip
                assert "cica version 1 as the basis for negotiation" in page
                # Calvia requests a vote: there is no consensus.
                page = post(d, "/c/talks/d/basis-1/object", {"reason": "A vote, please.",
                                                            "request_vote": "on"})  # fmt: skip
                assert "vote by CAL" in page
                assert "Request for a vote recorded; keep its receipt" in page
                post(c, "/c/talks/d/basis-1/close", {"outcome": "not_adopted"})
                # A decision on Borduria's proposal, by vote; Calvia answers present.
                page = post(c, "/c/talks/decisions", {"decision": "del-op3", "text": "cica",
                            "procedure": "vote", "rule": "two_thirds_majority",
                            "kind": "proposal", "on": proposal})  # fmt: skip
                assert (
                    "BOR&#39;s proposal on paragraph 3 (delete paragraph) on cica version 1" in page
                )
                assert 'value="present"' in d.get("/c/talks/decisions").text
                page = post(d, "/c/talks/d/del-op3/vote", {"vote": "present"})
                assert "<td>CAL</td><td>present, not voting</td>" in page
                assert "<td>ARC</td><td>absent</td>" in page
                assert "no quorum: 3 member states must answer" in page
                missing = post(c, "/c/talks/decisions", {"decision": "x", "text": "cica",
                               "procedure": "consensus", "kind": "proposal"})  # fmt: skip
                assert "choose the proposal the decision is on" in missing
        finally:
            chair.stop()
            cal.stop()
