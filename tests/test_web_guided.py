"""A forgiving, guided web interface (issue 14), over real web node processes and a real
relay: a refused form comes back as it was sent, with the reason beside the field at
fault; a text is previewed before it is tabled, every line placed or reported; each text
has a status strip; the overview lists what waits for this delegate, by role; proposals
are named by paragraph and proponent; times are shown in the conference's zone and UTC.
The same flows in Chromium are in tests/test_web_guided_browser.py."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from accord.core import events as ev
from accord.core.genesis import procedure_2
from tests import negotiating as n
from tests.delegations import PASSPHRASE, Cast, convene, now
from tests.relay_process import relay
from tests.web_nodes import WebNodeProcess

pytestmark = pytest.mark.slow

STATES = ("ARC", "BOR", "CAL")
DRAFT = """Arrangement on Points of Contact
Draft of 3 December (front matter: not part of the text)
PP1. Recalling the voluntary norms,
1. Each State shall name a point of contact.
1 bis. A point of contact answers within 72 hours.
2a. A State shall acknowledge a request."""


@contextmanager
def unlocked(web: WebNodeProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web.url, timeout=20) as client:
        assert client.post("/unlock", data={"passphrase": PASSPHRASE}).status_code == 303
        yield client


def token(client: httpx.Client, page: str = "/") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text)
    assert found is not None
    return found.group(1)


def send(client: httpx.Client, path: str, form: dict[str, str], then: str) -> str:
    """Post a form with its token; the page `then` shows after it, unescaped."""
    answer = client.post(path, data={"csrf": token(client, then), **form})
    if answer.status_code == 303:
        return html.unescape(client.get(then).text)
    return html.unescape(answer.text)


def words(page: str) -> str:
    """What a page says: its text without tags, spaces collapsed."""
    return re.sub(r" ([.,:;)])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", page).split()))


def value_of(page: str, element_id: str) -> str | None:
    found = re.search(rf'id="{element_id}"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else None


@pytest.fixture
def cast(tmp_path: Path) -> Iterator[Cast]:
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(
            r.url, tmp_path, STATES, conf="talks", silence_period_ms=3_600_000,
            procedure=procedure_2(len(STATES), consensus_min_ms=0, time_zone="Europe/Vienna"),
            powers=("negotiate", "adopt", "sign"),
        )  # fmt: skip
        yield cast


def web(cast: Cast, tmp_path: Path, who: str) -> WebNodeProcess:
    for node in (cast.host, *cast.delegates.values()):
        node.close()
    home = tmp_path / ("host" if who == "chair" else f"delegate-{who}")
    return WebNodeProcess(home, tmp_path / f"web-{who}.log").start()


def test_a_text_is_previewed_and_a_refused_form_keeps_the_work(cast: Cast, tmp_path: Path) -> None:
    chair = web(cast, tmp_path, "chair")
    try:
        with unlocked(chair) as c:
            overview = "/c/talks"
            # An empty text: refused beside its field; the id typed is given back.
            page = send(c, "/c/talks/texts", {"text_id": "poc", "typed": "", "intent": "table"},
                        overview)  # fmt: skip
            assert 'id="typed-error"' in page and "Fill in the text" in page
            assert value_of(page, "text_id") == "poc"
            # A text id not of the allowed form: the form is stated.
            page = send(c, "/c/talks/texts", {"text_id": "Bad Id", "typed": DRAFT,
                        "intent": "table"}, overview)  # fmt: skip
            assert (
                "text id 'Bad Id' is not of the allowed form (1 to 64 lower-case letters," in page
            )
            assert DRAFT.splitlines()[3] in page  # the text is kept
            # The preview: every line placed or reported, nothing signed.
            page = send(c, "/c/talks/texts", {"text_id": "poc", "typed": DRAFT,
                        "intent": "preview"}, overview)  # fmt: skip
            assert "As it will be tabled: “Arrangement on Points of Contact”, 4 paragraphs" in page
            said = words(page)
            assert "line 2 → skipped: before the first numbered paragraph:" in said
            for line, fate in ((3, "paragraph PP1"), (5, "paragraph 1 bis"), (6, "paragraph 2a")):
                assert f"line {line} → {fate}:" in said
            assert "1 line will not be part of the text" in page
            assert "No text has been tabled yet" in page
            digest = value_of(page, "table-form") or re.search(
                r'name="previewed" value="([^"]+)"', page
            ).group(1)  # type: ignore[union-attr]
            # Tabling straight away with a line not taken shows the reading first...
            page = send(c, "/c/talks/texts", {"text_id": "poc", "typed": DRAFT,
                        "intent": "table"}, overview)  # fmt: skip
            assert "As it will be tabled" in page and "No text has been tabled yet" in page
            # ...and, once that reading is seen, tables it.
            page = send(c, "/c/talks/texts", {"text_id": "poc", "typed": DRAFT,
                        "intent": "table", "previewed": digest}, overview)  # fmt: skip
            assert "Text tabled" in page
            assert "version 1" in page and "4 of 4 paragraphs not agreed" in page
            # Silence shorter than the rules allow: refused, in hours, nothing recorded.
            page = send(c, "/c/talks/decisions", {"decision": "s-1", "text": "poc",
                        "procedure": "silence", "deadline": "2099-01-01T00:00",
                        "time_zone": "Nowhere/City"}, "/c/talks/decisions")  # fmt: skip
            assert "unknown time zone 'Nowhere/City'" in page
            assert value_of(page, "dec-id") == "s-1"
    finally:
        chair.stop()


def test_the_overview_says_what_waits_for_each_role(cast: Cast, tmp_path: Path) -> None:
    cast.host.negotiate("talks", ev.TEXT, n.table(n.version()), now())
    bor = cast.delegates["BOR"]
    bor.negotiate("talks", ev.AMEND, n.amend("op2", "replace_words", old="notify",
                                             new="inform"), now())  # fmt: skip
    deadline = now() + 2 * 3_600_000
    cast.host.negotiate("talks", ev.DECISION, n.decision("s-1", n.version(), "silence",
                        deadline=deadline, time_zone="Europe/Vienna", kind="adoption"), now())  # fmt: skip
    chair, cal = web(cast, tmp_path, "chair"), web(cast, tmp_path, "CAL")
    try:
        with unlocked(chair) as c, unlocked(cal) as d:
            page = words(html.unescape(c.get("/c/talks").text))
            assert "1 open proposal on “Cyber-Incident Cooperation Arrangement”" in page
            assert "times in Europe/Vienna and UTC" in page
            assert "silence periods of at least 1 hour" in page
            assert "silence s-1 pending until" in page and "Europe/Vienna (" in page
            page = words(html.unescape(d.get("/c/talks").text))
            assert "Silence on cica version 1 until" in page
            assert "Support or oppose 1 proposal on “Cyber-Incident Cooperation Arrangement”: " \
                   "BOR's proposal on paragraph 2 (replace words)" in page  # fmt: skip
            text = html.unescape(d.get("/c/talks/t/cica").text)
            assert "BOR's proposal on paragraph 2 (replace words)" in text
            # Once Calvia takes a stance, that task is gone.
            proposal = re.search(r'name="proposal" value="([^"]+)"', text).group(1)  # type: ignore[union-attr]
            page = send(d, "/c/talks/t/cica/stance", {"proposal": proposal, "stance": "support"},
                        "/c/talks")  # fmt: skip
            assert "Support or oppose" not in page
    finally:
        chair.stop()
        cal.stop()


def test_the_chair_revises_by_deciding_each_proposal(cast: Cast, tmp_path: Path) -> None:
    cast.host.negotiate("talks", ev.TEXT, n.table(n.version()), now())
    bor = cast.delegates["BOR"]
    bor.negotiate("talks", ev.AMEND, n.amend("op2", "replace_words", old="notify",
                                             new="inform"), now())  # fmt: skip
    cal = cast.delegates["CAL"]
    cal.negotiate("talks", ev.AMEND, n.amend("op1", "replace_words", old="designate",
                                             new="name"), now())  # fmt: skip
    chair = web(cast, tmp_path, "chair")
    try:
        with unlocked(chair) as c:
            page = html.unescape(c.get("/c/talks/t/cica").text)
            named = re.findall(r'for="choice-([^"]+)">([A-Z]{3})', page)
            choice = {state: f"choice-{short}" for short, state in named}
            # Under rules of procedure 2, each proposal is carried unless the chair decides.
            assert 'value="carry" selected' in page
            form = {choice["BOR"]: "accept", choice["CAL"]: "carry", "intent": "preview"}
            shown = send(c, "/c/talks/t/cica/revise", form, "/c/talks/t/cica")
            said = words(shown)
            assert "incorporated: BOR's proposal on paragraph 2" in said
            assert "carried to version 2, still open: CAL's proposal on paragraph 1" in said
            typed = re.search(
                r'<textarea id="revise-typed" name="typed"[^>]*>(.*?)</textarea>', shown, re.S
            ).group(1)  # type: ignore[union-attr]
            basis = re.search(r'name="basis" value="([^"]*)"', shown).group(1)  # type: ignore[union-attr]
            assert "A State shall inform affected States" in typed
            # The chair's edit that undoes the proposal it lists incorporated: refused
            # before anything is signed, and the edited text comes back.
            undone = typed.replace("shall inform", "shall notify")
            page = send(c, "/c/talks/t/cica/revise", {**form, "intent": "issue", "typed": undone,
                        "basis": basis}, "/c/talks/t/cica")  # fmt: skip
            assert "Not done:" in page and "BOR's proposal on paragraph 2" in page
            assert "shall notify affected States" in page and "version 2</a>" not in page
            # Issued as computed: version 2, Calvia's proposal still open against it.
            page = send(c, "/c/talks/t/cica/revise", {**form, "intent": "issue", "typed": typed,
                        "basis": basis}, "/c/talks/t/cica")  # fmt: skip
            assert "Revised text issued" in page
            # Comparing versions: the selectors show the versions compared, whichever.
            compared = c.get("/c/talks/t/cica?from=2&to=1").text
            assert "Changes from version 2 to version 1" in compared
            assert re.search(r'id="from".*?<option value="2" selected>', compared, re.S)
            assert re.search(r'id="to" name="to"><option value="1" selected>', compared)
            assert "CAL's proposal on paragraph 1 (replace words)" in words(page)
            assert "carry it to version 3, still open" in page
    finally:
        chair.stop()


def test_a_word_draft_is_previewed_and_typed_out_for_tabling(cast: Cast, tmp_path: Path) -> None:
    draft = Path(__file__).parent / "data" / "cica-draft.docx"
    chair = web(cast, tmp_path, "chair")
    try:
        with unlocked(chair) as c:
            answer = c.post(
                "/c/talks/texts",
                data={"csrf": token(c, "/c/talks"), "text_id": "cica", "typed": "",
                      "intent": "preview"},
                files={"docx": ("cica-draft.docx", draft.read_bytes(), "application/octet-stream")},
            )  # fmt: skip
            page = html.unescape(answer.text)
            said = words(page)
            assert "As it will be tabled:" in said and "No text has been tabled yet" in said
            assert re.search(r"line \d+ → paragraph 1:", said)
            # The document's text, typed out in the form: tabling it tables what was read.
            typed = re.search(
                r'<textarea id="typed" name="typed"[^>]*>(.*?)</textarea>', page, re.S
            ).group(1)  # type: ignore[union-attr]
            digest = re.search(r'name="previewed" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            assert typed.count("\n") >= 2 and "1. " in typed
            page = send(c, "/c/talks/texts", {"text_id": "cica", "typed": typed,
                        "intent": "table", "previewed": digest}, "/c/talks")  # fmt: skip
            assert "Text tabled" in page and "version 1" in words(page)
    finally:
        chair.stop()
