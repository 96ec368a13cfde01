"""The page types the browser tests visit: ONE table, extend it here.

A page type is either a fixed URL (``path``) or the first page linked from an
index page whose URL matches ``pattern`` (``index`` + ``pattern``): concrete
codes are discovered from the built site, never hard-coded. When the index page
links no such page, the sorted sub-folders of the index folder are used.

Later issues add rows here (news, embeds, yearly snapshots ...); every browser
test is parametrised over this table and the widths below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .htmlcheck import SiteIndex, file_for, main_content, resolve_internal


@dataclass(frozen=True)
class PageType:
    name: str  # used in test ids and screenshot names
    path: str | None = None  # fixed site-relative URL path
    index: str | None = None  # index page to discover the concrete page from
    pattern: str | None = None  # regex the discovered URL path must match


PAGE_TYPES: tuple[PageType, ...] = (
    PageType("home", path="/"),
    PageType("programme", index="/programmes/", pattern=r"^/programmes/[^/]+/$"),
    PageType("roadmap", index="/roadmaps/", pattern=r"^/roadmaps/[^/]+/$"),
    PageType("schools", path="/schools/"),
    PageType("school", index="/schools/", pattern=r"^/schools/[^/]+/$"),
    PageType("mentors", path="/mentors/"),
    PageType("indicators", path="/indicators/"),
    PageType("indicator", index="/indicators/", pattern=r"^/indicators/[^/]+/$"),
    PageType("open-data", path="/open-data/"),
    PageType("news", path="/news/"),
    PageType("news-item", index="/news/", pattern=r"^/news/[^/]+/$"),
    PageType("practices", path="/practices/"),
    PageType("practice", index="/practices/", pattern=r"^/practices/[^/]+/$"),
    PageType("documents", path="/documents/"),
    PageType("openness", path="/openness/"),
    PageType("for-schools", path="/for-schools/"),
    PageType("parents", path="/parents/"),
)

# name -> (width, height)
WIDTHS: dict[str, tuple[int, int]] = {
    "desktop": (1280, 800),
    "phone": (390, 844),
}


class PageTypeError(Exception):
    pass


def resolve(pt: PageType, site: SiteIndex) -> str:
    """Site-relative URL path of a concrete page of this type, or PageTypeError."""
    site_dir = site.site_dir
    if pt.path is not None:
        if file_for(site_dir, pt.path) is None:
            raise PageTypeError(f"page type {pt.name!r}: {pt.path} does not exist in {site_dir}")
        return pt.path
    assert pt.index and pt.pattern, pt
    rx = re.compile(pt.pattern)
    index_file = file_for(site_dir, pt.index)
    if index_file is not None:
        content = main_content(site.doc(index_file))
        for a in content.find_all("a"):
            resolved = resolve_internal(a.attrs.get("href", ""), pt.index, site.base)
            if resolved and rx.match(resolved[0]) and file_for(site_dir, resolved[0]) is not None:
                return resolved[0]
    folder = site_dir / pt.index.strip("/")
    if folder.is_dir():
        for sub in sorted(p for p in folder.iterdir() if (p / "index.html").is_file()):
            path = f"{pt.index}{sub.name}/"
            if rx.match(path):
                return path
    raise PageTypeError(
        f"page type {pt.name!r}: no page matching {pt.pattern} linked from {pt.index}"
        f" ({'missing' if index_file is None else 'exists'}) nor a sub-folder of {folder}"
    )
