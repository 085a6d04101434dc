"""Accessibility of the delegation's web interface in a real Chromium: axe-core's checks
(WCAG 2.x A and AA, and its best practices) on every kind of page in a realistic state,
as the chair and as a delegate; and the main flows done with the keyboard alone. The same
conference as tests/test_web_ui.py: a real relay, three delegations on their own nodes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import test_web_ui
from tests.test_web_ui import DRAFT, Talks, notice, propose, revise
from tests.web_nodes import accessibility_failures, assert_clean, watch

pytestmark = [pytest.mark.slow, pytest.mark.browser]
talks = test_web_ui.talks  # the fixture: a relay, three delegations' nodes, a page each

VENDOR = Path(__file__).parent / "vendor"
# Structural brackets as a secretariat types them: two alternatives in paragraph 2.
BRACKETED = DRAFT.replace("A State shall acknowledge", "A State [shall][should] acknowledge")


class Audit:
    """axe-core run on each page as the test goes; every serious or critical violation
    found, with the page's name, listed together at the end."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.names: list[str] = []

    def __call__(self, page: Page, name: str) -> None:
        self.names.append(name)
        self.failures += [f"{name}: {failure}" for failure in accessibility_failures(page)]

    def check(self) -> None:
        assert not self.failures, "accessibility violations:\n" + "\n".join(self.failures)


def test_the_vendored_axe_core_is_the_pinned_npm_release() -> None:
    lines = [line.split() for line in (VENDOR / "MANIFEST").read_text().splitlines()[1:]]
    assert [(pkg, name) for pkg, _, name, _ in lines] == [("axe-core", "axe.min.js")]
    for _, version, name, digest in lines:
        source = (VENDOR / name).read_bytes()
        assert hashlib.sha256(source).hexdigest() == digest, name
        assert f"axe v{version}".encode() in source[:200], version
    assert "Mozilla Public License" in (VENDOR / "LICENSE.axe-core").read_text()


def test_every_kind_of_page_passes_axe_as_chair_and_as_delegate(talks: Talks) -> None:
    audit = Audit()
    arc, bor, cal = talks.pages["ARC"], talks.pages["BOR"], talks.pages["CAL"]
    audit(arc, "home: the conferences")

    # The unlock page, in a browser without the session; then with a wrong passphrase.
    browser = arc.context.browser
    assert browser is not None
    context = browser.new_context()
    try:
        locked = context.new_page()
        watch(locked)
        locked.goto(talks.nodes["ARC"].url + "/")
        expect(locked.get_by_label("Keystore passphrase")).to_be_focused()
        audit(locked, "unlock")
        locked.get_by_label("Keystore passphrase").fill("not the passphrase")
        locked.get_by_role("button", name="Unlock").click()
        expect(locked.get_by_role("alert")).to_contain_text("passphrase")
        audit(locked, "unlock: wrong passphrase")
        assert_clean([locked])
    finally:
        context.close()

    # The overview, before and after the chair tables a text with brackets.
    chair = talks.conference("ARC")
    audit(chair, "conference overview (chair, no text yet)")
    chair.get_by_label("Text id").fill("poc")
    chair.get_by_label("The text as typed").fill(BRACKETED)
    chair.get_by_role("button", name="Table the text").click()
    notice(chair, "Text tabled")
    audit(chair, "conference overview (chair, a text tabled, a notice)")
    audit(talks.conference("BOR"), "conference overview (delegate)")

    # The text: proposals, support, a paragraph agreed ad ref; the chair's and a delegate's.
    propose(talks.text("BOR"), "op2", "insert_words", "a request for assistance",
            " without undue delay")  # fmt: skip
    propose(talks.text("CAL"), "op3", "replace_words", "every year", "every six months")
    cal.get_by_role("button", name="Support proposal").first.click()
    notice(cal, "Stance recorded")
    chair = talks.text("ARC")
    chair.get_by_role("button", name="Mark paragraph 1 agreed ad referendum").click()
    notice(chair, "Paragraph status recorded")
    expect(chair.locator("#p-op2")).to_contain_text("Proposed: BOR; supported: CAL")
    expect(chair.locator("#p-op2")).to_contain_text("[shall][should]")
    expect(chair.locator("#p-op3 .bracket").first).to_contain_text("every year")
    audit(chair, "text (chair: proposals, brackets, ad ref, revision form)")
    audit(talks.text("BOR"), "text (delegate: withdraw, support, oppose, amend, reopen)")

    # A revision, and the changes between the versions.
    chair = talks.text("ARC")
    revise(chair, 2, {}, lambda typed: typed.replace("every year", "every month"))
    audit(talks.text("CAL", "?from=1&to=2"), "text: changes between versions (delegate)")
    audit(talks.text("ARC", "?v=1"), "text: an earlier version (chair)")

    # Decisions: a silence procedure running (a countdown), a recorded vote open.
    chair = talks.decisions("ARC")
    audit(chair, "decisions (chair, none yet)")
    deadline = datetime.now(UTC) + timedelta(hours=2)
    chair.get_by_label("Decision id").fill("silence-v2")
    chair.get_by_label("Procedure", exact=True).select_option("silence")
    chair.get_by_label("Silence deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M:%S"))
    chair.get_by_role("button", name="Open the decision").click()
    notice(chair, "Decision opened")
    chair.get_by_label("Decision id").fill("vote-op1")
    chair.get_by_label("Paragraph (the whole text").select_option("op1")
    chair.get_by_label("Procedure", exact=True).select_option("vote")
    chair.get_by_role("button", name="Open the decision").click()
    notice(chair, "Decision opened")
    audit(chair, "decisions (chair: open decisions, close forms)")
    delegate = talks.decisions("BOR")
    expect(delegate.locator("#d-silence-v2 .countdown")).to_contain_text(" left")
    delegate.locator("#d-vote-op1").get_by_label("No", exact=True).check()
    delegate.locator("#d-vote-op1").get_by_role("button", name="Cast vote").click()
    notice(delegate, "Vote cast")
    delegate.locator("#d-silence-v2 summary").click()
    audit(delegate, "decisions (delegate: countdown, vote cast, statement form open)")

    # Messages, trust, and a page that is not there.
    channel = talks.pages["CAL"]
    channel.goto(f"{talks.nodes['CAL'].url}/c/{talks.cast.conf}/ch/plenary")
    channel.get_by_label("Message to plenary").fill("Calvia asks for the floor.")
    channel.get_by_role("button", name="Send").click()
    notice(channel, "Message posted")
    audit(channel, "messages (a message, a notice)")
    bor.goto(f"{talks.nodes['BOR'].url}/c/{talks.cast.conf}/trust")
    audit(bor, "trust and safety numbers")
    missing = talks.pages["ARC"]
    missing.goto(f"{talks.nodes['ARC'].url}/c/{talks.cast.conf}/t/nothing")
    expect(missing.get_by_role("heading", level=1)).to_have_text("Not here")
    audit(missing, "error: an unknown text")
    assert len(audit.names) == 16, audit.names
    audit.check()

    # The audit is live: a control without a label, put in the page, is caught.
    missing.evaluate("document.querySelector('main').append(document.createElement('input'))")
    control = Audit()
    control(missing, "error page with an unlabelled field")
    assert [f.split(" (")[0] for f in control.failures] == [
        "error page with an unlabelled field: label"
    ]


# --- The keyboard alone -------------------------------------------------------------

# Whether the focused element shows it: accord.css's :focus-visible style (an outline of
# 3 px and a ring, or on links a yellow background and a dark bar), never the browser's
# thin default. A date and time field shows the focus of its parts (:focus-within).
FOCUS_SHOWN = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 3;
  return el !== document.body && el.matches(":focus-visible, :focus-within")
    && (outline || style.boxShadow !== "none");
}"""


def describe(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement.outerHTML.slice(0, 160)"))


def tab_to(page: Page, selector: str, *, back: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab with `back`) until the element `selector` names has the focus,
    which must be visible (the :focus-visible outline) at each stop on the way."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        assert page.evaluate(FOCUS_SHOWN), f"focus not visible on {describe(page)}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab; at {describe(page)}")


def choose(page: Page, value: str, limit: int = 20) -> None:
    """Move the focused list box to the option `value` with the arrow keys."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {value} not reached with the arrow keys in {describe(page)}")


def follow(page: Page, selector: str, heading: str) -> None:
    """Tab to a link and press Enter; the page it opens has this first heading."""
    tab_to(page, selector)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_the_main_flows_with_the_keyboard_alone(talks: Talks) -> None:
    """Tab, Shift+Tab, Enter, Space, arrow keys and typing only: no click, no fill. The
    chair tables a text, a delegate proposes an amendment, another supports it, the chair
    opens a decision, closes it and signs the text adopted. Meanwhile the record changes
    under a page being gone through with the keyboard: its live part is replaced, and the
    focus stays on the same link."""
    conf = f'a[href="/c/{talks.cast.conf}"]'
    title = "Arrangement on Points of Contact"
    chair = talks.pages["ARC"]

    # Borduria goes to the overview and to its link to the plenary.
    bor = talks.pages["BOR"]
    follow(bor, conf, "Conference on Confidence-Building Measures in Cyberspace")
    plenary = f'#live a[href="/c/{talks.cast.conf}/ch/plenary"]'
    tab_to(bor, plenary)

    # The skip link: the first stop, visible when focused; it leads past the header.
    chair.keyboard.press("Tab")
    expect(chair.get_by_role("link", name="Skip to content")).to_be_focused()
    assert chair.evaluate(FOCUS_SHOWN)
    box = chair.get_by_role("link", name="Skip to content").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, box  # on the screen
    chair.keyboard.press("Enter")
    chair.keyboard.press("Tab")
    assert chair.evaluate("() => document.activeElement.closest('main') !== null"), describe(chair)
    assert chair.evaluate("(s) => document.activeElement.matches(s)", conf), describe(chair)

    # The chair tables the draft.
    chair.keyboard.press("Enter")
    expect(chair.get_by_role("heading", level=1)).to_contain_text("Conference on")
    tab_to(chair, "#text_id")
    chair.keyboard.type("poc")
    chair.keyboard.press("Tab")
    chair.keyboard.type(DRAFT)
    tab_to(chair, "#table-form button[value=table]")
    chair.keyboard.press("Enter")
    notice(chair, "Text tabled")

    # Borduria's overview shows the text live; the focus is still on the plenary's link,
    # and Shift+Tab goes on from there, back to the new text (the texts come before the
    # channels). Borduria proposes an amendment.
    expect(bor.get_by_role("link", name=title)).to_be_visible()
    assert bor.evaluate("(s) => document.activeElement.matches(s)", plenary), describe(bor)
    assert bor.evaluate(FOCUS_SHOWN)
    tab_to(bor, 'a[href$="/t/poc"]', back=True)
    bor.keyboard.press("Enter")
    expect(bor.get_by_role("heading", level=1)).to_have_text(title)
    tab_to(bor, "#amend-paragraph")
    choose(bor, "op2")
    bor.keyboard.press("Tab")
    choose(bor, "insert_words")
    bor.keyboard.press("Tab")
    bor.keyboard.type("a request for assistance")
    bor.keyboard.press("Tab")
    bor.keyboard.type(" without undue delay")
    tab_to(bor, "#amend-form button[type=submit]")
    tab_to(bor, "#amend-rationale", back=True)
    bor.keyboard.type("Timeliness matters.")
    bor.keyboard.press("Tab")
    bor.keyboard.press("Enter")
    notice(bor, "Proposal made")

    # Calvia supports it, with the space bar.
    cal = talks.pages["CAL"]
    follow(cal, conf, "Conference on Confidence-Building Measures in Cyberspace")
    follow(cal, 'a[href$="/t/poc"]', title)
    tab_to(cal, 'button[aria-label^="Support proposal"]')
    cal.keyboard.press("Space")
    notice(cal, "Stance recorded")
    expect(cal.locator("#p-op2")).to_contain_text("Proposed: BOR; supported: CAL")

    # The chair opens a decision by consensus on version 1, closes it adopted, signs.
    follow(chair, 'nav a[href$="/decisions"]', "Decisions")
    tab_to(chair, "#dec-id")
    chair.keyboard.type("adopt-v1")
    tab_to(chair, "#open-form button[type=submit]")
    chair.keyboard.press("Enter")
    notice(chair, "Decision opened")
    tab_to(chair, 'form[action$="/d/adopt-v1/close"] button')
    chair.keyboard.press("Enter")
    notice(chair, "Decision closed")
    expect(chair.locator("#outcome-adopt-v1")).to_have_text("adopted")
    follow(chair, '#d-adopt-v1 a[href*="/t/poc"]', title)
    tab_to(chair, "#sign-form button[type=submit]")
    chair.keyboard.press("Enter")
    notice(chair, "Signed")
