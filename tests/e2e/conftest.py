"""Browser fixtures: Debian's Chromium driven by Playwright against the session app served on a real port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from competition.enums import Role
from competition.extensions import db
from tests.builders import PASSWORD, Factory

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
FIXTURES = ROOT / "tests" / "fixtures"
WIDTHS = (375, 1024, 1440)
HEIGHTS = {375: 812, 1024: 768, 1440: 900}


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """pytest-playwright has no option for the executable: Debian's Chromium, never a downloaded build."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium and a CJK font "
            "(apt-get install -y chromium fonts-noto-cjk; `make test` does this as root)."
        )
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The session app on 127.0.0.1 and a free port, in a daemon thread; yields the base URL.

    The app fixture sets SERVER_NAME="localhost" for the test client; a browser asks for 127.0.0.1:<port>,
    so SERVER_NAME is cleared while the server runs and restored afterwards for the tests that follow.
    """
    saved = app.config.get("SERVER_NAME")
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        app.config["SERVER_NAME"] = saved


@dataclass
class Account:
    username: str
    password: str
    university: str


@pytest.fixture
def zju_admin(app) -> Account:
    """The university ZJU (浙江大学, no staff yet) and its union admin."""
    with app.app_context():
        make = Factory()
        zju = make.university("ZJU", "浙江大学")
        make.user("zju_admin", Role.UNIVERSITY_ADMIN, zju)
        db.session.remove()
    return Account("zju_admin", PASSWORD, "ZJU")


@dataclass
class BrowserLog:
    """What the page reported: console errors and uncaught exceptions."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def assert_clean(self) -> None:
        csp = [m for m in self.console_errors if "Content Security Policy" in m]
        assert csp == [], f"Content-Security-Policy violations: {csp}"
        assert self.page_errors == [], f"JavaScript errors: {self.page_errors}"


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


def screenshots(page, name: str) -> None:
    """Full-page screenshots of the current page at phone, tablet and desktop widths, then the width it had.

    At each width the page must fit: nothing may widen the document past the viewport (wide tables scroll
    inside their own box).
    """
    ARTIFACTS.mkdir(exist_ok=True)
    original = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width} px wide at a {width} px viewport"
    page.set_viewport_size(original)
