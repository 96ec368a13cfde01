"""The site search's entries for the school pages.

School pages are kept out of Material's search plugin (front matter `search: exclude: true`): it
would parse every page's HTML for a few lines of text, a third of the MkDocs stage. Instead each
school gets one entry in the index Material's search reads (`search/search_index.json`, items
of `location`, `title`, `text`), added after MkDocs by build/mkdocs_stage.prune_site: its full
name as the title; its short name, district, code and former codes as the text — what a reader
types to find a school.
"""
from __future__ import annotations

import html
from collections import defaultdict

from generator.model import Dataset


def search_entries(dataset: Dataset) -> list[dict[str, str]]:
    former: dict[str, list[str]] = defaultdict(list)
    for rename in dataset.renames:
        former[rename.new].append(rename.old)
    entries = []
    for school in sorted(dataset.schools, key=lambda s: s.code):
        # Short: at 5,000 schools every byte here is 5 KB of the index a reader downloads.
        parts = [school.short_name] if school.short_name and school.short_name != school.name else []
        if school.district:
            parts.append(school.district)
        parts.append(f"код {school.code}")
        if former[school.code]:
            parts.append("прежний код " + ", ".join(sorted(former[school.code])))
        entries.append({"location": f"schools/{school.code}/", "title": html.escape(school.name, quote=False),
                        "text": html.escape(" · ".join(parts), quote=False)})
    return entries
