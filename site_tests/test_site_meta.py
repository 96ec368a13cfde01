"""Meta-test: the checks really catch a broken site and name the page.

A copy of the built site is broken in three ways — a chart file deleted, a dead
link and an image without alt added — and the crawler and the image check are
run on the copy as functions (not pytest in pytest).
"""

from __future__ import annotations

import os
import re
import shutil

from .htmlcheck import CHART_RE, SiteIndex, file_for, find_broken_links, find_image_problems, main_content, resolve_internal, url_path_of


def insert_into_content(path, snippet: str) -> None:
    html = path.read_text(encoding="utf-8")
    for rx in (r"<article\b[^>]*>", r"<main\b[^>]*>", r"<body\b[^>]*>"):
        m = re.search(rx, html)
        if m:
            path.write_text(html[: m.end()] + snippet + html[m.end():], encoding="utf-8")
            return
    raise AssertionError(f"{path}: no <article>, <main> or <body> to insert into")


def test_broken_copy_is_reported_with_page_paths(site_dir, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy, ignore=shutil.ignore_patterns("node_modules"))
    site = SiteIndex(copy)
    pages = [p for p in site.pages() if site.rel(p) != "404.html"]

    # 1. a chart file that a page shows goes missing
    chart_page = chart_src = None
    for page in pages:
        rel = site.rel(page)
        for img in main_content(site.doc(page)).find_all("img"):
            resolved = resolve_internal(img.attrs.get("src", ""), url_path_of(rel), site.base)
            if resolved and CHART_RE.search(resolved[0]) and file_for(copy, resolved[0]) is not None:
                chart_page, chart_src = page, img.attrs["src"]
                file_for(copy, resolved[0]).unlink()
                break
        if chart_page:
            break
    if chart_page is None:  # a site without charts yet: add a chart whose file does not exist
        chart_page, chart_src = copy / "index.html", "charts/meta-test/missing.svg"
        insert_into_content(chart_page, f'<h2>Диаграмма</h2><p><img alt="Диаграмма" src="{chart_src}"></p>'
                                        "<table><tr><th>Год</th></tr><tr><td>2024</td></tr></table>")

    others = [p for p in pages if p != chart_page]
    assert len(others) >= 2, f"{site_dir}: too few pages for the meta-test"
    # 2. a dead link
    dead_page = others[0]
    insert_into_content(dead_page, '<p><a href="no-such-page-meta-test/">мёртвая ссылка</a></p>')
    # 3. an image without alt text (its file exists, so only the alt is wrong)
    bare_page = others[1]
    image = next(p for p in sorted(copy.rglob("*")) if p.suffix in (".png", ".svg", ".jpg") and "charts" not in p.parts)
    image_src = os.path.relpath(image, bare_page.parent).replace(os.sep, "/")
    insert_into_content(bare_page, f'<p><img src="{image_src}"></p>')

    fresh = SiteIndex(copy)
    links = [str(p) for p in find_broken_links(copy, fresh)]
    images = [str(p) for p in find_image_problems(copy, fresh)]

    def reported(problems, page, *words):
        rel = page.relative_to(copy).as_posix()
        return any(p.startswith(rel + ":") and all(w in p for w in words) for p in problems)

    assert reported(links, chart_page, "broken link", chart_src), (
        f"missing chart {chart_src} on {chart_page.relative_to(copy)} not reported; link problems: {links}"
    )
    assert reported(links, dead_page, "broken link", "no-such-page-meta-test/"), (
        f"dead link on {dead_page.relative_to(copy)} not reported; link problems: {links}"
    )
    assert reported(images, bare_page, "without text alternative", image_src), (
        f"image without alt on {bare_page.relative_to(copy)} not reported; image problems: {images}"
    )
