"""Checks of every HTML file of the built site, read from disk (no HTTP)."""

from __future__ import annotations

import pytest

from .htmlcheck import find_broken_links, find_image_problems, find_status_problems, find_table_problems, format_problems


def test_site_has_pages(site):
    assert len(site.pages()) >= 2, f"{site.site_dir}: only {len(site.pages())} HTML page(s)"


@pytest.mark.parametrize(
    "check",
    [find_broken_links, find_image_problems, find_table_problems, find_status_problems],
    ids=["links-and-anchors", "images-and-charts", "table-headers", "status-text"],
)
def test_every_page(site, check):
    problems = check(site.site_dir, site)
    assert not problems, f"{site.site_dir}: " + format_problems(problems)
