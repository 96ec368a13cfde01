"""What the real programmes need beyond the demo: passport fields, criteria, risks, governance,
recommendations by audience, roadmap numbering that restarts per section, data from before the
programme, and each school's «500+» tab. Expected text is written here by hand from the inputs."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import shown, write_data
from generator.build.site import build_site
from generator.errors import DataErrors
from generator.load.validation import validate

PROGRAMME = textwrap.dedent("""\
    code: p
    title: Программа поддержки школ на 2021–2023 годы
    period: {start: 2020, end: 2023}
    title_period: {start: 2021, end: 2023}
    principles: [адресность]
    mechanism: [Механизм — через дорожные карты школ.]
    realisation_indicators: [доля ШНОР с положительной динамикой]
    criteria:
      - title: Доля педагогов, прошедших диагностику
        formula: "D = часть / целое × 100"
        threshold: не менее 75 %
        unit: "%"
    risks:
      - risk: Отток педагогов
        mitigation: Наставничество для молодых учителей
    governance:
      - body: Отдел образования
        functions: [координация, мониторинг]
    recommendations:
      - audience: parents
        items: [Посещать родительские собрания]
      - audience: teachers
        items: [Пройти курсы по формирующему оцениванию]
      - audience: other
        title: Психологической службе
    openness: [Публиковать анонсы и отчёты о мероприятиях]
    parts:
      - title: Нормативная база
        place: start
        items: [Федеральный закон № 273-ФЗ]
      - title: Анализ ситуации
        paragraphs: [Первый абзац., Второй абзац.]
    """)
ROADMAP = textwrap.dedent("""\
    code: r
    title: Дорожная карта
    programme: p
    sections:
      - code: "1"
        title: Первый раздел
        items:
          - {number: "1", title: Первое дело, deadline: август}
          - {number: "2", title: Второе дело, deadline: "до 30.04.2021", due: 2021-04-30}
      - code: "2"
        title: Второй раздел
        items:
          - {number: "1", title: Третье дело, deadline: постоянно, recurrence: continuous}
    """)
SCHOOLS = ("code,name,short_name,project_page,roadmap_url\n"
           "s1,Школа 1,Ш1,https://s1.example.ru/500plus/,https://s1.example.ru/500plus/roadmap.pdf\n"
           "s2,Школа 2,Ш2,,\ns3,Школа 3,Ш3,,\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fields")
    data = write_data(root / "data", {"programmes/p.yml": PROGRAMME, "roadmaps/r.yml": ROADMAP,
                                      "schools.csv": SCHOOLS})
    out = root / "out"
    build_site(data, out, with_mkdocs=False, progress=False)
    return out


def page(site: Path, name: str) -> str:
    """The page's text after its tables' rows (conftest.shown): tables are written as HTML."""
    return shown(site / name)


def test_programme_page_carries_every_new_field(site):
    text = page(site, "programmes/p.md")
    assert "| Сроки реализации | 2020–2023 (в названии программы: 2021–2023) |" in text
    assert "| Показатели (индикаторы) реализации | доля ШНОР с положительной динамикой |" in text
    assert "## Механизм реализации\n\nМеханизм — через дорожные карты школ." in text
    assert "## Принципы\n\n- адресность" in text
    assert "| Доля педагогов, прошедших диагностику | D = часть / целое × 100 | не менее 75 % | — |" in text
    assert "| Отток педагогов | Наставничество для молодых учителей |" in text
    assert "| Отдел образования | координация; мониторинг |" in text
    assert "### Родителям \\(законным представителям\\)\n\n- Посещать родительские собрания" in text
    assert "### Педагогам\n\n- Пройти курсы по формирующему оцениванию" in text
    assert "### Психологической службе\n\nДокумент называет этого адресата рекомендаций" in text
    assert "## Информационная открытость\n\n- Публиковать анонсы и отчёты о мероприятиях" in text
    assert "## Нормативная база\n\n- Федеральный закон № 273\\-ФЗ" in text
    assert "## Анализ ситуации\n\nПервый абзац.\n\nВторой абзац." in text
    assert text.index("## Нормативная база") < text.index("## Принципы") < text.index("## Анализ ситуации")


def test_recommendations_reach_their_audience_pages(site):
    forschools = page(site, "for-schools.md")
    assert "### Педагогам\n\n- Пройти курсы по формирующему оцениванию" in forschools
    assert "Посещать родительские собрания" not in forschools
    parents = page(site, "parents.md")
    assert "### Родителям \\(законным представителям\\)\n\n- Посещать родительские собрания" in parents
    assert "Пройти курсы" not in parents


def test_roadmap_numbering_that_restarts_is_section_dot_item(site):
    text = page(site, "roadmaps/r.md")
    for label, title in (("1.1", "Первое дело"), ("1.2", "Второе дело"), ("2.1", "Третье дело")):
        assert label in text and title in text
    assert "### 2.1. Третье дело { #item-2-1 }" in text  # the anchor is unique too


def test_restarting_numbers_need_section_codes(tmp_path):
    roadmap = ROADMAP.replace('code: "1"\n    ', "").replace('code: "2"\n    ', "")
    assert "code: \"1\"" not in roadmap
    data = write_data(tmp_path / "d", {"programmes/p.yml": PROGRAMME, "roadmaps/r.yml": roadmap})
    with pytest.raises(DataErrors) as err:
        validate(data)
    assert any(p.file == "roadmaps/r.yml" and "укажите код раздела" in p.message for p in err.value.problems)


def test_a_number_repeated_inside_one_section_is_still_refused(tmp_path):
    roadmap = ROADMAP.replace('{number: "2", title: Второе дело', '{number: "1", title: Второе дело')
    data = write_data(tmp_path / "d", {"programmes/p.yml": PROGRAMME, "roadmaps/r.yml": roadmap})
    with pytest.raises(DataErrors) as err:
        validate(data)
    assert any("повторяется в разделе" in p.message for p in err.value.problems)


def test_school_tabs_on_the_openness_page(site):
    text = page(site, "openness.md")
    assert ("| [Ш1](../schools/s1/) | [открыть](https://s1.example.ru/500plus/) | "
            "[открыть](https://s1.example.ru/500plus/roadmap.pdf) |") in text
    assert "| [Ш2](../schools/s2/) | нет сведений | нет сведений |" in text
    assert "https://s1.example.ru/500plus/" in page(site, "schools/s1.md")


def test_results_before_the_programme(tmp_path):
    results = "year,school,measure,value\n2018,s1,m,5\n"
    files = {"programmes/p.yml": PROGRAMME, "measures.csv": "code,title,unit\nm,Число,чел.\n",
             "results.csv": results}
    with pytest.raises(DataErrors) as err:  # 2018 is before the baseline year 2019
        validate(write_data(tmp_path / "a", files))
    assert any(p.file == "results.csv" and "results_since" in p.message for p in err.value.problems)
    site_yml = "municipality: Р\ndepartment: О\nbase_url: https://x.example.ru/\ncurrent_year: 2023\nresults_since: 2018\n"
    assert validate(write_data(tmp_path / "b", {**files, "site.yml": site_yml})).dataset.years[0] == 2018


def test_unknown_audience_is_refused(tmp_path):
    data = write_data(tmp_path / "d", {"programmes/p.yml": PROGRAMME.replace("audience: teachers", "audience: cats")})
    with pytest.raises(DataErrors) as err:
        validate(data)
    assert any(p.field.endswith("audience") and "ожидалось одно из" in p.message for p in err.value.problems)


def test_an_openness_obligation_is_not_due_before_it_begins(tmp_path):
    """Kargasok 1.3: «до декабря 2020, пополнение ежеквартальное», judged on the order's date in June."""
    from generator.compute.openness import obligations

    site_yml = ("municipality: Р\ndepartment: О\nbase_url: https://x.example.ru/\ncurrent_year: 2020\n"
                "as_of: 2020-06-25\n")
    roadmap = textwrap.dedent("""\
        code: r
        title: Дорожная карта
        approved: {by: Отдел, number: "381", date: 2020-06-25}
        sections:
          - title: Раздел
            items:
              - {number: "1", title: Раздел на сайте, deadline: "До декабря 2020 Пополнение ежеквартальное",
                 period: {start: 2020-10-01, end: 2024-12-31}, recurrence: quarterly, openness: true,
                 fulfilled_in: news}
              - {number: "2", title: Карта на сайте, deadline: постоянно, recurrence: continuous,
                 openness: true, fulfilled_in: roadmaps}
        """)
    statuses = "year,school,status\n2020,s1,ШНОР\n"
    dataset = validate(write_data(tmp_path / "d", {"site.yml": site_yml, "roadmaps/r.yml": roadmap,
                                                   "statuses.csv": statuses})).dataset
    first, second = obligations(dataset)
    assert not first.due  # begins in October
    assert second.updated is not None and second.updated.isoformat() == "2020-06-25" and not second.due


def test_a_city_is_not_called_a_district(tmp_path):
    site_yml = "municipality: Город Энск\nkind: город\ndepartment: О\nbase_url: https://x.example.ru/\ncurrent_year: 2023\n"
    indicators = ("- {code: share, title: Доля, unit: \"%\", numerator: n, denominator: d, better: higher}\n")
    results = "year,school,measure,value\n2023,s1,n,3\n2023,s1,d,10\n2023,s2,n,4\n2023,s2,d,10\n"
    data = write_data(tmp_path / "d", {"site.yml": site_yml, "indicators.yml": indicators, "results.csv": results,
                                       "measures.csv": "code,title,unit\nn,Сдали,чел.\nd,Всего,чел.\n"})
    out = tmp_path / "out"
    build_site(data, out, with_mkdocs=False, progress=False)
    indicator = shown(out / "indicators" / "share.md")
    assert "## Динамика по городу" in indicator and "| Все школы города |" in indicator
    assert "района" not in indicator and "району" not in indicator
    assert "Все школы города" in (out / "charts" / "schools" / "s1" / "share.svg").read_text(encoding="utf-8")
    bad = write_data(tmp_path / "e", {"site.yml": site_yml.replace("kind: город", "kind: село")})
    with pytest.raises(DataErrors) as err:
        validate(bad)
    assert any(p.field == "kind" for p in err.value.problems)


def test_a_paragraph_numbered_in_the_document_keeps_its_number():
    """«2. Направление …» as a Markdown paragraph would become a list renumbered from 1."""
    import markdown

    from generator.render.markdown_text import text

    html = markdown.markdown("\n\n".join(text(p) for p in ("1. Первое", "2. Второе", "3. Третье")))
    assert [m for m in ("1.", "2.", "3.") if f"<p>{m} " in html] == ["1.", "2.", "3."]
    assert "<ol>" not in html


def test_programme_openness_is_on_the_openness_page(site):
    text = page(site, "openness.md")
    assert "## Что о публикации сведений сказано в программах" in text
    assert "- Публиковать анонсы и отчёты о мероприятиях" in text
