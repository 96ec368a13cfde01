"""Which link targets may appear on a public government page."""
from __future__ import annotations

import re

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_url(url: str) -> bool:
    """http(s), mailto and site-relative targets only; no javascript:, data:, protocol-relative."""
    url = url.strip()
    if not url or any(ch in url for ch in "\x00\n\r\t <>\"'`\\"):
        return False
    if url.startswith("//"):
        return False
    match = _SCHEME.match(url)
    if match is None:
        return True  # relative: /path, path, #anchor
    return match.group(1).lower() in ("http", "https", "mailto")


def external(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))
