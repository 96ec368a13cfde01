"""Number + noun agreement in the demo site's Russian text: «2 обращения», «5 школ», «из 21 школы».

Every «number noun» pair in what a reader sees of the demo — the generated Markdown pages (chart alt
texts included), the embed pages, the chart SVGs and badges (tests/demo_build.py) — is checked against
the table NOUNS below, written by hand for this test (nothing is imported from generator/). The
expected form comes from the CLDR plural category of the number, by Babel:

    one  (1, 21, 101 …)             → nominative singular        «21 школа»
    few  (2–4, 22–24 …)             → genitive singular          «2 школы»
    many (0, 5–20, 25–30, 11–14 …)  → genitive plural            «5 школ», «11 школ»
    other (fractions: 1,5; 39,0)    → genitive singular          «1,5 балла», «39,0 балла»

After a preposition that takes the genitive («из», «для», «от», «до», «у», «более», «менее», «меньше» …)
the numeral itself is in the genitive: one and other → genitive singular («из 21 школы»), few and many
→ genitive plural («из 4 школ», «не менее 4 взаимопосещений»).

Numbers are written with a no-break space between thousands (1 000) and a decimal comma; the space
after the number may be plain or no-break. One adjective may stand between («10 обезличенных работ»).
Forms outside the table (other cases: «в 4 школах», «с 4 руководителями») are not checked, and
test_every_word_after_a_number_is_known makes sure a new noun after a number is not missed either.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pytest
from babel import Locale

import demo_build
from demo_build import line_of

PLURAL = Locale.parse("ru").plural_form

# (one, few, many): nominative singular, genitive singular, genitive plural.
NOUNS: list[tuple[str, str, str]] = [
    # schools and the programme
    ("школа", "школы", "школ"),
    ("школа-участница", "школы-участницы", "школ-участниц"),
    ("школа-участник", "школы-участника", "школ-участников"),
    ("школа-наставник", "школы-наставника", "школ-наставников"),
    ("участник", "участника", "участников"),
    ("пункт", "пункта", "пунктов"),
    ("мероприятие", "мероприятия", "мероприятий"),
    ("договор", "договора", "договоров"),
    ("обращение", "обращения", "обращений"),
    ("показатель", "показателя", "показателей"),
    ("значение", "значения", "значений"),
    ("программа", "программы", "программ"),
    ("пара", "пары", "пар"),
    ("группа", "группы", "групп"),
    ("взаимопосещение", "взаимопосещения", "взаимопосещений"),
    ("выступление", "выступления", "выступлений"),
    ("практика", "практики", "практик"),
    ("материал", "материала", "материалов"),
    ("вопрос", "вопроса", "вопросов"),
    ("карточка", "карточки", "карточек"),
    ("работа", "работы", "работ"),
    ("урок", "урока", "уроков"),
    ("занятие", "занятия", "занятий"),
    ("семинар", "семинара", "семинаров"),
    ("документ", "документа", "документов"),
    ("отчёт", "отчёта", "отчётов"),
    ("новость", "новости", "новостей"),
    ("страница", "страницы", "страниц"),
    ("график", "графика", "графиков"),
    ("файл", "файла", "файлов"),
    ("строка", "строки", "строк"),
    ("ошибка", "ошибки", "ошибок"),
    # people
    ("человек", "человека", "человек"),
    ("ученик", "ученика", "учеников"),
    ("учитель", "учителя", "учителей"),
    ("педагог", "педагога", "педагогов"),
    ("родитель", "родителя", "родителей"),
    ("выпускник", "выпускника", "выпускников"),
    ("руководитель", "руководителя", "руководителей"),
    ("наставник", "наставника", "наставников"),
    ("ребёнок", "ребёнка", "детей"),
    ("семья", "семьи", "семей"),
    # measures and time
    ("процент", "процента", "процентов"),
    ("балл", "балла", "баллов"),
    ("раз", "раза", "раз"),
    ("год", "года", "лет"),
    ("месяц", "месяца", "месяцев"),
    ("неделя", "недели", "недель"),
    ("день", "дня", "дней"),
    ("час", "часа", "часов"),
    ("минута", "минуты", "минут"),
    ("тысяча", "тысячи", "тысяч"),
    ("рубль", "рубля", "рублей"),
    # ordinals rather than counts: «11 класса», «4 квартал», «1 полугодие» (see ORDINAL)
    ("класс", "класса", "классов"),
    ("квартал", "квартала", "кварталов"),
    ("полугодие", "полугодия", "полугодий"),
]
# After a number these are almost always ordinals, in any form («выпускники 11 класса», «4 квартал»,
# «обучающихся 4 классов» = of the fourth grades), so they are known (not new nouns) but not checked.
ORDINAL = {"класс", "квартал", "полугодие"}
# «год» after a year is an ordinal too: «2025 год», «до 2021 года».
YEARS = range(1900, 2101)

# Words that follow a number on this site and are not counted by it (or not in a case the table
# holds). test_every_word_after_a_number_is_known fails on any other word, so that a new noun gets
# its forms in NOUNS.
NOT_COUNTED = {
    # dates: the genitive of the month after the day
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
    "ноября", "декабря",
    # abbreviations of units and addresses («п. п.», «г.», «гг.», «ед.», «им.»); all-capital ones are skipped
    "п", "г", "гг", "ед", "им", "кб", "мб", "чел",
    # prepositions and conjunctions: «4 из 4 школ», «8 и 9 классах», «5 или больше», «с 12 по 23 мая»
    "из", "и", "или", "по", "от", "до", "в", "на",
    # other cases of table nouns, not governed by the number («в 4 школах», «2021–2023 годы»)
    "школах", "классах", "классы", "годах", "годов", "годы", "году", "руководителями",
    # verbs and participles after a subject with a number («Лицей № 7 поделился»)
    "посетили", "направлена", "получили", "напомнил", "утверждена", "показала", "показали", "поделился",
    "рассказала", "предлагает", "сводит", "пройдёт", "сдали",
    # a noun left out after «из 4»: «Ещё у 2 из 4 изменение не публикуется»
    "изменение",
    # a substantivised participle: «меньше 5 ответивших» (genitive plural after every number)
    "ответивших",
}

GENITIVE_BEFORE = {"из", "для", "до", "от", "у", "без", "около", "после", "более", "менее", "свыше", "больше",
                   "меньше", "кроме", "среди", "вместо", "против", "с", "со", "ниже", "выше", "порядка"}

# «из 5 школ-участниц и 4 школ-наставников»: the second number is governed by the same «из».
COORDINATION = {"и", "или", "либо"}

FORMS: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
for _noun in NOUNS:
    for _form in set(_noun):
        FORMS[_form].append(_noun)

SPACE = "[ \u00a0\u202f]"
WORD = r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*"
# A number not glued to a word, a date, a code or a section number: not after a letter or digit, «.»,
# «/», «:», a hyphen, «№», nor after the comma of a decimal.
NUMBER = re.compile(
    r"(?<![\w./:\-№])(?<!\d,)(?<!№\s)(?P<number>\d{1,3}(?:[\u00a0\u202f]\d{3})+|\d+)(?:,(?P<fraction>\d+))?(?![\d/.:]\d)"
    rf"{SPACE}+(?P<word>{WORD})(?![\w-])(?:{SPACE}+(?P<next>{WORD})(?![\w-]))?")
ADJECTIVE = re.compile(r"[а-яё]+(?:ых|их|ые|ие|ый|ий|ой|ая|яя|ое|ее|ого|его|ую|юю)")
# The word before the number (or before the first number of a range «2–4»).
BEFORE = re.compile(rf"(?:^|[^\wА-Яа-яЁё])(?P<word>[А-Яа-яЁё]+){SPACE}+(?:\d+(?:,\d+)?{SPACE}*[–—-]{SPACE}*)?$")


@dataclass(frozen=True)
class Pair:
    file: str
    phrase: str       # «из 2 обращений», as written (spaces made plain)
    number: str       # as written, e.g. «1 000» or «1,5»
    noun: str         # the word checked (the noun, after an adjective when there is one)
    genitive: bool
    context: str


@dataclass(frozen=True)
class Mismatch:
    pair: Pair
    expected: str     # the whole expected phrase


def category(number: str) -> str:
    """CLDR plural category of a number as the site writes it («1 000», «1,5»)."""
    value = Decimal(re.sub(r"[\s\u00a0\u202f]", "", number).replace(",", "."))
    return PLURAL(abs(value))


def expected_form(noun: tuple[str, str, str], number: str, genitive: bool) -> str:
    one, few, many = noun
    cat = category(number)
    if genitive:
        return few if cat in ("one", "other") else many
    return {"one": one, "few": few, "many": many, "other": few}[cat]


def pairs(texts: dict[str, str]) -> list[Pair]:
    """Every «number word» of `texts` (file → text); `word` is the noun after one adjective, if any."""
    found: list[Pair] = []
    for name in sorted(texts):
        text = texts[name]
        last_end = 0
        for match in NUMBER.finditer(text):
            number = match.group("number") + (f",{match.group('fraction')}" if match.group("fraction") else "")
            word, end = match.group("word"), match.end("word")
            nxt = match.group("next")
            if word.lower() not in FORMS and ADJECTIVE.fullmatch(word.lower()) and nxt \
                    and (nxt.lower() in FORMS or (len(nxt) > 1 and nxt.isupper())):  # «4 межшкольных ПОС»
                word, end = nxt, match.end("next")
            before = BEFORE.search(text, max(0, match.start() - 40), match.start())
            preposition = before.group("word").lower() if before else ""
            genitive = preposition in GENITIVE_BEFORE
            if preposition in COORDINATION and found and found[-1].file == name and found[-1].genitive \
                    and not text[last_end:before.start("word")].strip():
                genitive = True  # «из 5 школ-участниц и 4 школ-наставников»
            start = before.start("word") if genitive else match.start()
            phrase = re.sub(r"[\u00a0\u202f ]+", " ", text[start:end])
            found.append(Pair(name, phrase, number, word, genitive, line_of(text, start, end)))
            last_end = end
    return found


def mismatches(texts: dict[str, str]) -> list[Mismatch]:
    wrong = []
    for pair in pairs(texts):
        form = pair.noun.lower()
        nouns = FORMS.get(form)
        if not nouns:
            continue
        if any(noun[0] in ORDINAL for noun in nouns):
            continue
        if any(noun[0] == "год" for noun in nouns) and "," not in pair.number and "\u00a0" not in pair.number \
                and int(pair.number) in YEARS:
            continue
        expected = [expected_form(noun, pair.number, pair.genitive) for noun in nouns]
        if form in expected:
            continue
        right = expected[0]
        if pair.noun[0].isupper():
            right = right[0].upper() + right[1:]
        wrong.append(Mismatch(pair, pair.phrase[: len(pair.phrase) - len(pair.noun)] + right))
    return wrong


def report(wrong: list[Mismatch], files_shown: int = 4) -> str:
    by_phrase: dict[tuple[str, str], list[Mismatch]] = defaultdict(list)
    for item in wrong:
        by_phrase[(item.pair.phrase, item.expected)].append(item)
    lines = [f"{len(wrong)} несогласованных «число + существительное» ({len(by_phrase)} разных):"]
    for (phrase, expected), items in sorted(by_phrase.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        per_file: dict[str, int] = defaultdict(int)
        for item in items:
            per_file[item.pair.file] += 1
        shown = ", ".join(f"{f} ×{n}" if n > 1 else f for f, n in list(per_file.items())[:files_shown])
        more = f" и ещё {len(per_file) - files_shown} файл(ов)" if len(per_file) > files_shown else ""
        lines.append(f"  «{phrase}» → «{expected}»: {len(items)} раз — {shown}{more}")
        lines.append(f"      например: {items[0].pair.context}")
    return "\n".join(lines)


def unknown_followers(texts: dict[str, str]) -> dict[str, Pair]:
    """Words after a number that are neither a form in NOUNS, nor in NOT_COUNTED, nor an abbreviation."""
    unknown: dict[str, Pair] = {}
    for pair in pairs(texts):
        word = pair.noun
        if word.lower() in FORMS or word.lower() in NOT_COUNTED or (len(word) > 1 and word.isupper()):
            continue
        unknown.setdefault(word.lower(), pair)
    return unknown


# --- the demo ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_texts() -> dict[str, str]:
    return demo_build.demo_texts()


def test_demo_numbers_agree_with_nouns(demo_texts):
    assert len(demo_texts) > 100, sorted(demo_texts)
    found = pairs(demo_texts)
    assert len(found) > 1000, len(found)  # the extraction works at all
    wrong = mismatches(demo_texts)
    assert not wrong, report(wrong)


def test_every_word_after_a_number_is_known(demo_texts):
    unknown = unknown_followers(demo_texts)
    assert not unknown, (
        "после числа стоят слова, которых нет ни в NOUNS, ни в NOT_COUNTED (tests/test_plural_agreement.py); "
        "существительному добавьте три формы, остальное — в NOT_COUNTED:\n"
        + "\n".join(f"  «{p.phrase}» — {p.file}: {p.context}" for p in unknown.values()))


def test_chart_alt_texts_and_embeds_are_checked(demo_texts):
    # the chart alt texts are in the Markdown image, the table of an embed page in its HTML
    files = {pair.file for pair in pairs(demo_texts)}
    assert any(f.startswith("embed/") for f in files), "нет ни одной пары «число слово» в окнах embed/"
    alt = [p for p in pairs(demo_texts) if p.file.startswith("indicators/") and "График «" in p.context]
    assert alt, "нет пар из описаний графиков"


# --- the checker on planted phrases ---------------------------------------------------------------

def check(phrase: str) -> list[str]:
    return [m.expected for m in mismatches({"planted.md": f"Итог: {phrase}."})]


@pytest.mark.parametrize("phrase, expected", [
    ("2 обращений", "2 обращения"),
    ("1 мероприятий", "1 мероприятие"),
    ("из 21 школ", "из 21 школы"),
    ("100 процент", "100 процентов"),
    ("5 школы", "5 школ"),
    ("2 балл", "2 балла"),
    ("1,5 баллов", "1,5 балла"),
    ("из 4 школы", "из 4 школ"),
    ("1\u00a0001 школ", "1 001 школа"),
    ("2\u00a0обращений", "2 обращения"),
    ("не менее 4 взаимопосещения", "менее 4 взаимопосещений"),
    ("22 ученик", "22 ученика"),
    ("5 год", "5 лет"),
    ("3 открытых уроков", "3 открытых урока"),
    ("21 человека", "21 человек"),
    ("из 5 школ и 4 школы", "и 4 школ"),
    ("5 школ и 2 школ", "2 школы"),
])
def test_wrong_phrases_are_reported(phrase, expected):
    assert check(phrase) == [expected]


@pytest.mark.parametrize("phrase", [
    "2 обращения", "0 обращений", "из 4 школ", "5 школ", "11 школ", "21 школа", "1,5 балла", "39,0 балла",
    "из 21 школы", "из 1,5 балла", "1\u00a0000 школ", "1\u00a0001 школа", "2\u00a0обращения", "12 пунктов",
    "22 пункта", "111 школ", "5 лет", "1 год", "3 года", "2 раза", "5 раз", "21 человек", "4 человека",
    "меньше 5 учеников", "не менее 4 взаимопосещений", "10 обезличенных работ", "3 открытых урока",
    "2025 год", "до 2021 года", "выпускников 11 класса", "учеников 4 классов", "4 квартал", "1 полугодие",
    "в 4 школах",
    "5 школ-участниц", "3 школы-участницы", "из 5 школ-участников", "2–4 школы", "5–10 школ",
    "1 мероприятие", "21 мероприятие", "−2 школы", "1 000 школ",
    "из 5 школ-участниц и 4 школ-наставников", "у 2 из 4 изменение не публикуется",
])
def test_right_phrases_pass(phrase):
    assert check(phrase) == []


def test_dates_codes_and_section_numbers_are_not_pairs():
    text = "Договор № 11/2025 от 4 февраля; 02.06.2021 школа; 3.2. Работа; ГИА-2025 школ; в 18:30 школа; № 2 школы"
    assert [p.phrase for p in pairs({"a.md": text})] == ["от 4 февраля"]


def test_report_names_file_phrase_and_expected_form():
    texts = {"indicators/complaints.md": "| Жалобы | 2\u00a0обращений | 2\u00a0обращений |",
             "embed/1/index.html": "Жалобы\t100 процент\t"}
    text = report(mismatches(texts))
    assert "«2 обращений» → «2 обращения»: 2 раз — indicators/complaints.md ×2" in text
    assert "«100 процент» → «100 процентов»: 1 раз — embed/1/index.html" in text
