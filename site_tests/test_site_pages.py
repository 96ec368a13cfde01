"""Every page type at every width: loads cleanly, local only, one h1, works
without JavaScript, passes axe-core (light, dark, reading mode), keeps keyboard
focus visible, and its rendered content passes the static content checks."""

from __future__ import annotations

from .browser import (
    BODY_TEXT_FONT_JS,
    body_font_size,
    format_axe,
    reading_mode_candidates,
    reading_mode_control,
    run_axe,
    switch_to_dark,
    visible_h1s,
)
from .conftest import page_path
from .htmlcheck import (
    format_problems,
    image_problems_in,
    main_content,
    parse_html,
    status_problems_in,
    table_problems_in,
)


def test_page_loads_cleanly(open_page, page_paths, page_type, width, screenshots_dir):
    """No console error, no failed request, no request off the local server, one visible h1; screenshot."""
    path = page_path(page_paths, page_type)
    visit = open_page(width)
    visit.goto(path, wait="load")
    visit.page.wait_for_load_state("networkidle")
    visit.page.screenshot(path=str(screenshots_dir / f"{page_type}-{visit.page.viewport_size['width']}.png"), full_page=True)
    problems = []
    problems += [f"request to another host (aborted): {r}" for r in visit.external_requests]
    problems += [f"failed request: {r}" for r in visit.failed_requests]
    problems += visit.console_errors
    h1s = visible_h1s(visit.page)
    if len(h1s) != 1:
        problems.append(f"expected exactly one visible <h1>, found {len(h1s)}: {h1s}")
    assert not problems, f"{path} at {width}:\n  " + "\n  ".join(problems)


def test_readable_without_javascript(open_page, page_paths, page_type, width):
    path = page_path(page_paths, page_type)
    visit = open_page(width, javascript=False)
    visit.goto(path)
    h1s = visible_h1s(visit.page)
    assert len(h1s) == 1 and h1s[0], f"{path} without JavaScript at {width}: expected one visible non-empty <h1>, found {h1s}"
    doc = parse_html(visit.page.content())
    content = main_content(doc)
    text = content.text().replace(h1s[0], "", 1).strip()
    assert len(text) >= 20, f"{path} without JavaScript at {width}: main content has no text besides the heading: {text!r}"
    assert not visit.external_requests, f"{path} without JavaScript requested other hosts: {visit.external_requests}"


def test_axe_no_violations(open_page, page_paths, page_type, width, axe_source):
    """axe-core (WCAG 2.0/2.1 A and AA): light palette, dark palette, reading mode.

    The three modes run on one page in turn (the palette and the reading mode are
    switched the way a visitor does it and the page reloaded); all are reported.
    """
    path = page_path(page_paths, page_type)
    visit = open_page(width)
    visit.goto(path)
    page = visit.page
    failures = []

    violations = run_axe(page, axe_source)
    if violations:
        failures.append(format_axe(violations, page.url, f"{width}, light palette"))

    how = switch_to_dark(page)
    scheme = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    if scheme != "slate":
        failures.append(f"{path}: could not switch to the dark palette (body data-md-color-scheme={scheme!r})")
    else:
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(format_axe(violations, page.url, f"{width}, dark palette via {how}"))

    # back to the light palette for the reading mode: a fresh context
    visit = open_page(width)
    visit.goto(path)
    page = visit.page
    control = reading_mode_control(page)
    if control is None:
        failures.append(
            f"{path} at {width}: no visible control named «…слабовидящих…» to switch the reading mode on; "
            f"candidates: {reading_mode_candidates(page)}"
        )
    else:
        control.click()
        page.reload(wait_until="load")
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(format_axe(violations, page.url, f"{width}, reading mode for visually impaired readers"))
    assert not failures, "\n".join(failures)


def test_reading_mode(open_page, page_paths, page_type, width):
    """The «для слабовидящих» control exists, enlarges body text ≥ 1.2× and survives a reload."""
    path = page_path(page_paths, page_type)
    visit = open_page(width)
    visit.goto(path)
    page = visit.page
    control = reading_mode_control(page)
    assert control is not None, (
        f"{path} at {width}: no visible control whose accessible name contains «слабовидящих»; "
        f"candidates: {reading_mode_candidates(page)}"
    )
    html_class_before = set(page.evaluate("() => [...document.documentElement.classList]"))
    before = body_font_size(page)
    control.click()
    try:
        page.wait_for_function(f"() => ({BODY_TEXT_FONT_JS})() >= {before * 1.2 - 0.01}", timeout=3000)
    except Exception:  # noqa: BLE001 - the assertion below says what happened
        pass
    after = body_font_size(page)
    html_class_after = set(page.evaluate("() => [...document.documentElement.classList]"))
    assert html_class_after != html_class_before, (
        f"{path} at {width}: the reading-mode control did not change the classes of <html> ({sorted(html_class_before)})"
    )
    assert after >= 1.2 * before - 0.01, (
        f"{path} at {width}: reading mode made body text {after}px from {before}px "
        f"(×{after / before:.2f}, needs ≥ ×1.2)"
    )
    page.reload(wait_until="load")
    reloaded = body_font_size(page)
    html_class_reloaded = set(page.evaluate("() => [...document.documentElement.classList]"))
    added = html_class_after - html_class_before
    assert reloaded >= 1.2 * before - 0.01 and added <= html_class_reloaded, (
        f"{path} at {width}: the reading mode did not survive a reload: font {reloaded}px (was {after}px), "
        f"<html class> {sorted(html_class_reloaded)} (was {sorted(html_class_after)})"
    )


FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const desc = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
      ' «' + (e.getAttribute('aria-label') || e.getAttribute('title') || e.textContent || '').trim().slice(0, 40) + '»';
  const look = e => { const s = getComputedStyle(e);
      return {desc: desc(e), outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, boxShadow: s.boxShadow,
              ok: (s.outlineStyle !== 'none' && (parseFloat(s.outlineWidth) || 0) >= 1) || (!!s.boxShadow && s.boxShadow !== 'none')}; };
  const hidden = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
      return r.width < 2 || r.height < 2 || parseFloat(s.opacity) === 0 || s.visibility === 'hidden'; };
  const own = look(el);
  if (own.ok || !hidden(el)) return own;
  // A visually hidden control (Material's palette radio) shows focus on its visible label.
  const labels = [el.nextElementSibling, ...(el.id ? document.querySelectorAll(`label[for="${el.id}"]`) : [])]
      .filter(l => l && l.tagName === 'LABEL' && !hidden(l));
  for (const l of labels) { const s = look(l); if (s.ok) return {...s, desc: own.desc + ' → label ' + s.desc}; }
  return own;
}"""
TABS = 5


def test_keyboard_focus_visible(open_page, page_paths, page_type, width):
    path = page_path(page_paths, page_type)
    visit = open_page(width)
    visit.goto(path)
    page = visit.page
    problems, seen = [], []
    for i in range(1, TABS + 1):
        page.keyboard.press("Tab")
        page.wait_for_timeout(50)  # let transitions of :focus styles start
        info = page.evaluate(FOCUS_JS)
        if info is None:
            problems.append(f"Tab #{i}: focus is on no element (document body)")
            break
        seen.append(info["desc"])
        if not info["ok"]:
            problems.append(
                f"Tab #{i}: {info['desc']} has no visible focus indicator "
                f"(outline-style {info['outlineStyle']}, outline-width {info['outlineWidth']}px, box-shadow {info['boxShadow']})"
            )
    assert not problems, f"{path} at {width}:\n  " + "\n  ".join(problems) + f"\n  focused in order: {seen}"


def test_rendered_content(open_page, page_paths, page_type):
    """Images and charts have text alternatives and data tables, tables have <th>,
    status is not carried by colour alone — on the DOM the browser rendered."""
    path = page_path(page_paths, page_type)
    visit = open_page("desktop")
    visit.goto(path)
    doc = parse_html(visit.page.content())
    label = path
    problems = image_problems_in(doc, label, path) + table_problems_in(doc, label) + status_problems_in(doc, label)
    assert not problems, format_problems(problems)
