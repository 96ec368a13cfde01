"""Links between pages: school addresses that never change, page-relative paths, and site paths
written in data ("/indicators/") resolved to the generated .md files so MkDocs checks them."""
from __future__ import annotations

import posixpath

from generator.render.markdown_text import link, text

def addresses(base_url: str, code: str) -> dict[str, str]:
    """Absolute addresses a school pastes into its own site; they never change for a code."""
    base = base_url.rstrip("/") + "/"
    return {"page": f"{base}schools/{code}/", "embed": f"{base}embed/{code}/", "badge": f"{base}badge/{code}.svg"}


def page_url_for(path: str):
    start = posixpath.dirname(path)

    def page_url(target: str) -> str:
        # MkDocs resolves links between .md files relative to the linking file.
        return relative_path(target, start)
    return page_url


def relative_path(target: str, start: str) -> str:
    """posixpath.relpath(target, start or '.') for paths under the docs folder, without its
    abspath calls: the region-sized list pages render tens of thousands of links."""
    to, here = target.split("/"), start.split("/") if start else []
    if target.startswith("/") or start.startswith("/") or {"", ".", ".."} & {*to, *here}:
        return posixpath.relpath(target, start or ".")
    common = 0
    while common < len(here) and common < len(to) and here[common] == to[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def site_target(url: str, known: set[str]) -> str | None:
    """'/indicators/' → 'indicators/index.md'; '/schools/x/#a' → 'schools/x.md#a'; None when no such page."""
    path, _, fragment = url.partition("#")
    path = path.strip("/")
    candidates = ["index.md"] if not path else [f"{path}/index.md", f"{path}.md", path]
    for candidate in candidates:
        if candidate in known:
            return candidate + (f"#{fragment}" if fragment else "")
    return None


def linker(path: str, known: set[str]):
    """link() for one page: site-relative targets from data become page-relative .md links."""
    page_url = page_url_for(path)

    def page_link(label: object, url: str | None) -> str:
        if url and url.startswith("/") and not url.startswith("//"):
            target = site_target(url, known)
            return link(label, page_url(target)) if target else text(label)
        return link(label, url)
    return page_link
