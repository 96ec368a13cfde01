"""The links MkDocs does not see: those inside the generated pages' HTML tables
(render/html_tables.py). Each must lead to a file of the docs folder and, with an anchor, to an
id that page declares; otherwise the build stops, as `mkdocs build --strict` does for the rest."""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from generator.errors import BuildFailed
from generator.render.html_tables import docs_candidates, html_links, page_url

# Ids a page declares: `{ #id … }` after a heading or image (attr_list, as the templates write
# it), id="…" in HTML. Each pattern starts with a literal, which the regex engine seeks fast.
_ATTR_ID, _HTML_ID = re.compile(r"\{ #([\w-]+)"), re.compile(r' id="([^"]+)"')
SHOWN = 20


def declared_ids(text: str) -> set[str]:
    return {*_ATTR_ID.findall(text), *_HTML_ID.findall(text)}


def broken_links(links: Mapping[str, Iterable[str]], exists: Callable[[str], bool],
                 text_of: Callable[[str], str]) -> list[str]:
    """Russian messages, one per broken link; `links`: docs path → the page's table links
    (`html_links`); `exists`: whether a docs file exists; `text_of`: a page's text, for its ids."""
    ids: dict[str, set[str]] = {}

    def declared(path: str) -> set[str]:
        if path not in ids:
            ids[path] = declared_ids(text_of(path))
        return ids[path]

    problems = []
    for path, urls in links.items():
        for url in dict.fromkeys(urls):
            target, _, anchor = url.partition("#")
            found = next((c for c in docs_candidates(target) if exists(c)), None)
            if found is None:
                problems.append(f"{path}: ссылка в таблице на «{url}»: такой страницы или файла в сайте нет")
            elif anchor and found.endswith(".md") and anchor not in declared(found):
                problems.append(f"{path}: ссылка в таблице на «{url}»: на странице {found} нет якоря «{anchor}»")
    return problems


def other_pages(path: str, urls: Iterable[str]) -> tuple[str, ...]:
    """The links of a page that lead elsewhere: what can break while the page stays as it is
    (its own anchors cannot), kept for its next build (build/site.py)."""
    own = page_url(path) + "#"
    return tuple(url for url in dict.fromkeys(urls) if not url.startswith(own))


def check_links(docs: Path, pages: Mapping[str, str], kept: Mapping[str, Iterable[str]] = {},
                links: Mapping[str, list[str]] | None = None) -> None:
    """Check the tables' links: of the pages written now (docs path → text; `links`, their
    `html_links` when the caller has them already), and `kept`, the links to other pages of those
    reused unchanged (docs path → links, `other_pages`)."""
    known: dict[str, bool] = {}

    def exists(path: str) -> bool:
        if path not in known:
            known[path] = path in pages or os.path.isfile(os.path.join(docs, path))
        return known[path]

    def text_of(path: str) -> str:
        return pages[path] if path in pages else (docs / path).read_text(encoding="utf-8")
    if links is None:
        links = {path: html_links(text, path) for path, text in pages.items()}
    problems = broken_links({**links, **kept}, exists, text_of)
    if problems:
        more = f"\n… и ещё {len(problems) - SHOWN}" if len(problems) > SHOWN else ""
        raise BuildFailed("ссылки в таблицах страниц ведут в никуда (ошибка шаблона или данных):\n"
                          + "\n".join(problems[:SHOWN]) + more)
