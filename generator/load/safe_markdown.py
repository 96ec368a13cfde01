"""Markdown bodies from data files (news, practices): text and links only.

Raw HTML (and so <autolinks>) is escaped, images are refused (they would load from other hosts), and links keep
only http(s), mailto and site-relative targets.
"""
from __future__ import annotations

import html
import re

from generator.urls import safe_url

_INLINE_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^( {0,3})\[([^\]\n]+)\]:\s*(\S+).*$", re.M)


def _allowed(url: str) -> bool:
    """safe_url, and a target without a scheme must be a site path (/indicators/) or an anchor:
    a page-relative path (../../…) would climb out of the site or break when pages move."""
    url = url.strip()
    if not safe_url(url):
        return False
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url)) or url.startswith(("/", "#"))


def sanitize(text: str) -> str:
    """Return Markdown that renders only text, emphasis, lists and safe links."""
    escaped = html.escape(text.replace("\r\n", "\n"), quote=False)

    def inline(match: re.Match) -> str:
        bang, label, url = match.groups()
        if bang:  # images are not allowed: show the description as text
            return html.escape(label) or "изображение"
        url = html.unescape(url)
        if not _allowed(url):
            return label
        return f"[{label}]({url})"

    escaped = _INLINE_LINK.sub(inline, escaped)
    escaped = _REFERENCE.sub(lambda m: m.group(0) if _allowed(html.unescape(m.group(3))) else
                             f"{m.group(1)}\\[{m.group(2)}\\]: {m.group(3)}", escaped)
    return escaped.strip() + "\n"


def refused_links(text: str) -> list[str]:
    """Unsafe link targets and images in a body, for validation messages."""
    found = [url for bang, _, url in _INLINE_LINK.findall(text) if not bang and not _allowed(url)]
    found += [f"изображение {url}" for bang, _, url in _INLINE_LINK.findall(text) if bang]
    found += [url for _, _, url in _REFERENCE.findall(text) if not _allowed(url)]
    return found
