"""The guided negotiation in Debian's Chromium (issue 14): a text previewed before it is
tabled, every line placed or reported; a refused amendment that keeps what was typed,
with the reason beside the field; what waits for each delegation on the overview; the
status strip of a text. Three delegations on their own nodes through a real relay (the
fixtures of tests/test_web_ui.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.test_web_ui import Talks, notice, talks
from tests.web_nodes import shot

pytestmark = [pytest.mark.slow, pytest.mark.browser]
__all__ = ["talks"]  # the fixture, used by name

DRAFT = """Arrangement on Points of Contact
Draft of 3 December, for discussion
PP1. Recalling the voluntary norms of responsible State behaviour,
1. Each State shall name a point of contact for ICT incidents.
1 bis. A point of contact shall answer within 72 hours.
2. A State shall acknowledge a request for assistance."""


def test_tabling_with_a_preview_and_forms_that_keep_the_work(talks: Talks) -> None:
    chair = talks.conference("ARC")
    chair.get_by_label("Text id").fill("poc")
    chair.get_by_label("The text as typed").fill(DRAFT)
    chair.get_by_role("button", name="Preview the reading").click()
    preview = chair.locator("#preview")
    expect(preview).to_contain_text("As it will be tabled: “Arrangement on Points of Contact”, 4")
    expect(preview).to_contain_text("line 2 → skipped: before the first numbered paragraph")
    expect(preview).to_contain_text("line 5 → paragraph 1 bis")
    expect(preview).to_contain_text("1 line will not be part of the text")
    # The form is filled in as typed, and nothing was tabled.
    expect(chair.get_by_label("Text id")).to_have_value("poc")
    expect(chair.get_by_label("The text as typed")).to_have_value(DRAFT)
    expect(chair.get_by_text("No text has been tabled yet.")).to_be_visible()
    shot(chair, "12-tabling-preview")
    chair.get_by_role("button", name="Table the text").click()
    notice(chair, "Text tabled")
    strip = chair.locator("#status-poc")
    expect(strip).to_contain_text("version 1")
    expect(strip).to_contain_text("4 of 4 paragraphs not agreed")
    expect(strip).to_contain_text("0 open proposals")

    # Borduria names words that are not in the paragraph: refused before anything is
    # signed, the reason beside the field, and everything typed still there.
    bor = talks.text("BOR")
    bor.get_by_label("Paragraph", exact=True).select_option("op2")
    bor.get_by_label("Amendment", exact=True).select_option("replace_words")
    bor.get_by_label("Words in the paragraph").fill("a plea for help")
    bor.get_by_label("New words").fill("a request for help")
    bor.get_by_label("Rationale").fill("Plainer words.")
    bor.get_by_role("button", name="Propose").click()
    error = bor.locator("#amend-old-error")
    expect(error).to_contain_text("the words 'a plea for help' are not in paragraph 2")
    expect(bor.get_by_label("Words in the paragraph")).to_have_attribute("aria-invalid", "true")
    expect(bor.get_by_label("Paragraph", exact=True)).to_have_value("op2")
    expect(bor.get_by_label("Amendment", exact=True)).to_have_value("replace_words")
    expect(bor.get_by_label("New words")).to_have_value("a request for help")
    expect(bor.get_by_label("Rationale")).to_have_value("Plainer words.")
    shot(bor, "13-refused-amendment-kept")
    # The record changes meanwhile (Calvia posts): the page refreshes live, and what
    # Borduria typed is still there.
    before = bor.locator("#badge").inner_text()
    cal = talks.pages["CAL"]
    cal.goto(f"{talks.nodes['CAL'].url}/c/{talks.cast.conf}/ch/plenary")
    cal.get_by_label("Message to plenary").fill("Calvia is reading the draft.")
    cal.get_by_role("button", name="Send").click()
    notice(cal, "Message posted")
    expect(bor.locator("#badge")).not_to_have_text(before)
    expect(bor.get_by_label("New words")).to_have_value("a request for help")
    expect(bor.get_by_label("Rationale")).to_have_value("Plainer words.")
    # Corrected, it is made.
    bor.get_by_label("Words in the paragraph").fill("a request for assistance")
    bor.get_by_role("button", name="Propose").click()
    notice(bor, "Proposal made")
    expect(bor.locator("#proposals")).to_contain_text(
        "BOR's proposal on paragraph 2 (replace words)"
    )

    # Calvia's overview: what waits for it; the chair's: its own tasks.
    cal = talks.conference("CAL")
    expect(cal.locator("#waiting")).to_contain_text(
        "Support or oppose 1 proposal on “Arrangement on Points of Contact”: BOR's proposal on "
        "paragraph 2 (replace words)"
    )
    shot(cal, "14-what-waits")
    chair = talks.conference("ARC")
    expect(chair.locator("#waiting")).to_contain_text(
        "1 open proposal on “Arrangement on Points of Contact”: issue a revised version"
    )
    cal.locator("#waiting a").first.click()
    cal.get_by_role("button", name="Support proposal").first.click()
    notice(cal, "Stance recorded")
    cal = talks.conference("CAL")
    expect(cal.locator("#waiting")).to_contain_text("Nothing waits for you now.")


def test_the_messages_read_as_a_conversation_with_what_is_new_marked(talks: Talks) -> None:
    url = f"/c/{talks.cast.conf}/ch/plenary"
    cal = talks.pages["CAL"]
    cal.goto(talks.nodes["CAL"].url + url)  # Calvia has read the (empty) channel,
    talks.conference("CAL")  # and is on its overview while the others speak
    for code, words in (("BOR", "Borduria asks for the floor."), ("BOR", "On paragraph 2:"),
                        ("ARC", "The floor is Borduria's.")):  # fmt: skip
        page = talks.pages[code]
        page.goto(talks.nodes[code].url + url)
        page.get_by_label("Message to plenary").fill(words)
        page.get_by_role("button", name="Send").click()
        notice(page, "Message posted")
    cal.goto(talks.nodes["CAL"].url + url)
    turns = cal.locator(".turn")
    expect(turns).to_have_count(2)
    expect(turns.nth(0).locator(".turn-author")).to_have_text("Boris Vlk (BOR)")
    expect(turns.nth(0).locator(".said")).to_have_text(
        ["Borduria asks for the floor.", "On paragraph 2:"]
    )
    expect(turns.nth(1)).to_contain_text("The floor is Borduria's.")
    # Everything arrived since Calvia last read: marked once, at the first new message.
    expect(cal.locator(".new-mark")).to_have_count(1)
    expect(turns.nth(0).locator("li").first).to_contain_text("New since you last read")
    expect(cal.locator(".turn-messages li.new")).to_have_count(3)
    expect(turns.nth(0).locator(".when").first).to_contain_text("UTC · entry #")
    shot(cal, "15-conversation")
    # Read now: on the next visit nothing is marked new; Borduria's own turn is its own.
    cal.goto(talks.nodes["CAL"].url + url)
    expect(cal.locator(".new-mark")).to_have_count(0)
    expect(cal.locator(".turn-messages li.new")).to_have_count(0)
    bor = talks.pages["BOR"]
    bor.goto(talks.nodes["BOR"].url + url)
    expect(bor.locator(".turn.mine")).to_have_count(1)


def test_a_deadline_is_shown_in_the_conference_zone_utc_and_the_delegate_s_own(
    talks: Talks,
) -> None:
    chair = talks.conference("ARC")
    chair.get_by_label("Text id").fill("poc")
    chair.get_by_label("The text as typed").fill(
        DRAFT.replace("Draft of 3 December, for discussion\n", "")
    )
    chair.get_by_role("button", name="Table the text").click()
    notice(chair, "Text tabled")
    chair = talks.decisions("ARC")
    chair.get_by_label("Decision id").fill("silence-1")
    chair.get_by_label("Procedure", exact=True).select_option("silence")
    chair.get_by_label("Silence deadline").fill("2030-06-01T12:00:00")
    chair.get_by_label("Time zone of the deadline").fill("Europe/Vienna")
    chair.get_by_role("button", name="Open the decision").click()
    notice(chair, "Decision opened")
    # Borduria's delegate reads it in Tokyo: the deadline as set (Vienna, summer time),
    # in UTC, and in the delegate's own zone.
    bor = talks.pages["BOR"]
    bor.context.new_cdp_session(bor).send("Emulation.setTimezoneOverride",
                                          {"timezoneId": "Asia/Tokyo"})  # fmt: skip
    bor = talks.decisions("BOR")
    expect(bor.locator("#d-silence-1 strong[data-time]")).to_have_text(
        "2030-06-01 12:00 Europe/Vienna (10:00 UTC) (your time: 2030-06-01 19:00 Asia/Tokyo)"
    )
    # The overview's status strip gives the same moment in the conference's zone (UTC here).
    overview = talks.conference("BOR")
    expect(overview.locator("#status-poc")).to_contain_text(
        "until 2030-06-01 10:00 UTC (your time: 2030-06-01 19:00 Asia/Tokyo)"
    )
