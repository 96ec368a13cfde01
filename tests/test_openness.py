"""Information openness on the demo: feed, two-way links, openness page, department-only flags."""
from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import feedparser
import pytest
import yaml

from conftest import DATA, run_cli
from generator.errors import DataErrors
from generator.load.validation import validate

FIXTURE = Path(__file__).parent / "fixtures" / "mini"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def news() -> dict[str, dict]:
    return {p.stem: front_matter(p) for p in sorted((DATA / "news").glob("*.md"))}


def html(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def test_demo_has_enough_openness_material():
    items = news()
    years = {str(n["date"])[:4] for n in items.values()}
    assert len(items) >= 20 and len(years) >= 3
    assert len(list((DATA / "practices").glob("*.md"))) >= 8
    assert len(yaml.safe_load((DATA / "documents.yml").read_text(encoding="utf-8"))) >= 10


def test_feed_is_valid_atom_with_news_and_roadmap_changes(demo_site):
    feed = feedparser.parse((demo_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    base = yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8"))["base_url"].rstrip("/") + "/"
    assert all(e.link.startswith(base) for e in feed.entries)
    titles = {e.title for e in feed.entries}
    as_of = yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8"))["as_of"]
    latest = sorted((n for n in news().values() if n["date"] <= as_of), key=lambda n: n["date"])[-1]
    assert latest["title"] in titles
    assert any(e.category == "дорожная карта" for e in feed.entries if hasattr(e, "category"))
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_news_and_schools_link_both_ways(demo_site):
    by_school: dict[str, list[tuple[object, str]]] = {}
    for slug, item in news().items():
        page = html(demo_site, f"news/{slug}")
        for code in item.get("schools") or []:
            assert f'href="../../schools/{code}/"' in page, (slug, code)
            by_school.setdefault(code, []).append((item["date"], slug))
    checked = capped = 0
    for code, items in by_school.items():
        page = html(demo_site, f"schools/{code}")
        linked = [(d, slug) for d, slug in items if f'href="../../news/{slug}/"' in page]
        if len(items) <= 10:
            assert len(linked) == len(items), code  # every event of the school is listed
        else:
            # Only the 10 latest are listed, with a note and a link to all news.
            capped += 1
            assert len(linked) == 10, code
            assert min(d for d, _ in linked) >= max(d for d, s in items if (d, s) not in linked), code
            assert f"Последние 10 из {len(items)}" in page and 'href="../../news/"' in page, code
        checked += len(linked)
    assert checked >= 10 and capped >= 1


def test_news_and_roadmap_items_link_both_ways(demo_site):
    checked = 0
    for slug, item in news().items():
        for ref in item.get("roadmap_items") or []:
            roadmap, number = ref.split(":")
            anchor = re.sub(r"[^0-9A-Za-z]+", "-", number).strip("-")
            assert f'href="../../roadmaps/{roadmap}/#item-{anchor}"' in html(demo_site, f"news/{slug}"), ref
            roadmap_page = html(demo_site, f"roadmaps/{roadmap}")
            assert f'id="item-{anchor}"' in roadmap_page
            assert f'href="../../news/{slug}/"' in roadmap_page, ref
            checked += 1
    assert checked >= 10


def test_practices_link_to_their_schools_and_back(demo_site):
    for path in (DATA / "practices").glob("*.md"):
        practice = front_matter(path)
        assert f'href="../../schools/{practice["school"]}/"' in html(demo_site, f"practices/{path.stem}")
        assert f'href="../../practices/{path.stem}/"' in html(demo_site, f"schools/{practice['school']}")


def test_openness_page_lists_every_obligation(demo_site):
    page = html(demo_site, "openness")
    found = 0
    for path in (DATA / "roadmaps").glob("*.yml"):
        roadmap = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in roadmap["sections"]:
            for item in section["items"]:
                if item.get("openness"):
                    anchor = re.sub(r"[^0-9A-Za-z]+", "-", str(item["number"])).strip("-")
                    assert f'href="../roadmaps/{roadmap["code"]}/#item-{anchor}"' in page, item["title"]
                    found += 1
    assert found >= 5
    assert "требует обновления" in page or "актуально" in page


def test_unreported_announcements_flagged_for_department_only(demo_site):
    as_of = yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8"))["as_of"]
    reported = {n.get("report_for") for n in news().values() if n["kind"] == "отчёт"}
    missing = [slug for slug, n in news().items()
               if n["kind"] == "анонс" and slug not in reported and n["event_date"] < as_of]
    assert missing, "the demo keeps at least one past announcement without a report"
    proc = run_cli("validate", "--data", str(DATA))
    for slug in missing:
        assert f"news/{slug}.md:1: kind: анонс мероприятия" in proc.stderr
    for page in demo_site.rglob("*.html"):
        assert "без отчёта" not in page.read_text(encoding="utf-8")


def test_every_generated_page_says_when_it_was_updated(demo_site):
    skip = {"about", "how-to-read", "parents", "404.html"}
    for page in demo_site.rglob("index.html"):
        rel = page.relative_to(demo_site).parts
        if rel[0] in ("embed", "assets", "archive", "search") or rel[0] in skip:
            continue
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        assert 'class="data-date"' in text, page


def test_documents_show_format_and_size(demo_site):
    page = html(demo_site, "documents")
    for doc in yaml.safe_load((DATA / "documents.yml").read_text(encoding="utf-8")):
        if doc.get("file"):
            assert (demo_site / doc["file"]).read_bytes() == (DATA / doc["file"]).read_bytes()
            assert "PDF," in page
    assert "КБ" in page or "Б)" in page


def copy_fixture(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    (data / "files").mkdir()
    (data / "files" / "order.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return data


@pytest.mark.parametrize("path,words", [
    ("../secret.pdf", "за пределы папки данных"),
    ("/etc/passwd", "за пределы папки данных"),
    ("files/none.pdf", "не найден"),
])
def test_document_path_must_stay_inside_data(tmp_path, path, words):
    data = copy_fixture(tmp_path)
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-")
    (data / "documents.yml").write_text(f"- code: d1\n  kind: приказ\n  title: Приказ\n  file: {path}\n",
                                        encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        validate(data)
    assert any(p.file == "documents.yml" and p.line == 4 and p.field == "документ d1.file" and words in p.message
               for p in info.value.problems), info.value.problems


def test_document_symlink_refused(tmp_path):
    data = copy_fixture(tmp_path)
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-")
    (data / "files" / "link.pdf").symlink_to(tmp_path / "outside.pdf")
    (data / "documents.yml").write_text("- code: d1\n  kind: приказ\n  title: П\n  file: files/link.pdf\n", encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        validate(data)
    assert any("символическая ссылка" in p.message for p in info.value.problems)


def test_document_hard_link_refused(tmp_path):
    """A hard link looks like a regular file inside the folder but can be any file of the machine."""
    data = copy_fixture(tmp_path)
    (tmp_path / "outside.pdf").write_bytes(b"%PDF- secret")
    (data / "files").mkdir(exist_ok=True)
    os.link(tmp_path / "outside.pdf", data / "files" / "hard.pdf")
    (data / "documents.yml").write_text("- code: d1\n  kind: приказ\n  title: П\n  file: files/hard.pdf\n", encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        validate(data)
    assert any(p.file == "documents.yml" and "жёсткая ссылка" in p.message for p in info.value.problems)


def test_referenced_missing_document_is_an_error(tmp_path):
    data = copy_fixture(tmp_path)
    (data / "documents.yml").write_text("- code: d1\n  kind: приказ\n  title: П\n  file: files/order.pdf\n", encoding="utf-8")
    (data / "news").mkdir()
    (data / "news" / "n1.md").write_text("---\ntitle: Новость\ndate: 2023-05-01\nkind: новость\ndocuments: [d2]\n---\nТекст.\n",
                                         encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        validate(data)
    assert any(p.file == "news/n1.md" and p.field == "documents" and "«d2» не найден" in p.message
               for p in info.value.problems)
