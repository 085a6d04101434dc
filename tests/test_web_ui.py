"""The delegation's web interface in a real headless Chromium, three delegations (one
presiding) on their own nodes, through a real relay: from a tabled draft to a verified
final act, and the red alerts when the relay's database is tampered with."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from accord.core.credentials import FullPowers
from accord.demo.web import PASSPHRASE, DemoCast, convene_demo
from accord.node.session import Node
from tests.relay_process import RelayProcess
from tests.web_nodes import (
    WebNodeProcess,
    assert_clean,
    chromium,
    open_delegation,
    shot,
    web_nodes,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def now() -> int:
    return int(time.time() * 1000)


DRAFT = """Arrangement on Points of Contact
PP1. Recalling the voluntary norms of responsible State behaviour,
1. Each State shall name a point of contact for ICT incidents.
2. A State shall acknowledge a request for assistance.
3. The directory manager shall check reachability every year."""


class Talks:
    def __init__(self, tmp: Path, relay: RelayProcess, cast: DemoCast,
                 nodes: dict[str, WebNodeProcess], browser: Browser) -> None:  # fmt: skip
        self.tmp, self.relay, self.cast, self.nodes = tmp, relay, cast, nodes
        self.requests: dict[str, list[str]] = {code: [] for code in nodes}
        self.pages = {code: open_delegation(browser, nodes[code], self.requests[code])
                      for code in nodes}  # fmt: skip

    def conference(self, code: str) -> Page:
        page = self.pages[code]
        page.goto(f"{self.nodes[code].url}/c/{self.cast.conf}")
        return page

    def text(self, code: str, query: str = "") -> Page:
        page = self.pages[code]
        page.goto(f"{self.nodes[code].url}/c/{self.cast.conf}/t/poc{query}")
        return page

    def decisions(self, code: str) -> Page:
        page = self.pages[code]
        page.goto(f"{self.nodes[code].url}/c/{self.cast.conf}/decisions")
        return page


@pytest.fixture
def talks(tmp_path: Path) -> Iterator[Talks]:
    """The relay, three delegations' nodes and a browser page each; at the end, no page
    may have logged a console error, an uncaught exception or a CSP violation."""
    relay = RelayProcess(
        f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path / "sequencer.key", tmp_path / "relay.log"
    ).start()
    try:
        cast = convene_demo(relay.url, tmp_path / "nodes", conf="talks")
        with web_nodes(cast.homes, tmp_path) as nodes, chromium() as browser:
            talks = Talks(tmp_path, relay, cast, nodes, browser)
            yield talks
            assert_clean(talks.pages.values())
    finally:
        relay.stop()


def notice(page: Page, expected: str) -> str:
    """The notice of the act just done (waiting for it: the old page may still show)."""
    box = page.locator("#notices .notice").filter(has_text=expected)
    expect(box).to_be_visible()
    return box.inner_text()


def propose(page: Page, paragraph: str, op: str, old: str, new: str) -> None:
    """Fill in and send the amendment form of an open text page."""
    page.get_by_label("Paragraph", exact=True).select_option(paragraph)
    page.get_by_label("Amendment", exact=True).select_option(op)
    page.get_by_label("Words in the paragraph").fill(old)
    page.get_by_label("New words").fill(new)
    page.get_by_role("button", name="Propose").click()
    notice(page, "Proposal made")


def revise(
    page: Page, number: int, choices: dict[str, str], edit: Callable[[str], str] | None = None,
    otherwise: str = "reject",
) -> None:  # fmt: skip
    """As the chair on a text page: choose what becomes of each open proposal (by words of
    its name; `otherwise` for the rest), preview version `number`, edit its text if asked,
    and issue it."""
    for select in page.locator("select[id^=choice-]").all():
        name = page.locator(f"label[for='{select.get_attribute('id')}']").inner_text()
        select.select_option(next((v for k, v in choices.items() if k in name), otherwise))
    page.get_by_role("button", name=f"Preview version {number}").click()
    typed = page.get_by_label(f"The text of version {number}")
    expect(typed).to_be_visible()
    if edit is not None:
        typed.fill(edit(typed.input_value()))
    page.get_by_role("button", name=f"Issue version {number}").click()
    notice(page, "Revised text issued")


def test_a_negotiation_from_draft_to_verified_final_act(talks: Talks) -> None:
    arc, bor, cal = talks.pages["ARC"], talks.pages["BOR"], talks.pages["CAL"]
    shot(arc, "01-conferences")
    expect(arc.locator(".badge.ok")).to_contain_text("Record verified up to entry #")

    # Borduria and Calvia watch the conference; the chair tables the draft.
    talks.conference("BOR")
    talks.conference("CAL")
    chair = talks.conference("ARC")
    chair.get_by_label("Text id").fill("poc")
    chair.get_by_label("The text as typed").fill(DRAFT)
    chair.get_by_role("button", name="Table the text").click()
    assert "Receipt: entry #" in notice(chair, "Text tabled")
    # Live: the others' open pages show the new text without a reload.
    for page in (bor, cal):
        expect(page.get_by_role("link", name="Arrangement on Points of Contact")).to_be_visible()
    shot(bor, "02-conference-overview")

    # A first reading: Borduria and Calvia propose; Calvia supports Borduria's proposal.
    propose(talks.text("BOR"), "op2", "insert_words", "a request for assistance",
            " without undue delay")  # fmt: skip
    propose(talks.text("CAL"), "op3", "replace_words", "every year", "every six months")
    cal.get_by_role("button", name="Support proposal").filter(has_text="Support").first.click()
    notice(cal, "Stance recorded")
    chair = talks.text("ARC")
    op2 = chair.locator("#p-op2")
    expect(op2).to_contain_text("[ without undue delay (Proposed: BOR; supported: CAL)]")
    expect(chair.locator("#p-op3")).to_contain_text("Proposed: CAL")
    shot(chair, "03-negotiating-text")

    # The chair issues version 2, incorporating Borduria's proposal, and compares.
    chair.get_by_role("combobox", name="BOR's proposal on paragraph 2").select_option("accept")
    chair.get_by_role("combobox", name="CAL's proposal on paragraph 3").select_option("reject")
    chair.get_by_role("button", name="Preview version 2").click()
    preview = chair.locator("#revision-preview")
    expect(preview).to_contain_text("incorporated: BOR's proposal on paragraph 2")
    expect(preview).to_contain_text("dropped: CAL's proposal on paragraph 3")
    expect(chair.get_by_label("The text of version 2")).to_have_value(
        re.compile("2. A State shall acknowledge a request for assistance without undue delay.")
    )
    shot(chair, "16-revision-previewed")
    chair.get_by_role("button", name="Issue version 2").click()
    notice(chair, "Revised text issued")
    expect(chair.get_by_role("link", name="version 2")).to_be_visible()
    talks.text("BOR", "?from=1&to=2")
    expect(bor.locator("#diff ins")).to_contain_text("without undue delay")
    shot(bor, "04-diff")

    # A silence procedure on version 2; Calvia breaks it in time, with an amendment.
    deadline = datetime.now(UTC) + timedelta(hours=2)
    chair = talks.decisions("ARC")
    chair.get_by_label("Decision id").fill("silence-v2")
    chair.get_by_label("Procedure", exact=True).select_option("silence")
    chair.get_by_label("Silence deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M:%S"))
    chair.get_by_label("Time zone of the deadline").fill("UTC")
    chair.get_by_role("button", name="Open the decision").click()
    notice(chair, "Decision opened")
    talks.decisions("BOR")
    talks.decisions("CAL")
    expect(cal.locator("#d-silence-v2 .countdown")).to_contain_text(" left")
    shot(cal, "05-silence-countdown")
    cal.get_by_label("Break the silence").fill(
        "Calvia proposes reachability checks every six months."
    )
    cal.get_by_label("This is an amendment").check()
    cal.get_by_role("button", name="Break silence").click()
    receipt = notice(cal, "Silence broken by an amendment")
    assert "Receipt: entry #" in receipt and "in time, before the deadline" in receipt
    shot(cal, "06-silence-broken-receipt")
    for page in (talks.pages["ARC"], talks.pages["BOR"], cal):  # live on every node
        expect(page.locator("#outcome-silence-v2")).to_have_text("not adopted")
    # Broken, it stays not adopted; the chair could close it only after the deadline.
    expect(chair.locator("#d-silence-v2")).to_contain_text("once its deadline has passed")

    # Version 3 takes Calvia's amendment in; a paragraph is agreed ad ref.
    chair = talks.text("ARC")
    revise(chair, 3, {}, lambda typed: typed.replace("every year", "every six months"))
    chair.get_by_role("button", name="Mark paragraph 1 agreed ad referendum").click()
    notice(chair, "Paragraph status recorded")
    expect(chair.locator("#p-op1 .adref")).to_have_text("agreed ad ref")

    # Adoption by consensus, an interpretative statement, signatures.
    chair = talks.decisions("ARC")
    chair.get_by_label("Decision id").fill("adopt-v3")
    chair.get_by_label("Procedure", exact=True).select_option("consensus")
    chair.get_by_role("button", name="Open the decision").click()
    notice(chair, "Decision opened")
    talks.decisions("BOR")
    adopt = bor.locator("#d-adopt-v3")
    adopt.locator("summary").click()
    adopt.get_by_label("Kind").select_option("interpretative")
    adopt.get_by_label("Statement", exact=True).fill(
        "Borduria understands 'without undue delay' as within five working days."
    )
    adopt.get_by_role("button", name="Make the statement").click()
    notice(bor, "Statement recorded")
    chair.get_by_role("button", name="Close adopt-v3").click()
    notice(chair, "Decision closed")
    expect(cal.locator("#outcome-adopt-v3")).to_have_text("adopted")
    shot(bor, "07-decisions")
    for code in ("ARC", "BOR"):
        page = talks.text(code)
        expect(page.locator("#adopted-3")).to_contain_text("adopted")
        page.get_by_role("button", name="Sign version 3").click()
        notice(page, "Signed")
    page = talks.text("CAL")
    expect(
        page.locator("#sig-" + "1").or_(page.get_by_text("signature by Boris Vlk"))
    ).to_be_visible()
    shot(page, "08-adopted-signed")

    # Calvia downloads the final act; it verifies offline with the project's command.
    with page.expect_download() as info:
        page.get_by_role("link", name="final act file").click()
    act = talks.tmp / "poc.final-act.json"
    info.value.save_as(act)
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").first.click()
    pdf = talks.tmp / "poc.final-act.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    verified = subprocess.run(
        [sys.executable, "-m", "accord", "verify", str(act)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Arrangement on Points of Contact" in verified.stdout
    assert "Borduria understands" in verified.stdout

    # Safety numbers: Borduria marks Calvia verified with the number Calvia reads out.
    cal.goto(f"{talks.nodes['CAL'].url}/c/{talks.cast.conf}/trust")
    row = cal.get_by_role("row").filter(has_text="Boris Vlk (BOR)")
    number = row.locator("td.mono").inner_text()
    bor.goto(f"{talks.nodes['BOR'].url}/c/{talks.cast.conf}/trust")
    bor.get_by_label("The number Carla Ostrova reads to you").fill(number)
    bor.get_by_role("button", name="Mark verified").nth(1).click()
    notice(bor, "marked verified")
    expect(bor.get_by_role("row").filter(has_text="Carla Ostrova (CAL)")).to_contain_text(
        "verified"
    )
    shot(bor, "09-safety-numbers")

    # Every page worked with no request leaving this machine: each browser asked only
    # its own node.
    for code, urls in talks.requests.items():
        hosts = {urlparse(u).netloc for u in urls if not u.startswith("data:")}
        assert hosts == {f"127.0.0.1:{talks.nodes[code].port}"}, (code, hosts)


def test_messages_arrive_live_with_unread_counts(talks: Talks) -> None:
    overview = talks.conference("CAL")
    bor = talks.pages["BOR"]
    bor.goto(f"{talks.nodes['BOR'].url}/c/{talks.cast.conf}/ch/plenary")
    bor.get_by_label("Message to plenary").fill("Borduria asks for the floor.")
    bor.get_by_role("button", name="Send").click()
    notice(bor, "Message posted")
    # Calvia's open overview counts it without a reload; opening the channel reads it.
    expect(overview.locator("li").filter(has_text="plenary")).to_contain_text("1 unread")
    overview.get_by_role("link", name="plenary", exact=True).click()
    expect(overview.locator(".messages")).to_contain_text(
        "Boris Vlk (BOR): Borduria asks for the floor."
    )
    talks.conference("CAL")
    expect(overview.locator("li").filter(has_text="plenary")).not_to_contain_text("unread")
    # What was read is kept by the node: after a restart, still nothing unread.
    talks.nodes["CAL"].stop()
    talks.nodes["CAL"].start()
    overview.goto(f"{talks.nodes['CAL'].url}/c/{talks.cast.conf}")
    overview.get_by_label("Keystore passphrase").fill(PASSPHRASE)
    overview.get_by_role("button", name="Unlock").click()
    talks.conference("CAL")
    expect(overview.locator("li").filter(has_text="plenary")).to_be_visible()
    expect(overview.locator("li").filter(has_text="plenary")).not_to_contain_text("unread")


def test_a_recorded_vote_with_an_explanation(talks: Talks) -> None:
    chair = talks.conference("ARC")
    chair.get_by_label("Text id").fill("poc")
    chair.get_by_label("The text as typed").fill(DRAFT)
    chair.get_by_role("button", name="Table the text").click()
    notice(chair, "Text tabled")
    chair = talks.decisions("ARC")
    chair.get_by_label("Decision id").fill("vote-1")
    chair.get_by_label("Procedure", exact=True).select_option("vote")
    chair.get_by_label("Majority (vote)").select_option("two_thirds_majority")
    chair.get_by_role("button", name="Open the decision").click()
    notice(chair, "Decision opened")
    for code, choice in (("ARC", "Yes"), ("BOR", "No"), ("CAL", "Yes")):
        page = talks.decisions(code)
        box = page.locator("#d-vote-1")
        box.get_by_label(choice, exact=True).check()
        if code == "BOR":
            box.get_by_label("Explanation of vote").fill("Borduria needs more time.")
        box.get_by_role("button", name="Cast vote").click()
        notice(page, "Vote cast")
    chair = talks.decisions("ARC")
    chair.get_by_role("button", name="Close vote-1").click()
    notice(chair, "Decision closed")
    for code in talks.pages:
        page = talks.decisions(code)
        expect(page.locator("#d-vote-1")).to_contain_text("2 yes, 1 no, 0 abstaining")
        expect(page.locator("#d-vote-1")).to_contain_text(
            "BOR: no — explanation: Borduria needs more time."
        )
        expect(page.locator("#outcome-vote-1")).to_have_text("adopted")


def test_tampering_with_the_relay_database_turns_every_badge_red(talks: Talks) -> None:
    chair = talks.conference("ARC")
    chair.get_by_label("Text id").fill("poc")
    chair.get_by_label("The text as typed").fill(DRAFT)
    chair.get_by_role("button", name="Table the text").click()
    notice(chair, "Text tabled")
    pages = {code: talks.conference(code) for code in talks.pages}
    for page in pages.values():
        expect(page.get_by_role("link", name="Arrangement on Points of Contact")).to_be_visible()
        expect(page.locator("#badge")).to_contain_text("Record verified up to entry #")
    length = _length(talks.tmp / "relay.sqlite")

    # The operator stops the relay, removes the last two entries and starts it again.
    talks.relay.stop()
    with sqlite3.connect(talks.tmp / "relay.sqlite") as db:
        db.execute("DELETE FROM entries WHERE seq >= ?", (length - 2,))
        db.execute("UPDATE conferences SET length = ?", (length - 2,))
    talks.relay.start()

    for page in pages.values():  # live, on every delegation's open page
        expect(page.locator("#badge")).to_contain_text("Record NOT verified: rollback")
        expect(page.locator(".alerts")).to_contain_text("entries were removed from the relay")
    shot(pages["BOR"], "10-tamper-alert")
    for code, page in pages.items():  # and on the list of conferences
        page.goto(f"{talks.nodes[code].url}/")
        expect(page.locator(".badge.bad")).to_contain_text("NOT verified")
        expect(page.locator(".alerts")).to_contain_text("entries were removed from the relay")


def test_a_stolen_key_and_a_revocation_raise_red_alerts(talks: Talks) -> None:
    """A thief with a copy of Borduria's keystore adds a device: Borduria's page turns red.
    Borduria's ministry then revokes those full powers: the page says so too."""
    page = talks.conference("BOR")
    expect(page.locator("#badge")).to_contain_text("Record verified")
    thief_home = talks.tmp / "thief"
    thief_home.mkdir()
    shutil.copy(talks.cast.homes["BOR"] / "keystore.json", thief_home / "keystore.json")
    own = Node.open(talks.cast.homes["BOR"], PASSPHRASE)
    try:
        membership = own.replica.membership(talks.cast.conf)
        assert membership is not None and membership.credential is not None
        credential = membership.credential
    finally:
        own.close()
    thief = Node.open(thief_home, PASSPHRASE)
    try:
        thief.follow(talks.relay.url, talks.cast.conf, talks.cast.genesis)
        thief.replica.set_credential(talks.cast.conf, credential)
        thief.add_device(talks.cast.conf, "laptop in a hotel room", now())
        expect(page.locator(".alerts")).to_contain_text("a new device 'laptop in a hotel room'")
        # The record verifies; the badge is red all the same, and says why.
        expect(page.locator("#badge.bad")).to_contain_text("Record verified up to entry #")
        expect(page.locator("#badge")).to_contain_text("ALERT: new device")
        expect(page.locator(".alerts")).to_contain_text("keys or powers in this conference")
        shot(page, "11-new-device-alert")

        ministry = Node.open(talks.tmp / "nodes" / "ministry-BOR", PASSPHRASE)
        try:
            revocation = ministry.revoke_powers(
                "BOR", FullPowers.parse(credential).id, "key copied by a third party", now()
            )
        finally:
            ministry.close()
        thief.publish_revocation(talks.cast.conf, revocation, now())  # anyone may publish it
    finally:
        thief.close()
    expect(page.locator(".alerts")).to_contain_text("your full powers were revoked by BOR as of")
    expect(page.locator(".alerts")).to_contain_text("key copied by a third party")
    expect(page.locator("#badge")).to_contain_text("credential revoked")


def _length(db: Path) -> int:
    with sqlite3.connect(db) as c:
        (n,) = c.execute("SELECT length FROM conferences").fetchone()
    return int(n)
