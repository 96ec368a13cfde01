"""The generated pages' tables as HTML, so that MkDocs does not parse them.

Python-Markdown spends most of a school page's build on its tables: it runs a dozen and a half
inline patterns over every cell (docs/DESIGN.md «MkDocs stage»). The templates still write GitHub
pipe tables; `tables_to_html` turns each top-level one into HTML with cmark-gfm (GitHub's C
library: its table extension only, raw inline HTML kept, so the cells' spans pass as they are),
rewrites the links as MkDocs would (`x.md` → the page's directory URL, relative to this page) and
wraps the result in PASS_START / PASS_END. The Python-Markdown extension
generator/build/passthrough.py hands such a block to the output untouched. Because MkDocs no
longer sees these links, `html_links` lists them for the generator's own check
(build/link_check.py), which fails the build as `mkdocs build --strict` would.
"""
from __future__ import annotations

import posixpath
import re

import cmarkgfm
from cmarkgfm.cmark import Options

PASS_START, PASS_END = "<!-- html -->", "<!-- /html -->"
_DELIMITER = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_LINK = re.compile(r'(href|src)="([^"]*)"')
_HREF, _SRC = re.compile(r'href="([^"]*)"'), re.compile(r'src="([^"]*)"')  # literal prefixes: fast search
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def page_url(path: str) -> str:
    """The URL MkDocs gives a docs file with use_directory_urls: 'a/b.md' → 'a/b/',
    'a/index.md' → 'a/', 'index.md' → './', 'a/index.html' → 'a/'; other files keep their path."""
    if path == "index.html" or path.endswith("/index.html"):  # MkDocs serves it as its folder
        return path[:-10] or "./"
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index":
        return "./"
    if stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def _parts(url: str) -> list[str]:
    parts: list[str] = []
    for part in url.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return parts


def relative_url(target: str, start: str) -> str:
    """URL `target` as seen from the page at URL `start`, the same arithmetic as MkDocs' links
    (tests/test_html_tables.py compares with mkdocs.utils.get_relative_url)."""
    folder, _, last = start.rpartition("/")
    here, there = _parts(folder if "." in last else start), _parts(target)
    common = 0
    while common < len(here) and common < len(there) and here[common] == there[common]:
        common += 1
    relative = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return relative + "/" if target.endswith("/") else relative


def _rewrite(html: str, path: str) -> str:
    here = posixpath.dirname(path)
    start = page_url(path)

    def one(match: re.Match) -> str:
        attribute, url = match.groups()
        if not url or url.startswith(("#", "/")) or _SCHEME.match(url):
            return match.group(0)
        target, hash_, fragment = url.partition("#")
        docs = posixpath.normpath(posixpath.join(here, target))
        return f'{attribute}="{relative_url(page_url(docs), start)}{hash_}{fragment}"'
    return _LINK.sub(one, html)


def _convert(table: list[str], path: str, searchable: bool) -> list[str]:
    html = cmarkgfm.markdown_to_html_with_extensions(
        "\n".join(table), options=Options.CMARK_OPT_UNSAFE, extensions=["table"])
    if not searchable:  # Material's search skips an element with this attribute
        html = html.replace("<table>", "<table data-search-exclude>", 1)
    # Blank lines around: the block stands alone, as a Markdown table did.
    return ["", PASS_START, _rewrite(html.rstrip("\n"), path), PASS_END, ""]


def tables_to_html(markdown: str, path: str, searchable: bool = True) -> str:
    """Every pipe table that starts in column 0 outside a fenced code block, as a pass-through
    HTML block, and the links of the pass-through blocks a template wrote itself rewritten the
    same way; the rest of the page as it was. `path`: the page's path in the docs folder;
    `searchable`: False keeps the tables out of the site's search index."""
    if "\n|" not in markdown and not markdown.startswith("|") and PASS_START not in markdown:
        return markdown
    lines = markdown.split("\n")
    out: list[str] = []
    fence = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = _FENCE.match(line)
        if fence:
            if line.startswith(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
        elif line == PASS_START and PASS_END in lines[i + 1:]:  # HTML a template wrote: its links too
            end = lines.index(PASS_END, i + 1)
            out.extend([PASS_START, _rewrite("\n".join(lines[i + 1:end]), path), PASS_END])
            i = end + 1
            continue
        elif line.startswith("|") and i + 1 < len(lines) and _DELIMITER.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            out.extend(_convert(lines[i:end], path, searchable))
            i = end
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _blocks(markdown: str):
    """The pass-through blocks' HTML (str.find: a lazy regex over a whole page is slower)."""
    at = markdown.find(PASS_START)
    while at >= 0:
        end = markdown.find(PASS_END, at)
        if end < 0:
            return
        yield markdown[at + len(PASS_START):end]
        at = markdown.find(PASS_START, end)


def html_links(markdown: str, path: str) -> list[str]:
    """The links of the page's pass-through blocks as site URLs ('schools/x/', 'data/x.csv',
    'schools/x/#a'; the page's own anchors too); external links and site-absolute ones are not
    the generator's to check."""
    found = []
    start = _parts(page_url(path))
    for block in _blocks(markdown):
        for url in (*_HREF.findall(block), *_SRC.findall(block)):
            if not url or url.startswith("/") or _SCHEME.match(url):
                continue
            target, hash_, fragment = url.partition("#")
            if not target:
                found.append(f"{page_url(path)}#{fragment}")
                continue
            resolved = "/".join(_parts("/".join(start) + "/" + target))
            found.append((resolved + "/" if target.endswith("/") and resolved else resolved or "./")
                         + hash_ + fragment)
    return found


def docs_candidates(url: str) -> tuple[str, ...]:
    """The docs files a site URL from `html_links` can be built from: 'a/b/' → 'a/b.md' or
    'a/b/index.md' (or a static 'a/b/index.html'); './' → 'index.md'; a file's URL is its path."""
    if url == "./":
        return ("index.md", "index.html")
    if url.endswith("/"):
        return (url[:-1] + ".md", url + "index.md", url + "index.html")
    return (url,)
