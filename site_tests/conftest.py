"""Fixtures of the browser test suite of the built site.

SITE_DIR (environment, default <repo>/site) is the built site. It is served on
127.0.0.1 from a threaded http.server and driven by Debian's Chromium through
Playwright. Nothing here ever skips: a missing site, a missing axe-core or a
browser that does not start makes the tests fail with the reason.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .htmlcheck import SiteIndex
from .page_types import PAGE_TYPES, WIDTHS, PageTypeError, resolve

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-output" / "screenshots"
INSTALL_HINT = "run `bash site_tests/install.sh` (apt-get install -y chromium; npm ci in site_tests/)"


# --------------------------------------------------------------------------
# The site


@pytest.fixture(scope="session")
def site_dir() -> Path:
    raw = os.environ.get("SITE_DIR") or str(REPO / "site")
    path = Path(raw).resolve()
    if not path.is_dir():
        pytest.fail(
            f"SITE_DIR={raw}: the built site directory does not exist. Build the site first "
            f"(python -m generator build --data data --out site) or set SITE_DIR to a built site.",
            pytrace=False,
        )
    if not (path / "index.html").is_file():
        pytest.fail(f"SITE_DIR={raw}: there is no index.html in it; it is not a built site.", pytrace=False)
    return path


@pytest.fixture(scope="session")
def site(site_dir) -> SiteIndex:
    return SiteIndex(site_dir)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="session")
def base_url(site_dir):
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def page_paths(site) -> dict[str, str | PageTypeError]:
    paths: dict[str, str | PageTypeError] = {}
    for pt in PAGE_TYPES:
        try:
            paths[pt.name] = resolve(pt, site)
        except PageTypeError as exc:
            paths[pt.name] = exc
    return paths


def page_path(page_paths, name: str) -> str:
    value = page_paths[name]
    if isinstance(value, PageTypeError):
        pytest.fail(str(value), pytrace=False)
    return value


@pytest.fixture(params=[pt.name for pt in PAGE_TYPES])
def page_type(request) -> str:
    return request.param


@pytest.fixture(params=list(WIDTHS))
def width(request) -> str:
    return request.param


# --------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def chromium_browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install it: apt-get install -y chromium "
            f"(Playwright cannot download its own browser here). Or {INSTALL_HINT}.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(f"Playwright for Python is not importable ({exc}); pip install -e '.[test]'.", pytrace=False)
    pw = sync_playwright().start()
    browser, error = None, None
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - any launch failure is reported as such
        error = "\n".join(str(exc).splitlines()[:3])
    if browser is None:
        pw.stop()
        pytest.fail(
            f"Chromium at {CHROMIUM} could not start. Install or repair it: apt-get install -y chromium "
            f"({INSTALL_HINT}).\nPlaywright said: {error}",
            pytrace=False,
        )
    yield browser
    browser.close()
    pw.stop()


@dataclass
class Visit:
    """One browser context + page with everything it requested and logged."""

    page: object
    context: object
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def goto(self, path: str, wait: str = "load"):
        response = self.page.goto(self.base_url + path, wait_until=wait)
        if response is not None and response.status >= 400:
            pytest.fail(f"{path}: HTTP {response.status}", pytrace=False)
        return response

    def url_path(self) -> str:
        return urlsplit(self.page.url).path


@pytest.fixture
def open_page(chromium_browser, base_url):
    """Factory: open_page(width="desktop", javascript=True) -> Visit.

    Every request is recorded; requests to any host but the local server are
    aborted and listed in ``external_requests``.
    """
    contexts = []
    local = urlsplit(base_url).netloc

    def make(width: str = "desktop", javascript: bool = True) -> Visit:
        w, h = WIDTHS[width]
        context = chromium_browser.new_context(viewport={"width": w, "height": h}, java_script_enabled=javascript, locale="ru-RU")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        visit = Visit(page=page, context=context, base_url=base_url)

        def abort_external(r):
            visit.external_requests.append(f"{r.request.method} {r.request.url} (from {page.url})")
            r.abort("blockedbyclient")

        # Only URLs off the local server are intercepted (matched inside the driver: no round trip
        # through Python for the site's own requests).
        context.route(re.compile(r"^(?!" + re.escape(base_url) + r"(/|$))"), abort_external)

        def on_console(msg):
            if msg.type == "error":
                loc = msg.location or {}
                visit.console_errors.append(f"console.error: {msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})")

        def on_failed(req):
            if urlsplit(req.url).netloc == local:
                visit.failed_requests.append(f"{req.method} {req.url}: {req.failure}")

        def on_response(resp):
            if resp.status >= 400:
                visit.failed_requests.append(f"{resp.request.method} {resp.url}: HTTP {resp.status}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: visit.console_errors.append(f"uncaught exception: {exc}"))
        page.on("requestfailed", on_failed)
        page.on("response", on_response)
        return visit

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is not installed at {AXE_JS}; {INSTALL_HINT}.", pytrace=False)
    return AXE_JS


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
