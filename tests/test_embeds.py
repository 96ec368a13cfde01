"""Issue: schools link their "500+" tab once and never touch it again."""
from __future__ import annotations

import csv
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

from conftest import DATA


def schools() -> list[dict[str, str]]:
    with open(DATA / "schools.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def base_url() -> str:
    return yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8"))["base_url"].rstrip("/") + "/"


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(path: Path) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def test_every_school_has_address_embed_and_badge(demo_site):
    for school in schools():
        code = school["code"]
        assert (demo_site / "schools" / code / "index.html").is_file()
        embed = demo_site / "embed" / code / "index.html"
        badge = demo_site / "badge" / f"{code}.svg"
        assert embed.is_file() and badge.is_file(), code
        assert html.escape(school["name"], quote=False) in embed.read_text(encoding="utf-8")
        assert "<svg" in badge.read_text(encoding="utf-8")


def test_snippets_point_at_the_permanent_files(demo_site):
    base = base_url()
    for school in schools():
        code = school["code"]
        page = (demo_site / "schools" / code / "index.html").read_text(encoding="utf-8")
        # Snippets are shown as code: their HTML is escaped inside <code>.
        assert f"&lt;a href=&quot;{base}schools/{code}/&quot;&gt;" in page, code
        assert f"&lt;iframe src=&quot;{base}embed/{code}/&quot;" in page, code
        assert f"&lt;img src=&quot;{base}badge/{code}.svg&quot;" in page, code
        # …and the addresses they name exist in the built site under the same paths.
        for rel in (f"schools/{code}/index.html", f"embed/{code}/index.html", f"badge/{code}.svg"):
            assert (demo_site / rel).is_file()


def test_embed_is_self_contained_and_framable(demo_site):
    for embed in (demo_site / "embed").glob("*/index.html"):
        text = embed.read_text(encoding="utf-8")
        found = tags(embed)
        assert not [t for t, _ in found if t in ("script", "iframe", "object", "embed")], embed
        for tag, attrs in found:
            for key in ("src", "href"):
                value = attrs.get(key) or ""
                if tag == "link" and attrs.get("rel") == "canonical":
                    continue
                if tag == "a":
                    continue  # links navigate; they fetch nothing
                assert not re.match(r"(https?:)?//", value), (embed, tag, value)
        assert "frame-ancestors" not in text and "X-Frame-Options" not in text  # nothing forbids framing
        if 'http-equiv="refresh"' not in text:  # a renamed code's stub redirects inside the frame
            assert 'target="_top"' in text  # the link back leaves the iframe


def test_badge_says_the_current_status(demo_site):
    site = yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8"))
    year = str(site["current_year"])
    with open(DATA / "statuses.csv", encoding="utf-8-sig", newline="") as fh:
        statuses = [r for r in csv.DictReader(fh) if r["year"] == year]
    for school in schools():
        mine = {r["status"] for r in statuses if r["school"] == school["code"]}
        badge = (demo_site / "badge" / f"{school['code']}.svg").read_text(encoding="utf-8")
        if mine - {"наставник"}:
            assert all(s in badge for s in mine - {"наставник"}), school["code"]
        elif mine:
            assert "школа-наставник" in badge
        else:
            assert "не участвует" in badge


def test_renamed_code_redirects(demo_site):
    with open(DATA / "renames.csv", encoding="utf-8-sig", newline="") as fh:
        renames = list(csv.DictReader(fh))
    assert renames
    for rename in renames:
        old, new = rename["old_code"], rename["new_code"]
        for kind in ("schools", "embed"):
            page = demo_site / kind / old / "index.html"
            refresh = [a for t, a in tags(page) if t == "meta" and a.get("http-equiv") == "refresh"]
            assert refresh and refresh[0]["content"] == f"0; url=../../{kind}/{new}/"
            # The target resolves to the new page, relative to the old address.
            assert (page.parent / f"../../{kind}/{new}/index.html").resolve().is_file()
        assert (demo_site / "badge" / f"{old}.svg").read_bytes() == (demo_site / "badge" / f"{new}.svg").read_bytes()


def test_schools_listing_page(demo_site):
    page = (demo_site / "for-schools" / "index.html").read_text(encoding="utf-8")
    with open(DATA / "statuses.csv", encoding="utf-8-sig", newline="") as fh:
        involved = {r["school"] for r in csv.DictReader(fh)}
    for code in involved:
        assert f"{base_url()}embed/{code}/" in page, code
