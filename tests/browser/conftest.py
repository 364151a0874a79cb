"""The report the demo published on the default synthetic city, and a real headless Chromium.

The main tests read the demo's own bundle and site (`default_demo`, tests/conftest.py): what they
check is what `udsat demo` computed and published, not a site rebuilt for the tests. The hostile
site is a separate build of the same bundle with markup in its names.

The browser runs Debian's chromium through Playwright with a fresh profile and no network: every
request that is not a file of the site is aborted and recorded, and a test fails if any was made.
Screenshots go to pytest's temporary directory (the path is printed).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bundles import hostile_bundle

from demo_run import DemoRun
from udsat.report import ReportBundle, SiteSummary, publish_site

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def report_bundle(default_demo: DemoRun) -> ReportBundle:
    return default_demo.analyses.bundle


@pytest.fixture(scope="session")
def site(default_demo: DemoRun) -> SiteSummary:
    """The site the demo published (read only: other tests share it)."""
    return SiteSummary.read(default_demo.out / "site")


@pytest.fixture(scope="session")
def hostile_site(
    report_bundle: ReportBundle, tmp_path_factory: pytest.TempPathFactory
) -> SiteSummary:
    return publish_site(hostile_bundle(report_bundle), tmp_path_factory.mktemp("hostile") / "site")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots of the report: {path}")
    return path


@dataclass
class Guard:
    """What a page did that it must not: console errors, failed or outside requests, dialogs."""

    root: Path
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def allowed(self, url: str) -> bool:
        return url.startswith(self.root.as_uri() + "/")

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests outside the site: {self.outside}"
        assert self.failed == [], f"failed requests: {self.failed}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.page_errors == [], f"page errors: {self.page_errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not CHROMIUM.exists():  # make test installs it; fail loudly rather than skip
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            offline=True,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)


def open_guarded(context: object, root: Path) -> tuple[object, Guard]:
    """A new page on `context` whose every request and message is checked by a Guard."""
    guard = Guard(root)
    page = context.new_page()

    def route(r: object) -> None:
        if guard.allowed(r.request.url):
            r.continue_()
        else:
            guard.outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: guard.console_errors.append(m.text) if m.type == "error" else 0)
    page.on("pageerror", lambda e: guard.page_errors.append(str(e)))
    page.on(
        "requestfailed",
        lambda r: guard.failed.append(r.url) if guard.allowed(r.url) else None,
    )
    page.on("request", lambda r: None if guard.allowed(r.url) else guard.outside.append(r.url))

    def dialog(d: object) -> None:
        guard.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return page, guard
