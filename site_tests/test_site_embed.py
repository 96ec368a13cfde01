"""A school's site (another origin) shows the embed in an iframe, with the school's status."""
from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory):
    """A second local server on another port: stands for a school's own website."""
    root = tmp_path_factory.mktemp("school-site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def participant_badge(site_dir: Path) -> tuple[str, str]:
    """(school code, status word) of a school whose badge shows ШНОР or ШНСУ."""
    for badge in sorted((site_dir / "badge").glob("*.svg")):
        embed = site_dir / "embed" / badge.stem / "index.html"
        if 'http-equiv="refresh"' in embed.read_text(encoding="utf-8"):
            continue  # an old code kept for a renamed school
        match = re.search(r"<text[^>]*>(ШНОР|ШНСУ)", badge.read_text(encoding="utf-8"))
        if match:
            return badge.stem, match.group(1)
    pytest.fail(f"no participant badge under {site_dir / 'badge'}", pytrace=False)


def test_embed_in_iframe_from_another_origin(chromium_browser, base_url, site_dir, other_origin):
    root, origin = other_origin
    code, status = participant_badge(site_dir)
    (root / "index.html").write_text(
        f'<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Сайт школы</title></head><body>'
        f'<h1>Проект «500+»</h1><iframe id="embed" src="{base_url}/embed/{code}/" width="600" height="400" '
        f'title="Школа в проекте «500+»"></iframe>'
        f'<img id="badge" src="{base_url}/badge/{code}.svg" alt="статус"></body></html>', encoding="utf-8")
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    foreign: list[str] = []
    allowed = (origin, base_url)
    context.route(re.compile(r".*"), lambda r: r.continue_() if r.request.url.startswith(allowed)
                  else (foreign.append(r.request.url), r.abort()))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{origin}/index.html", wait_until="load")
    frame = page.frame_locator("#embed")
    text = frame.locator("body").inner_text(timeout=10_000)
    assert status in text, text[:300]
    assert frame.locator("h1").count() == 1
    assert frame.locator("script").count() == 0
    link = frame.locator("a[target=_top]").first
    assert link.get_attribute("href").endswith(f"/schools/{code}/")
    width = page.evaluate("document.getElementById('badge').naturalWidth")
    assert width > 50  # the badge loaded cross-origin as an image
    assert not errors and not foreign, (errors, foreign)
    context.close()
