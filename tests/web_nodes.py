"""Real delegation nodes serving their web interface, and a real headless Chromium."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Frame,
    Page,
    Request,
    expect,
    sync_playwright,
)

from accord.demo.web import PASSPHRASE
from tests.relay_process import ServiceProcess

# Assertions wait as long as actions: on a loaded machine (CI shares two cores with the
# relay, three nodes and Chromium) a page can take more than expect's default 5 s.
expect.set_options(timeout=20_000)

CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright downloads no browser
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
# Screenshots of each main screen land here (the README links a committed few).
SCREENSHOTS = Path(os.environ.get("ACCORD_SCREENSHOTS", "build/test-output/screenshots"))


class WebNodeProcess(ServiceProcess):
    """`accord web serve` for one node home (the watcher polls the relay every 0.3 s)."""

    def __init__(self, home: Path, log: Path) -> None:
        super().__init__(log)
        self.home = home
        self.pages: list[BrowserLog] = []  # the pages open on this node (`open_delegation`)

    def start(self) -> WebNodeProcess:
        self.launch(
            ["web", "serve", "--home", str(self.home), "--port", str(self.port), "--poll", "0.3"],
            "/unlock", "web node",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        for log in self.pages:  # their live event stream breaks: a page cannot help that
            log.node_stopped()
        super().stop()


@contextmanager
def web_nodes(homes: dict[str, Path], logs: Path) -> Iterator[dict[str, WebNodeProcess]]:
    nodes = {code: WebNodeProcess(home, logs / f"web-{code}.log") for code, home in homes.items()}
    try:
        for node in nodes.values():
            node.start()
        yield nodes
    finally:
        for node in nodes.values():
            node.stop()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


# Chromium logs a Content-Security-Policy violation as a console error; this listener,
# run before any script of the page, reports it too with the directive and the source.
CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.effectiveDirective} refused ${e.blockedURI || "inline"} at `
  + `${e.sourceFile || document.URL}:${e.lineNumber} ${e.sample}`));"""


class BrowserLog:
    """What the browser reported about one page that a working page never causes: console
    errors, uncaught exceptions, Content-Security-Policy violations; each with the address
    the page showed. Two things are no fault of the page and are left out: Chromium's line
    about a main-frame document the node answered with an error status (a page that says
    "not found" is the node's answer), and the live event stream failing after the test
    stopped the node (`WebNodeProcess.stop`), until the page loads another document."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.documents: set[str] = set()
        self.stream_broken = False
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", self._error)
        page.on("framenavigated", self._navigated)

    def node_stopped(self) -> None:
        """The test stops the page's node: until the page loads another document, its live
        event stream failing (and htmx's SSE extension logging the failure) is no fault."""
        self.stream_broken = True

    def _navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self.stream_broken = False

    def _request(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.documents.add(request.url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        status = message.text.startswith(
            "Failed to load resource: the server responded with a status of 4"
        )
        if status and url in self.documents:
            return
        stream = urlparse(url).path == "/events" or (
            message.text == "[object Event]" and "/static/vendor/" in url
        )
        if stream and self.stream_broken:
            return
        self.problems.append(
            f"{self.page.url}: console error: {message.text} ({url or 'no source'})"
        )

    def _error(self, error: Error) -> None:
        self.problems.append(f"{self.page.url}: uncaught {error.name}: {error.message}")


_LOGS: weakref.WeakKeyDictionary[Page, BrowserLog] = weakref.WeakKeyDictionary()


def watch(page: Page) -> BrowserLog:
    """Start collecting the page's console errors, uncaught exceptions and CSP violations
    (the CSP listener is installed on the page's context: pages opened before it miss it)."""
    page.context.add_init_script(CSP_REPORTER)
    log = _LOGS[page] = BrowserLog(page)
    return log


def browser_problems(pages: Iterable[Page]) -> list[str]:
    """Every problem collected so far on these pages (see `BrowserLog`); the page must have
    been watched (`open_delegation` does it)."""
    found: list[str] = []
    for page in pages:
        if not page.is_closed():  # a violation's event may still be on its way: let it land
            page.evaluate("() => new Promise((done) => setTimeout(done, 50))")
        found += _LOGS[page].problems
    return found


def assert_clean(pages: Iterable[Page]) -> None:
    problems = browser_problems(pages)
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


def open_delegation(browser: Browser, node: WebNodeProcess, requests: list[str]) -> Page:
    """A browser context of its own (its own cookies), unlocked with the passphrase; every
    URL the page asks for is collected in `requests`, every console error, uncaught
    exception and CSP violation in its `BrowserLog` (`assert_clean`)."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    node.pages.append(watch(page))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(node.url + "/")
    page.get_by_label("Keystore passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_url(node.url + "/")
    return page


UNLABELLED = """() => Array.from(document.querySelectorAll("input, select, textarea"))
    .filter(el => el.type !== "hidden" && el.labels.length === 0 && !el.getAttribute("aria-label"))
    .map(el => el.outerHTML)"""


# axe-core (tests/vendor/MANIFEST): the page's accessibility checked by the rules of WCAG
# 2.x A and AA and axe's best practices.
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" "))}));
}"""
FAILING_IMPACTS = ("serious", "critical")


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands, of every impact. The script is put
    in through the DevTools protocol (`page.evaluate`), which the page's CSP does not
    govern: the page's own policy stays as strict as ever."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    return violations


def accessibility_failures(page: Page) -> list[str]:
    """axe-core's violations of serious or critical impact on the page as it stands, one
    line each: the rule, its impact, what it asks, the offending nodes' selectors."""
    return [f"{v['id']} ({v['impact']}: {v['help']}): {', '.join(v['nodes'])}"
            for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]  # fmt: skip


def assert_accessible(page: Page, name: str) -> None:
    failures = accessibility_failures(page)
    assert not failures, f"{name} ({page.url}): accessibility violations:\n" + "\n".join(failures)


def shot(page: Page, name: str) -> Path:
    """A screenshot of a main screen; first, every form control on it must have a label
    (what a screen reader says, and what a click on the label focuses), axe-core must find
    no serious or critical violation, and the browser must have reported no problem."""
    unlabelled = page.evaluate(UNLABELLED)
    assert not unlabelled, f"{name}: form controls without a label: {unlabelled}"
    assert_accessible(page, name)
    if page in _LOGS:
        assert_clean([page])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
