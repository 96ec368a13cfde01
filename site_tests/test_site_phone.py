"""What a parent sees first, on a phone: a verdict for every indicator on every school page, and no
page that scrolls sideways at 390 px or at 200 % zoom.

200 % zoom of a 1280 px window lays the page out in 640 CSS pixels (what the decree 102/2026 check
means); Chromium is given that viewport with a device scale factor of 2, which is what the zoom does
to layout. A wide table may scroll inside its own box; the page itself may not.
"""
from __future__ import annotations

import csv
import re

import pytest

from .conftest import CHROMIUM_ARGS, page_path  # noqa: F401 - CHROMIUM_ARGS documents the launch
from .htmlcheck import file_for, main_content, parse_html
from .page_types import PAGE_TYPES

VERDICT_WORDS = re.compile(
    r"^(✓|✗|·)( [↗↘→])? цель (не )?(достигнута|задана)(, (улучшается|ухудшается|без изменений))?$"
    r"|^○ скрыто (для защиты данных детей|: меньше \d+ детей)$|^— нет данных$")
# name -> (CSS width, height, device scale factor)
NARROW = {"phone-390": (390, 844, 1), "zoom-200": (640, 400, 2)}


def _school_pages(site_dir):
    folder = site_dir / "schools"
    pages = sorted(p / "index.html" for p in folder.iterdir() if (p / "index.html").is_file())
    # An old code's page only redirects to the school's new page.
    return [p for p in pages if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")[:1000]]


def test_every_school_page_has_a_verdict_for_every_indicator(site_dir):
    school_rows: dict[str, set[str]] = {}
    with open(site_dir / "data" / "indicators.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["scope"] == "school":
                school_rows.setdefault(row["school"], set()).add(row["indicator"])
    pages = _school_pages(site_dir)
    assert pages, f"no school pages under {site_dir / 'schools'}"
    problems, checked = [], 0
    for page in pages:
        code = page.parent.name
        content = main_content(parse_html(page.read_text(encoding="utf-8")))
        summary = content.find(pred=lambda n: "school-summary" in n.classes())
        if summary is None:
            problems.append(f"{code}: no summary of indicators (.school-summary)")
            continue
        listed = set()
        for tr in summary.find_all("tr")[1:]:
            link = tr.find("a")
            verdicts = tr.find_all(pred=lambda n: "verdict" in n.classes())
            anchor = (link.attrs.get("href", "") if link else "").lstrip("#")
            listed.add(anchor)
            if len(verdicts) != 1 or not VERDICT_WORDS.match(verdicts[0].text()):
                problems.append(f"{code}: summary row {anchor!r}: verdicts {[v.text() for v in verdicts]}")
            checked += 1
        missing = school_rows.get(code, set()) - listed
        if missing:
            problems.append(f"{code}: indicators published for the school but without a verdict: {sorted(missing)}")
        for h3 in content.find_all("h3"):
            if h3.attrs.get("id") in listed:
                # The paragraph after the heading starts with «Итог … года:» and the verdict.
                siblings = [c for c in h3.parent.children if not isinstance(c, str)]
                following = siblings[siblings.index(h3) + 1]
                marks = following.find_all(pred=lambda n: "verdict" in n.classes())
                if not marks or not following.text().startswith("Итог"):
                    problems.append(f"{code}: section {h3.attrs['id']}: no verdict under the heading")
    assert not problems, "\n".join(problems[:40])
    assert checked >= len(pages)


@pytest.fixture(scope="module")
def narrow_pages(chromium_browser, base_url):
    contexts, pages = [], {}

    def make(name: str):
        if name in pages:
            return pages[name]
        w, h, scale = NARROW[name]
        context = chromium_browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=scale,
                                               locale="ru-RU")
        contexts.append(context)
        context.route(re.compile(r"^(?!" + re.escape(base_url) + r"(/|$))"), lambda r: r.abort("blockedbyclient"))
        pages[name] = context.new_page()
        return pages[name]

    yield make
    for c in contexts:
        c.close()


OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    // Inside a box that scrolls on its own, or hidden: not the page's scroll.
    let p = el.parentElement, contained = false;
    while (p && p !== document.body) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) { contained = true; break; }
      p = p.parentElement;
    }
    if (!contained) wide.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ' right=' + Math.round(r.right));
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


@pytest.mark.parametrize("narrow", list(NARROW))
@pytest.mark.parametrize("kind", [pt.name for pt in PAGE_TYPES])
def test_no_sideways_scroll(narrow_pages, base_url, page_paths, kind, narrow):
    page = narrow_pages(narrow)
    path = page_path(page_paths, kind)
    page.goto(base_url + path, wait_until="load")
    found = page.evaluate(OVERFLOW_JS)
    assert found["scroll"] <= found["width"] and not found["wide"], \
        f"{path} at {narrow}: the page scrolls sideways ({found['scroll']} > {found['width']} CSS px): {found['wide']}"


@pytest.mark.parametrize("narrow", list(NARROW))
def test_every_verdict_of_the_summary_is_in_view_on_a_phone(narrow_pages, base_url, page_paths, narrow):
    page = narrow_pages(narrow)
    path = page_path(page_paths, "school")
    page.goto(base_url + path, wait_until="load")
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.school-summary .verdict'), el => {
        const r = el.getBoundingClientRect();
        return {left: r.left, right: r.right, shown: r.width > 0 && r.height > 0, text: el.textContent};
    })""")
    width = page.evaluate("document.documentElement.clientWidth")
    assert boxes, f"{path}: no verdicts in the summary"
    off = [b["text"] for b in boxes if not b["shown"] or b["left"] < 0 or b["right"] > width + 0.5]
    assert not off, f"{path} at {narrow}: verdicts not fully in view (width {width}): {off}"
