"""Text from data files is shown as text: no live markup reaches the built HTML."""
from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build.site import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
HOSTILE = {  # marker -> pattern; the marker identifies the pattern in the built HTML
    "x1": "<script>alert('x1')</script>",
    "x2": "<img src=x onerror=alert('x2')>",
    "x3": "[ссылка](javascript:alert('x3'))",
    "x4": "![картинка](https://evil.example/x4.png)",
    "x5": "<a href=\"data:text/html,x5\">x5</a>",
    "x6": "**жирный** <b onmouseover=alert('x6')>x6</b>",
    "x7": "<iframe src=https://evil.example/x7></iframe>",
    "x8": "</title><script>alert('x8')</script>",
}
PAYLOAD = " ".join(HOSTILE.values())


class Live(HTMLParser):
    """Collects markup that would act in a browser."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.in_script = False
        self.script = ""

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value}>")
            if name in ("href", "src") and value and value.strip().lower().startswith(("javascript:", "data:")):
                self.found.append(f"<{tag} {name}={value}>")
            if name in ("src",) and value and "evil.example" in value:
                self.found.append(f"<{tag} src={value}>")
        if tag == "iframe":
            self.found.append(f"<iframe {dict(attrs)}>")
        if tag == "script":
            self.in_script, self.script = True, ""

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
            if "alert(" in self.script:
                self.found.append(f"<script>{self.script[:60]}")

    def handle_data(self, data):
        if self.in_script:
            self.script += data


def poison(data: Path) -> None:
    quoted = PAYLOAD.replace('"', '""')
    # A short name is at most 100 characters (data contract): the two patterns that attack <title>.
    short = " ".join((HOSTILE["x1"], HOSTILE["x8"])).replace('"', '""')
    schools = (data / "schools.csv").read_text(encoding="utf-8")
    schools = schools.replace('"МБОУ «Первая школа»",Первая школа,Северное поселение',
                              f'"{quoted}","{short}","{quoted}"')
    (data / "schools.csv").write_text(schools, encoding="utf-8")
    mentorships = (data / "mentorships.csv").read_text(encoding="utf-8")
    (data / "mentorships.csv").write_text(mentorships.replace("стажировки", f'"{quoted}"'), encoding="utf-8")
    yaml_text = PAYLOAD.replace("\\", "\\\\").replace('"', '\\"')
    site = (data / "site.yml").read_text(encoding="utf-8")
    (data / "site.yml").write_text(site.replace("Все данные вымышлены.", f'"{yaml_text}"'), encoding="utf-8")
    for path in (data / "roadmaps" / "municipal.yml", data / "programmes" / "test-2022.yml", data / "indicators.yml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("Подписаны два договора.", f'"{yaml_text}"')
        text = text.replace("Повысить качество образования в школах с низкими результатами.", f'"{yaml_text}"')
        text = text.replace("Доля «двоек» на ВПР по математике", f'"{yaml_text}"')
        text = text.replace("Организационные мероприятия", f'"{yaml_text}"')
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(FIXTURE, data)
    poison(data)
    out = root / "site"
    build_site(data, out, progress=False)
    return out


def test_payload_reaches_pages_as_text(hostile_site):
    school_page = (hostile_site / "schools" / "6100000001" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in school_page  # shown, as text
    roadmap = (hostile_site / "roadmaps" / "municipal" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(" in roadmap


@pytest.fixture(scope="module")
def live_markup(hostile_site) -> list[tuple[str, str]]:
    found = []
    for page in hostile_site.rglob("*.html"):
        parser = Live()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(str(page.relative_to(hostile_site)), f) for f in parser.found]
    return found


def test_no_live_markup_in_any_page(live_markup):
    assert not live_markup, live_markup[:10]


@pytest.mark.parametrize("marker", sorted(HOSTILE))
def test_each_pattern_is_inert(hostile_site, live_markup, marker):
    """Per pattern: it reached the pages (as text) and nothing live carries its marker."""
    shown = (hostile_site / "schools" / "6100000001" / "index.html").read_text(encoding="utf-8")
    assert marker in shown
    assert not [f for f in live_markup if marker in f[1]], HOSTILE[marker]


def test_titles_hold_no_markup(hostile_site):
    import re

    for page in hostile_site.rglob("*.html"):
        for title in re.findall(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S):
            assert "<" not in title, (page, title)


def test_search_index_holds_text_only(hostile_site):
    index = (hostile_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>alert(" not in index and "onerror=alert" not in index.replace("\\u003c", "<").split("&lt;")[0]
