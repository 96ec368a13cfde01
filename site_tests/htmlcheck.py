"""Static checks of the built site, working on HTML text or on files.

Everything here is plain Python (html.parser), so the same functions check
files on disk (whole-site crawl), the DOM that the browser rendered
(``page.content()``) and a deliberately broken copy of the site (meta-test).

A problem is reported as a ``Problem`` whose ``str()`` starts with the page's
path relative to the site directory (or the page URL in the browser), so that a
failure message always names the page.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import unquote, urljoin, urlsplit

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
    "meta", "param", "source", "track", "wbr",
}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements whose URL attribute must point to something inside the site.
URL_ATTRS = {
    "a": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
    "source": ("src",), "iframe": ("src",), "embed": ("src",),
    "object": ("data",), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",),
}
# Host used to resolve relative URLs; never contacted.
FAKE_ORIGIN = "http://site.invalid"
CHART_RE = re.compile(r"(^|/)charts/.+\.svg$", re.IGNORECASE)


# --------------------------------------------------------------------------
# A tiny DOM


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)
    parent: "Node | None" = None
    line: int = 0

    def iter(self) -> Iterator["Node"]:
        """Elements in document order, self included."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, Node))

    def find_all(self, tag: str | None = None, pred: Callable[["Node"], bool] | None = None) -> list["Node"]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (pred is None or pred(n))]

    def find(self, tag: str | None = None, pred: Callable[["Node"], bool] | None = None) -> "Node | None":
        for n in self.iter():
            if (tag is None or n.tag == tag) and (pred is None or pred(n)):
                return n
        return None

    def text(self) -> str:
        parts: list[str] = []

        def walk(node: Node) -> None:
            if node.tag in ("script", "style", "template"):
                return
            for c in node.children:
                if isinstance(c, str):
                    parts.append(c)
                else:
                    walk(c)

        walk(self)
        return " ".join("".join(parts).split())

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def ancestors(self) -> Iterator["Node"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def describe(self) -> str:
        attrs = " ".join(f'{k}="{v}"' for k, v in self.attrs.items() if k in ("id", "class", "src", "href", "alt"))
        return f"<{self.tag}{' ' + attrs if attrs else ''}> (line {self.line})"


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1], line=self.getpos()[0])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1], line=self.getpos()[0])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def main_content(doc: Node) -> Node:
    """Material's article, else <main>, else role=main, else <body>."""
    for pred in (
        lambda n: n.tag == "article" and "md-content__inner" in n.classes(),
        lambda n: n.tag == "article",
        lambda n: n.tag == "main",
        lambda n: n.attrs.get("role") == "main",
        lambda n: n.tag == "body",
    ):
        found = doc.find(pred=pred)
        if found is not None:
            return found
    return doc


# --------------------------------------------------------------------------
# Pages and URLs


@dataclass(frozen=True)
class Problem:
    page: str  # path of the page relative to the site dir, or its URL
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.page}: {self.kind}: {self.detail}"


def html_files(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if "node_modules" not in p.parts)


def url_path_of(rel: str) -> str:
    """'schools/s001/index.html' -> '/schools/s001/'; '404.html' -> '/404.html'."""
    rel = rel.replace("\\", "/")
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def site_base(site_dir: Path) -> tuple[str, str]:
    """(host, path prefix) of the public site, read from index.html's canonical link.

    Absolute links to that host and root-relative links under that prefix are
    internal links. Without a canonical link: ("", "/").
    """
    index = site_dir / "index.html"
    if index.is_file():
        doc = parse_html(index.read_text(encoding="utf-8", errors="replace"))
        link = doc.find("link", lambda n: "canonical" in n.attrs.get("rel", "").split())
        if link is not None and link.attrs.get("href"):
            parts = urlsplit(link.attrs["href"])
            prefix = parts.path if parts.path.endswith("/") else posixpath.dirname(parts.path) + "/"
            return parts.netloc, prefix or "/"
    return "", "/"


def resolve_internal(href: str, page_url_path: str, base: tuple[str, str] = ("", "/")) -> tuple[str, str] | None:
    """Resolve a link found on the page at ``page_url_path`` (site-relative URL path).

    Returns (site-relative URL path, fragment) for internal links, None for
    external ones (other hosts, mailto:, tel:, javascript:, data:).
    """
    href = href.strip()
    if not href:
        return None
    absolute = urljoin(FAKE_ORIGIN + page_url_path, href)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https"):
        return None
    host, prefix = base
    path = parts.path or "/"
    if parts.netloc == urlsplit(FAKE_ORIGIN).netloc:
        # Relative or root-relative. Root-relative links carry the site prefix.
        if href.startswith("/") and not href.startswith("//") and prefix != "/" and path.startswith(prefix):
            path = "/" + path[len(prefix):]
    elif host and parts.netloc == host and path.startswith(prefix):
        path = "/" + path[len(prefix):]
    else:
        return None
    return unquote(path), unquote(parts.fragment)


def file_for(site_dir: Path, url_path: str) -> Path | None:
    """The file that a static server would return for the URL path, or None."""
    rel = url_path.lstrip("/")
    target = (site_dir / rel) if rel else site_dir
    try:
        target.resolve().relative_to(site_dir.resolve())
    except ValueError:
        return None  # escapes the site
    if url_path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def ids_in(doc: Node) -> set[str]:
    ids = set()
    for n in doc.iter():
        if "id" in n.attrs:
            ids.add(n.attrs["id"])
        if n.tag == "a" and "name" in n.attrs:
            ids.add(n.attrs["name"])
    return ids


# --------------------------------------------------------------------------
# Whole-site crawl


class SiteIndex:
    """Parsed HTML pages of a site directory, parsed once and cached."""

    def __init__(self, site_dir: Path):
        self.site_dir = Path(site_dir)
        self.base = site_base(self.site_dir)
        self._docs: dict[Path, Node] = {}
        self._ids: dict[Path, set[str]] = {}

    def pages(self) -> list[Path]:
        return html_files(self.site_dir)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.site_dir).as_posix()

    def doc(self, path: Path) -> Node:
        if path not in self._docs:
            self._docs[path] = parse_html(path.read_text(encoding="utf-8", errors="replace"))
        return self._docs[path]

    def ids(self, path: Path) -> set[str]:
        if path not in self._ids:
            self._ids[path] = ids_in(self.doc(path))
        return self._ids[path]


def link_problems_in(doc: Node, page_label: str, page_url_path: str, site: SiteIndex) -> list[Problem]:
    problems = []
    own_ids = None
    for node in doc.iter():
        for attr in URL_ATTRS.get(node.tag, ()):
            href = node.attrs.get(attr)
            if href is None:
                continue
            resolved = resolve_internal(href, page_url_path, site.base)
            if resolved is None:
                continue
            path, fragment = resolved
            target = file_for(site.site_dir, path)
            if target is None:
                problems.append(Problem(page_label, "broken link", f'{node.tag} {attr}="{href}" (line {node.line}): nothing at {path}'))
                continue
            if fragment and target.suffix == ".html":
                if path == page_url_path:
                    own_ids = own_ids if own_ids is not None else ids_in(doc)
                    ids = own_ids
                else:
                    ids = site.ids(target)
                if fragment not in ids:
                    problems.append(Problem(page_label, "broken anchor", f'{node.tag} {attr}="{href}" (line {node.line}): no id="{fragment}" in {site.rel(target)}'))
    return problems


def find_broken_links(site_dir: Path, site: SiteIndex | None = None) -> list[Problem]:
    """Every internal link, resource and #anchor of every HTML page must resolve."""
    site = site or SiteIndex(site_dir)
    problems: list[Problem] = []
    for page in site.pages():
        rel = site.rel(page)
        problems += link_problems_in(site.doc(page), rel, url_path_of(rel), site)
    return problems


# --------------------------------------------------------------------------
# Content checks on one page (file or rendered DOM)


def _section_has_table(img: Node, content: Node) -> bool:
    """Does the section holding ``img`` contain a <table>?

    The section is the nearest <section>/<details> ancestor inside the content,
    otherwise the heading section: from the heading before the image up to the
    next heading of the same or a higher level.
    """
    for anc in img.ancestors():
        if anc is content:
            break
        if anc.tag in ("section", "details"):
            return anc.find("table") is not None
    order = list(content.iter())
    pos = order.index(img)
    start, level = 0, 0
    for i in range(pos - 1, -1, -1):
        if order[i].tag in HEADINGS:
            start, level = i, HEADINGS[order[i].tag]
            break
    end = len(order)
    for i in range(pos + 1, len(order)):
        if order[i].tag in HEADINGS and (level == 0 or HEADINGS[order[i].tag] <= level):
            end = i
            break
    return any(n.tag == "table" for n in order[start:end])


def _has_figcaption(img: Node) -> bool:
    for anc in img.ancestors():
        if anc.tag == "figure":
            cap = anc.find("figcaption")
            return cap is not None and bool(cap.text())
    return False


def image_problems_in(doc: Node, page_label: str, page_url_path: str, base: tuple[str, str] = ("", "/")) -> list[Problem]:
    """Images in main content need a text alternative; charts also need alt and a data table."""
    problems = []
    content = main_content(doc)
    for img in content.find_all("img"):
        src = img.attrs.get("src", "")
        alt = img.attrs.get("alt", "").strip()
        resolved = resolve_internal(src, page_url_path, base)
        is_chart = resolved is not None and bool(CHART_RE.search(resolved[0]))
        if is_chart:
            if not alt:
                problems.append(Problem(page_label, "chart without alt text", img.describe()))
            if not _section_has_table(img, content):
                problems.append(Problem(page_label, "chart without a data table in its section", img.describe()))
        elif not alt and not _has_figcaption(img):
            problems.append(Problem(page_label, "image without text alternative (alt or figcaption)", img.describe()))
    return problems


def table_problems_in(doc: Node, page_label: str) -> list[Problem]:
    return [
        Problem(page_label, "table without header cells (<th>)", t.describe())
        for t in main_content(doc).find_all("table")
        if t.find("th") is None
    ]


def status_problems_in(doc: Node, page_label: str) -> list[Problem]:
    """Colour is never the only carrier of a status: .status-* elements carry text."""
    return [
        Problem(page_label, "status shown by colour only (empty text)", n.describe())
        for n in doc.iter()
        if any(c.startswith("status-") for c in n.classes()) and not n.text()
    ]


def _over_site(site_dir: Path, site: SiteIndex | None, check) -> list[Problem]:
    site = site or SiteIndex(site_dir)
    problems: list[Problem] = []
    for page in site.pages():
        rel = site.rel(page)
        problems += check(site.doc(page), rel, url_path_of(rel), site.base)
    return problems


def find_image_problems(site_dir: Path, site: SiteIndex | None = None) -> list[Problem]:
    return _over_site(site_dir, site, image_problems_in)


def find_table_problems(site_dir: Path, site: SiteIndex | None = None) -> list[Problem]:
    return _over_site(site_dir, site, lambda d, rel, _u, _b: table_problems_in(d, rel))


def find_status_problems(site_dir: Path, site: SiteIndex | None = None) -> list[Problem]:
    return _over_site(site_dir, site, lambda d, rel, _u, _b: status_problems_in(d, rel))


def format_problems(problems: Iterable[Problem], limit: int = 200) -> str:
    problems = list(problems)
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more")
    return f"{len(problems)} problem(s):\n  " + "\n  ".join(lines)
