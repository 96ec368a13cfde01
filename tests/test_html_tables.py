"""Generated tables as HTML (render/html_tables.py), passed through by build/passthrough.py, and the
generator's own check of their links (build/link_check.py).

The oracles are independent of the code under test: MkDocs' own URL arithmetic
(mkdocs.utils.get_relative_url, File.url) and Python-Markdown's rendering of the same table."""
from __future__ import annotations

import markdown
import pytest
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from generator.build.link_check import broken_links, check_links, other_pages
from generator.errors import BuildFailed
from generator.render.html_tables import PASS_END, PASS_START, html_links, page_url, relative_url, tables_to_html

PATHS = ["index.md", "about.md", "schools/index.md", "schools/s1.md", "districts/north.md",
         "data/schools/s1.csv", "charts/schools/s1/ege.svg", "embed/s1/index.html", "a/b/c/index.md"]
EXTENSIONS = ["tables", "md_in_html", "attr_list", "toc", "generator.build.passthrough"]


@pytest.mark.parametrize("path", PATHS)
def test_page_url_is_mkdocs_url(path):
    assert page_url(path) == File(path, "/docs", "/site", use_directory_urls=True).url


@pytest.mark.parametrize("start", [page_url(p) for p in PATHS])
@pytest.mark.parametrize("target", [page_url(p) for p in PATHS])
def test_relative_url_is_mkdocs_arithmetic(target, start):
    assert relative_url(target, start) == get_relative_url(target, start)


def convert(text: str, extensions=EXTENSIONS) -> str:
    return markdown.Markdown(extensions=extensions).convert(text)


TABLE = """Текст до таблицы.

| Год | Значение | Итог |
| --- | --- | --- |
| 2024 | 97,6&nbsp;% | <span class="status-achieved">✓ достигнуто</span> |
| 2025 | **Эта школа** | скобки \\(так\\), черта \\| и звёздочка \\* |

Текст после."""


def test_a_table_passed_through_renders_as_python_markdown_renders_it():
    assert PASS_START in tables_to_html(TABLE, "schools/s1.md")
    expected = convert(TABLE, [e for e in EXTENSIONS if e != "generator.build.passthrough"])
    # cmark writes the no-break space as the character, Python-Markdown keeps the entity
    assert convert(tables_to_html(TABLE, "schools/s1.md")) == expected.replace("&nbsp;", "\u00a0")


def test_a_table_inside_an_md_in_html_block_passes_through():
    text = '<div class="school-summary" markdown>\n\n' + TABLE.split("\n\n")[1] + "\n\n</div>"
    html = convert(tables_to_html(text, "schools/s1.md"))
    assert html.startswith('<div class="school-summary">\n<table>') and "<td>2024</td>" in html
    assert PASS_START not in html and "\x02" not in html  # no marker, no unreplaced placeholder


def test_links_become_the_urls_mkdocs_would_write():
    text = ("| Школа | Данные |\n| --- | --- |\n"
            "| [Ш2](s2.md) | [CSV](../data/schools/s2.csv) |\n"
            "| [все](index.md) | [главная](../index.md#top) |\n"
            "| [якорь](#ege) | [сайт](https://s2.example.ru/x.md) |")
    html = tables_to_html(text, "schools/s1.md")
    for href in ('href="../s2/"', 'href="../../data/schools/s2.csv"', 'href="../"', 'href="../../#top"',
                 'href="#ege"', 'href="https://s2.example.ru/x.md"'):
        assert href in html, href
    assert html_links(html, "schools/s1.md") == [
        "schools/s2/", "data/schools/s2.csv", "schools/", "./#top", "schools/s1/#ege"]


def test_only_top_level_tables_outside_code_are_converted():
    fenced = "```\n| a | b |\n| --- | --- |\n| 1 | 2 |\n```"
    indented = "- список\n\n    | a | b |\n    | --- | --- |\n    | 1 | 2 |"
    not_a_table = "| просто текст с чертой |\nи дальше"
    for text in (fenced, indented, not_a_table):
        assert tables_to_html(text, "index.md") == text


def test_tables_kept_out_of_search_carry_materials_attribute():
    assert "<table data-search-exclude>" in tables_to_html(TABLE, "schools/index.md", searchable=False)
    assert "<table>" in tables_to_html(TABLE, "schools/index.md")


def test_an_unclosed_block_is_left_to_markdown():
    text = f"{PASS_START}\n<b>x</b>"
    assert "<b>x</b>" in convert(text)


def test_broken_links_and_anchors_are_named():
    pages = {
        "schools/s1.md": tables_to_html(
            "| a | b |\n| --- | --- |\n| [Ш2](s2.md) | [нет](s9.md) |\n| [якорь](#ege) | [чужой](s2.md#nope) |\n"
            "| [файл](../data/x.csv) | [есть](s2.md#ok) |", "schools/s1.md") + "\n### ЕГЭ { #ege }",
        "schools/s2.md": "### Всё хорошо { #ok }",
    }
    files = {"schools/s1.md", "schools/s2.md", "index.md"}
    links = {path: html_links(text, path) for path, text in pages.items()}
    problems = broken_links(links, files.__contains__, pages.__getitem__)
    assert problems == [
        "schools/s1.md: ссылка в таблице на «schools/s9/»: такой страницы или файла в сайте нет",
        "schools/s1.md: ссылка в таблице на «schools/s2/#nope»: на странице schools/s2.md нет якоря «nope»",
        "schools/s1.md: ссылка в таблице на «data/x.csv»: такой страницы или файла в сайте нет",
    ]
    assert other_pages("schools/s1.md", links["schools/s1.md"]) == (
        "schools/s2/", "schools/s9/", "schools/s2/#nope", "data/x.csv", "schools/s2/#ok")


def test_check_links_stops_the_build(tmp_path):
    (tmp_path / "schools").mkdir()
    page = tables_to_html("| a |\n| --- |\n| [Ш2](s2.md) |", "schools/s1.md")
    (tmp_path / "schools" / "s1.md").write_text(page, encoding="utf-8")
    with pytest.raises(BuildFailed, match="schools/s1.md: ссылка в таблице на «schools/s2/»"):
        check_links(tmp_path, {"schools/s1.md": page})
    (tmp_path / "schools" / "s2.md").write_text("# Ш2", encoding="utf-8")
    check_links(tmp_path, {"schools/s1.md": page})
    # a page reused from the cache: only its kept links are checked, against the files of this build
    with pytest.raises(BuildFailed, match="schools/s3.md: ссылка в таблице на «schools/s4/»"):
        check_links(tmp_path, {}, {"schools/s3.md": ("schools/s2/", "schools/s4/")})
