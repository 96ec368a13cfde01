"""Where the generator's own files are (templates, theme, generic pages, base config) and its cache.

A foundation module: every stage that needs one of these paths takes it from here, so the
layout of the checkout is written down once.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
PAGE_TEMPLATES = TEMPLATES / "pages"
EMBED_TEMPLATES = TEMPLATES / "embed"
FEED_TEMPLATES = TEMPLATES / "feeds"
THEME = TEMPLATES / "theme"
CONTENT = REPO / "content"
BASE_CONFIG = REPO / "mkdocs.yml"


# Inside a site project (see docs/data-contract.md): its hand-written pages and its frozen years.
PAGES = "pages"
ARCHIVE = "archive"


def cache_root() -> Path:
    """The build cache (`$SHNOR_CACHE_DIR`, default `.cache/` in the checkout)."""
    return Path(os.environ.get("SHNOR_CACHE_DIR", REPO / ".cache"))
