"""Warm MkDocs: a school page whose Markdown and whose surroundings did not change gets the HTML
the last build made of it, instead of being built by MkDocs again.

MkDocs has no incremental build (`--dirty` leaves a stale search index and navigation, issue #23),
and the generator must not replace its functions. It offers, though, two documented things: a page
may name its own template in its front matter (`template:`), and a page whose template renders
nothing is not written. So, before MkDocs runs, each school page that can be reused is moved aside
and replaced by a *stub*: front matter naming STUB_TEMPLATE (templates/theme/, empty), keeping the
page out of search, and the page's anchor ids, so that links into it still validate. After MkDocs
(and prune_site) the stubbed pages' HTML is linked from the cache; the real Markdown goes back to
the docs folder, which the next build takes over (build/bundles.py).

A page's HTML is reused when this key matches the one it was built with: the page's Markdown, the
MkDocs configuration as the generator wrote it (its work-folder paths left out), the base
mkdocs.yml, every theme file, the versions of MkDocs, Material, Python-Markdown and pymdown-extensions,
the generator's code, and the list of the site's Markdown pages (MkDocs checks the page's links
against it; a page added or removed anywhere rebuilds every page). School pages carry no
navigation state of their own (not in `nav`: no active entry, no previous/next links), so nothing
else of the site reaches their HTML. tests/test_page_reuse.py compares warm and cold sites byte
for byte.

Storage: the HTML in the bundles' content-addressed blobs (`build/blobs/`, swept with them);
`build/pages.pickle` (a Pack) maps key → blob digest.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

import yaml

from generator.build.link_check import declared_ids
from generator.cache.packs import Pack
from generator.files import link, sha256_parts, walk_files, write_atomic
from generator.paths import BASE_CONFIG, THEME

STUB_TEMPLATE = "generator-stub.html"
STATE_VERSION = "pages-2"  # 2: keys are hex digests
_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")


def surroundings(config: Mapping, code: bytes, pages: Iterable[str]) -> bytes:
    """Everything but the page itself that reaches a school page's HTML (see the module's notes)."""
    own = {key: value for key, value in config.items() if key not in ("docs_dir", "site_dir")}
    parts = [yaml.safe_dump(own, allow_unicode=True, sort_keys=True).encode("utf-8"), BASE_CONFIG.read_bytes(), code,
             "\n".join(sorted(pages)).encode("utf-8")]
    parts += [f"{name}=={metadata.version(name)}".encode() for name in _PACKAGES]
    for path in walk_files(THEME):
        parts += [path.relative_to(THEME).as_posix().encode("utf-8"), path.read_bytes()]
    return sha256_parts(*parts).encode()


def html_path(site: Path, page: str) -> Path:
    """Where MkDocs writes a docs page (use_directory_urls): schools/x.md → schools/x/index.html."""
    return site / page[:-3] / "index.html"


def stub(markdown: str) -> str:
    ids = sorted(declared_ids(markdown))
    anchors = "".join(f'<span id="{i}"></span>' for i in ids)
    return f"---\ntemplate: {STUB_TEMPLATE}\nsearch:\n  exclude: true\n---\n\n{anchors}\n"


class PageReuse:
    """One build's use of the reused pages; `root` None: no cache, nothing is reused."""

    def __init__(self, root: Path | None, around: bytes):
        self.root, self.around = root, around
        self._state = Pack(root / "pages.pickle", STATE_VERSION) if root else None
        self._known = self._state.load() if self._state else {}
        self.keys: dict[str, str] = {}  # page → key, every candidate page
        self.stubbed: dict[str, str] = {}  # page → blob digest of its HTML

    def _blob(self, digest: str) -> Path:
        return self.root / "blobs" / digest[:2] / digest

    def prepare(self, docs: Path, pages: Iterable[str], aside: Path) -> None:
        """Stub every page of `pages` whose HTML the cache holds; its Markdown goes to `aside`."""
        if self.root is None:  # no cache (a snapshot's build): MkDocs builds every page
            return
        for page in pages:
            source = docs / page
            text = source.read_text(encoding="utf-8")
            key = self.keys[page] = sha256_parts(self.around, text.encode("utf-8"))
            digest = self._known.get(key)
            if digest is None or not self._blob(digest).is_file():
                continue
            target = aside / page
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)  # the docs file may be a link into the bundle cache: never write it
            source.write_text(stub(text), encoding="utf-8", newline="\n")
            self.stubbed[page] = digest

    def finish(self, docs: Path, site: Path, aside: Path) -> set[bytes]:
        """After MkDocs and prune_site: the stubbed pages' HTML into `site`, their Markdown back
        into `docs`, the other pages' HTML into the cache. Returns the blobs this build used."""
        if self.root is None:
            return set()
        for page, digest in self.stubbed.items():
            link(str(self._blob(digest)), str(html_path(site, page)))
            os.replace(aside / page, docs / page)
        used = set(self.stubbed.values())
        new = {}
        for page, key in self.keys.items():
            if page in self.stubbed:
                new[key] = self.stubbed[page]
                continue
            built = html_path(site, page)
            data = built.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if not self._blob(digest).is_file():
                try:
                    link(str(built), str(self._blob(digest)))
                except OSError:
                    write_atomic(self._blob(digest), data)
            new[key] = digest
            used.add(digest)
        if self._state is not None:
            self._state.save(new)
        return {bytes.fromhex(d) for d in used}
