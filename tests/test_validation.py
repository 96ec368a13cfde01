"""Every validation rule: file, line, field and a Russian message."""
import pytest

from generator.errors import DataErrors
from generator.load.validation import validate

INDICATOR = """\
- code: pass
  title: Сдали
  unit: "%"
  numerator: passed
  denominator: sat
  better: higher
  rule: {min: 50}
"""


def problems(data_dir):
    with pytest.raises(DataErrors) as info:
        validate(data_dir)
    return [(p.file, p.line, p.field, p.message) for p in info.value.problems]


def has(found, file, line, field, words):
    return any(f == file and l == line and fld == field and words in m for f, l, fld, m in found)


def test_valid_minimal_directory(make_data):
    ds = validate(make_data()).dataset
    assert [s.code for s in ds.schools] == ["s1", "s2", "s3"]
    assert ds.participants(2023) == {"s1", "s2"}




def test_required_file_missing(tmp_path):
    (tmp_path / "site.yml").write_text("municipality: X\n", encoding="utf-8")
    found = problems(tmp_path)
    assert has(found, "schools.csv", 0, "", "обязательный файл отсутствует")
    assert has(found, "statuses.csv", 0, "", "обязательный файл отсутствует")
    assert has(found, "site.yml", 1, "department", "обязательное поле")


def test_unknown_and_missing_columns(make_data):
    found = problems(make_data({"schools.csv": "code,name,colour\ns1,Школа,red\n"}))
    assert has(found, "schools.csv", 1, "colour", "неизвестный столбец")
    assert has(found, "schools.csv", 1, "short_name", "нет обязательного столбца")


def test_duplicated_header(make_data):
    found = problems(make_data({"schools.csv": "code,name,short_name,name\ns1,a,b,c\n"}))
    assert has(found, "schools.csv", 1, "name", "повторяется в заголовке")


def test_duplicate_school_code(make_data):
    found = problems(make_data({"schools.csv": "code,name,short_name\ns1,A,A\ns2,B,B\ns1,C,C\n"}))
    assert has(found, "schools.csv", 4, "code", "повторяется (уже есть в строке 2)")


def test_wrong_types_and_unknown_references(make_data):
    found = problems(make_data({
        "statuses.csv": "year,school,status\n20x3,s1,ШНОР\n2023,s9,ШНОР\n2023,s1,отличник\n",
        "indicators.yml": INDICATOR,
        "results.csv": "year,school,measure,value\n2023,s1,passed,abc\n2023,s1,nosuch,1\n2023,s7,sat,3\n",
    }))
    assert has(found, "statuses.csv", 2, "year", "ожидался год")
    assert has(found, "statuses.csv", 3, "school", "«s9» не найдена")
    assert has(found, "statuses.csv", 4, "status", "ожидалось одно из")
    assert has(found, "results.csv", 2, "value", "ожидалось число")
    assert has(found, "results.csv", 3, "measure", "неизвестный код показателя «nosuch»")
    assert has(found, "results.csv", 4, "school", "«s7» не найдена")


def test_duplicate_result_key_and_negative_value(make_data):
    found = problems(make_data({
        "indicators.yml": INDICATOR,
        "results.csv": "year,school,measure,value\n2023,s1,sat,10\n2023,s1,sat,11\n2023,s2,sat,-1\n",
    }))
    assert has(found, "results.csv", 3, "measure", "уже есть в строке 2")
    assert has(found, "results.csv", 4, "value", "неотрицательное")


def test_numerator_greater_than_denominator(make_data):
    found = problems(make_data({
        "indicators.yml": INDICATOR,
        "results.csv": "year,school,measure,value\n2023,s1,sat,10\n2023,s1,passed,11\n",
    }))
    assert has(found, "results.csv", 3, "value", "больше знаменателя")


def test_unknown_indicator_reference_in_programme(make_data):
    found = problems(make_data({
        "indicators.yml": INDICATOR,
        "programmes/p.yml": """\
            code: p
            title: Программа
            period: {start: 2022, end: 2023}
            targets:
              - indicator: nosuch
                scope: participants
                plan: {2022: 10}
            """,
    }))
    assert has(found, "programmes/p.yml", 5, "targets.indicator", "неизвестный показатель «nosuch»")


def test_years_outside_programme_period(make_data):
    found = problems(make_data({
        "statuses.csv": "year,school,status\n2019,s1,ШНОР\n2023,s1,ШНОР\n",
        "programmes/p.yml": "code: p\ntitle: П\nperiod: {start: 2022, end: 2024}\n",
    }))
    # 2021 is allowed as the baseline year, 2019 is not
    assert has(found, "statuses.csv", 2, "year", "вне периода программ")


def test_year_after_current_year(make_data):
    found = problems(make_data({"statuses.csv": "year,school,status\n2024,s1,ШНОР\n"}))
    assert has(found, "statuses.csv", 2, "year", "позже текущего отчётного года")


def test_unparseable_dates(make_data):
    found = problems(make_data({
        "mentorships.csv": "year,mentor,mentee,agreement,agreement_date,forms\n2023,s3,s1,5,31.02.2023,\n",
        "roadmaps/r.yml": """\
            code: r
            title: Карта
            sections:
              - title: Раздел
                items:
                  - number: "1"
                    title: Пункт
                    due: завтра
            """,
    }))
    assert has(found, "mentorships.csv", 2, "agreement_date", "ожидалась дата")
    assert has(found, "roadmaps/r.yml", 8, "sections[1].items[1].due", "ожидалась дата")


def test_yaml_syntax_error_with_line(make_data):
    found = problems(make_data({"site.yml": "municipality: X\ndepartment: [unclosed\nbase_url: x\n"}))
    assert any(f == "site.yml" and l in (2, 3, 4) and "ошибка в записи YAML" in m for f, l, _, m in found)


@pytest.mark.parametrize("text, line, cause", [
    # the usual causes, each explained in Russian with the fix (PyYAML's own words only in brackets)
    ("municipality: X\ntitle: Программа: поддержка школ\n", 2, "двоеточие с пробелом после него — возьмите значение в кавычки"),
    ("municipality: X\ndepartment: {by: A, b\n", 3, "фигурн"),
    ("municipality: X\ndepartment:\n\tx: 1\n", 3, "табуляция в начале строки"),
    ('municipality: "X\ndepartment: Y\n', 3, "кавычка открыта и не закрыта"),
    ('municipality: "Проект "500+""\n', 1, "замените их на «ёлочки»"),
])
def test_yaml_syntax_errors_say_the_cause(make_data, text, line, cause):
    found = problems(make_data({"site.yml": text}))
    assert any(f == "site.yml" and l == line and cause in m for f, l, _, m in found), found


def test_comma_inside_a_flow_mapping_is_explained(make_data):
    """`{by: Отдел образования, опеки и попечительства, …}` parses, but the comma started a new key."""
    roadmap = ("code: r\ntitle: Карта\napproved: {by: Отдел образования, опеки и попечительства, number: \"381\"}\n"
               "sections:\n  - title: Раздел\n    items:\n      - {number: \"1\", title: Пункт}\n")
    found = problems(make_data({"roadmaps/r.yml": roadmap}))
    assert has(found, "roadmaps/r.yml", 3, "approved.опеки и попечительства", "возьмите значение в кавычки")


def test_yaml_anchor_refused(make_data):
    found = problems(make_data({"indicators.yml": "- &a {code: x}\n- *a\n"}))
    assert has(found, "indicators.yml", 1, "", "якоря")


def test_undecodable_file_is_one_clear_error(make_data):
    d = make_data()
    (d / "site.yml").write_bytes(b"municipality: \xff\xfe\x00\x01")
    found = problems(d)
    assert [x for x in found if x[0] == "site.yml"] == [
        ("site.yml", 1, "", "файл не в кодировке UTF-8: сохраните его как UTF-8")]


def test_binary_csv(make_data):
    d = make_data()
    (d / "schools.csv").write_bytes(b"code,name\x00\x01\x02")
    found = problems(d)
    assert has(found, "schools.csv", 1, "", "двоичные данные")


def test_unknown_yaml_key(make_data):
    found = problems(make_data({"site.yml": "municipality: X\ndepartment: Y\nbase_url: https://x/\ncurrent_year: 2023\ncolour: red\n"}))
    assert has(found, "site.yml", 5, "colour", "неизвестное поле")


def test_row_with_wrong_number_of_fields(make_data):
    found = problems(make_data({"schools.csv": "code,name,short_name\ns1,A\n"}))
    assert has(found, "schools.csv", 2, "", "ожидалось столбцов: 3")


def test_all_problems_reported_at_once(make_data):
    found = problems(make_data({
        "schools.csv": "code,name,short_name\ns1,A,A\ns1,B,B\n",
        "statuses.csv": "year,school,status\n2023,s9,ШНОР\n",
    }))
    assert has(found, "schools.csv", 3, "code", "повторяется")
    assert has(found, "statuses.csv", 2, "school", "не найдена")


def test_unsafe_links_refused(make_data):
    found = problems(make_data({"schools.csv": "code,name,short_name,website\ns1,A,A,javascript:alert(1)\n"}))
    assert has(found, "schools.csv", 2, "website", "ожидался адрес сайта")
