"""Real delegation nodes serving their web interface, and a real headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

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

    def start(self) -> WebNodeProcess:
        self.launch(
            ["web", "serve", "--home", str(self.home), "--port", str(self.port), "--poll", "0.3"],
            "/unlock", "web node",
        )  # fmt: skip
        return self


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


def open_delegation(browser: Browser, node: WebNodeProcess, requests: list[str]) -> Page:
    """A browser context of its own (its own cookies), unlocked with the passphrase; every
    URL the page asks for is collected in `requests`."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(node.url + "/")
    page.get_by_label("Keystore passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_url(node.url + "/")
    return page


UNLABELLED = """() => Array.from(document.querySelectorAll("input, select, textarea"))
    .filter(el => el.type !== "hidden" && el.labels.length === 0 && !el.getAttribute("aria-label"))
    .map(el => el.outerHTML)"""


def shot(page: Page, name: str) -> Path:
    """A screenshot of a main screen; first, every form control on it must have a label
    (what a screen reader says, and what a click on the label focuses)."""
    unlabelled = page.evaluate(UNLABELLED)
    assert not unlabelled, f"{name}: form controls without a label: {unlabelled}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
