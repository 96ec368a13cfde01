"""Two small things a warm build keeps by bundle key (build/bundles.py), next to the bundles: a
school's verdict counts for the lists (`SiteData.school_statuses`) and its page's table links to
other pages (build/link_check.py). A key fixes both, so a reused school's are taken as they were
instead of computing every school's values or reading every page again."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.build.link_check import other_pages
from generator.cache.packs import Pack
from generator.render.html_tables import html_links

STATUSES_VERSION = "statuses-1"
LINKS_VERSION = "links-1"


class KeptByKey:
    def __init__(self, root: Path, keys: Mapping[str, str], reuse: Mapping[str, object]):
        self.keys, self.reuse = keys, reuse
        self._statuses = Pack(root / "statuses.pickle", STATUSES_VERSION)
        self._links = Pack(root / "links.pickle", LINKS_VERSION)

    def statuses(self) -> dict[str, list[str]]:
        """The reused schools' statuses this year, where the cache has them."""
        known = self._statuses.load()
        return {code: known[self.keys[code]] for code in self.reuse if self.keys[code] in known}

    def save_statuses(self, site_data) -> None:
        self._statuses.save({self.keys[code]: site_data.school_statuses(code, site_data.year) for code in self.keys})

    def links(self, fresh: Mapping[str, list[str]], docs: Path) -> dict[str, tuple[str, ...]]:
        """The reused school pages' links to other pages (docs path → links); all schools' are kept.
        `fresh`: the `html_links` of the pages written now."""
        known = self._links.load()
        found: dict[str, tuple[str, ...]] = {}
        for code, key in self.keys.items():
            page = f"schools/{code}.md"
            if page in fresh:
                links = other_pages(page, fresh[page])
            else:
                links = known.get(key)
                if links is None:  # a cache from before this file: read the page once
                    links = other_pages(page, html_links((docs / page).read_text(encoding="utf-8"), page))
            found[code] = links
        self._links.save({self.keys[code]: links for code, links in found.items()})
        return {f"schools/{code}.md": found[code] for code in self.reuse}
