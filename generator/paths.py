"""Where the generator's own files are (templates, theme, generic pages, base config, CI templates) and its cache.

A foundation module: every stage that needs one of these paths takes it from here, so the
layout is written down once. The files live at the root of the repository (templates/,
content/, mkdocs.yml, ci/); the wheel carries the same tree as generator/_files/ (see the
package-dir mapping in pyproject.toml). So:

- in a checkout, `REPO` is the repository root, and `FILES` is the same folder;
- installed from a wheel or a git tag, `FILES` is generator/_files/ inside the package, `CHECKOUT`
  is None, and `REPO` is `FILES` too: REPO / "templates", REPO / "ci" keep working, REPO / "examples"
  does not exist (no demo project is installed), and nothing is written there (see cache_root).
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # generator/: the code
_BUNDLED = PACKAGE / "_files"
INSTALLED = (_BUNDLED / "mkdocs.yml").is_file()
CHECKOUT: Path | None = None if INSTALLED else PACKAGE.parent  # the repository root, when run from one
FILES = _BUNDLED if INSTALLED else PACKAGE.parent
REPO = FILES

TEMPLATES = FILES / "templates"
PAGE_TEMPLATES = TEMPLATES / "pages"
EMBED_TEMPLATES = TEMPLATES / "embed"
FEED_TEMPLATES = TEMPLATES / "feeds"
THEME = TEMPLATES / "theme"
CONTENT = FILES / "content"
BASE_CONFIG = FILES / "mkdocs.yml"
CI_TEMPLATES = FILES / "ci"  # github-pages.yml, gitlab-ci.yml for a site project's repository


# Inside a site project (see docs/data-contract.md): its hand-written pages and its frozen years.
PAGES = "pages"
ARCHIVE = "archive"


def cache_root() -> Path:
    """The build cache: `$SHNOR_CACHE_DIR`; by default `.cache/` in the checkout, or — installed —
    `.cache/` of the current folder (a site project's repository, where its CI keeps the cache)."""
    if "SHNOR_CACHE_DIR" in os.environ:
        return Path(os.environ["SHNOR_CACHE_DIR"])
    return (CHECKOUT or Path.cwd()) / ".cache"
