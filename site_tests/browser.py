"""Browser helpers shared by the tests: palette, reading mode, axe-core, fonts."""

from __future__ import annotations

import re
from pathlib import Path

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
READING_MODE_NAME = re.compile("слабовидящих", re.IGNORECASE)
READING_MODE_ROLES = ("button", "switch", "checkbox", "link", "menuitemcheckbox", "menuitem")

# Text of the main content, measured before and after the reading mode.
BODY_TEXT_FONT_JS = """() => {
  const sel = ['article.md-content__inner', 'article', 'main', '[role=main]'].find(s => document.querySelector(s));
  const root = sel ? document.querySelector(sel) : document.body;
  const shown = e => e.textContent.trim() && e.offsetParent !== null;
  const el = ['p', 'li', 'td'].map(t => [...root.querySelectorAll(t)].find(shown)).find(Boolean) || root;
  return parseFloat(getComputedStyle(el).fontSize);
}"""


def visible_h1s(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('h1')]
              .filter(h => { const r = h.getBoundingClientRect(); const s = getComputedStyle(h);
                             return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; })
              .map(h => h.textContent.trim())"""
    )


def reading_mode_control(page):
    """The visible control whose accessible name contains «слабовидящих», or None.

    On narrow screens it may live in the navigation drawer: the drawer is opened
    when the control is not visible otherwise.
    """

    def find():
        for role in READING_MODE_ROLES:
            loc = page.get_by_role(role, name=READING_MODE_NAME)
            for i in range(loc.count()):
                if loc.nth(i).is_visible():
                    return loc.nth(i)
        return None

    control = find()
    if control is None:
        drawer = page.locator('label[for="__drawer"]')
        if drawer.count() and drawer.first.is_visible():
            drawer.first.click()
            page.wait_for_timeout(400)
            control = find()
    return control


def reading_mode_candidates(page) -> list[str]:
    """For failure messages: every element whose name or text mentions «слабовидящ»."""
    return page.evaluate(
        """() => [...document.querySelectorAll('*')]
             .filter(e => /слабовидящ/i.test((e.getAttribute('aria-label')||'') + (e.getAttribute('title')||'') +
                                              (e.children.length ? '' : e.textContent)))
             .map(e => e.outerHTML.slice(0, 160))"""
    )


def body_font_size(page) -> float:
    return page.evaluate(BODY_TEXT_FONT_JS)


def switch_to_dark(page) -> str:
    """Switch Material to the slate (dark) palette. Returns how it was done.

    Prefer the site's own palette toggle (which stores the choice, then reload
    so the palette is applied at load without transitions); otherwise set the
    attribute on <body> like Material's palette script does.
    """
    how = page.evaluate(
        """() => {
          const input = document.querySelector('input[name="__palette"][data-md-color-scheme="slate"]');
          if (!input) return null;
          const label = document.querySelector(`label[for="${input.id}"]`);
          return label ? input.id : null;
        }"""
    )
    if how:
        label = page.locator(f'label[for="{how}"]')
        if label.is_visible():
            label.click()
            page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=5000)
            page.reload(wait_until="load")
            if page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate":
                return "palette toggle"
    page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_timeout(500)  # let colour transitions finish
    return "data-md-color-scheme attribute"


# Tables off screen are drawn only when they near the viewport (content-visibility: auto in
# site.css). axe-core cannot judge content the browser has not drawn yet: it reads colours from
# whatever lies under a skipped cell and reports contrast it never had (axe-core issue #2768, open).
# A reader only ever sees drawn tables, so axe gets the page with every table drawn; the resize
# event makes site.js measure the scrolling boxes again, as it does when a reader scrolls to them.
DRAW_EVERYTHING = "*, *::before, *::after { content-visibility: visible !important; }"


def run_axe(page, axe_js: Path) -> list[dict]:
    page.add_style_tag(content=DRAW_EVERYTHING)
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")
    page.wait_for_timeout(300)  # site.js re-measures 150 ms after a resize
    page.add_script_tag(path=str(axe_js))
    return page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          count: v.nodes.length,
                                          targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )


def format_axe(violations: list[dict], url: str, mode: str) -> str:
    lines = [f"{len(violations)} axe-core violation(s) on {url} ({mode}): {', '.join(v['id'] for v in violations)}"]
    for v in violations:
        lines.append(f"  {v['id']} [{v['impact']}] {v['help']} — {v['count']} node(s), first: {'; '.join(v['targets'])}")
    return "\n".join(lines)
