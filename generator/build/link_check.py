"""The links MkDocs does not see: those inside the generated pages' HTML tables
(render/html_tables.py). Each must lead to a file of the docs folder and, with an anchor, to an
id that page declares; otherwise the build stops, as `mkdocs build --strict` does for the rest."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.errors import BuildFailed
from generator.render.html_tables import docs_candidates, html_links

# Ids a page declares: `{ #id … }` after a heading or image (attr_list, as the templates write
# it), id="…" in HTML. Each pattern starts with a literal, which the regex engine seeks fast.
_ATTR_ID, _HTML_ID = re.compile(r"\{ #([\w-]+)"), re.compile(r' id="([^"]+)"')
SHOWN = 20


def declared_ids(text: str) -> set[str]:
    return {*_ATTR_ID.findall(text), *_HTML_ID.findall(text)}


def docs_files(docs: Path) -> set[str]:
    return {path.relative_to(docs).as_posix() for path in docs.rglob("*") if not path.is_dir()}


def broken_links(pages: Mapping[str, str], files: set[str], read: Callable[[str], str]) -> list[str]:
    """Russian messages, one per broken link; `pages`: docs path → text of every generated page
    that may hold such tables; `read` gives another page's text for its ids."""
    ids: dict[str, set[str]] = {}

    def declared(path: str) -> set[str]:
        if path not in ids:
            text = pages[path] if path in pages else read(path)
            ids[path] = declared_ids(text)
        return ids[path]

    problems = []
    for path, text in pages.items():
        for url in dict.fromkeys(html_links(text, path)):
            target, _, anchor = url.partition("#")
            found = next((c for c in docs_candidates(target) if c in files), None)
            if found is None:
                problems.append(f"{path}: ссылка в таблице на «{url}»: такой страницы или файла в сайте нет")
            elif anchor and found.endswith(".md") and anchor not in declared(found):
                problems.append(f"{path}: ссылка в таблице на «{url}»: на странице {found} нет якоря «{anchor}»")
    return problems


def check_links(docs: Path, pages: Mapping[str, str]) -> None:
    """Check the tables' links of the generated pages (docs path → text) against the docs folder."""
    files = docs_files(docs)

    def read(path: str) -> str:
        return (docs / path).read_text(encoding="utf-8")
    problems = broken_links(pages, files, read)
    if problems:
        more = f"\n… и ещё {len(problems) - SHOWN}" if len(problems) > SHOWN else ""
        raise BuildFailed("ссылки в таблицах страниц ведут в никуда (ошибка шаблона или данных):\n"
                          + "\n".join(problems[:SHOWN]) + more)
