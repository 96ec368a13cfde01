"""Russian words that follow numbers and dates, from CLDR data through Babel.

A number decides the form of the noun after it (1 обращение, 2 обращения, 5 обращений, 1,5 балла)
by the CLDR plural category of the `ru` locale; «из N» takes the genitive (из 1 школы, из 4 школ).
A unit is either a symbol, shown as written («%», «чел.», «б.», «ОО»), or a word with its three forms
(`Word`). `Unit` is a `str` (its form for «many», or the symbol) that also carries the word, so the
rest of the code compares and prints units as the strings they always were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from babel import Locale
from babel.dates import format_date

RU = Locale.parse("ru")
_LOWER_CYRILLIC = re.compile(r"[а-яё]")


@lru_cache(maxsize=4096)
def _category(number: Decimal | int) -> str:
    return RU.plural_form(number)


def category(number: Decimal | int | Fraction | float) -> str:
    """CLDR plural category of `number` as shown: one, few, many or other (fractions: «1,5 балла»)."""
    if isinstance(number, Fraction):
        number = Decimal(number.numerator) / Decimal(number.denominator)
    elif isinstance(number, float):
        number = Decimal(str(number))
    if isinstance(number, Decimal) and number == number.to_integral_value():
        number = int(number)  # 5,0 is shown «5» (numbers.plain), so it is «5 баллов», not «5 балла»
    return _category(abs(number))


@dataclass(frozen=True)
class Word:
    """A noun in the three forms a number selects: 1 школа, 2 школы, 5 школ."""
    one: str
    few: str
    many: str

    def form(self, number: Decimal | int | Fraction | float) -> str:
        kind = category(number)
        # CLDR "other" is a fraction: the genitive singular, which is the few-form («1,5 балла»).
        return self.one if kind == "one" else self.many if kind == "many" else self.few

    def of(self, number: Decimal | int | Fraction | float) -> str:
        """The genitive after «из»: из 1 школы, из 21 школы, из 4 школ, из 5 школ."""
        return self.many if category(number) in ("few", "many") else self.few


class Unit(str):
    """A unit as the data writes it; `word` holds the forms when it is a word, None for a symbol."""

    word: Word | None

    def __new__(cls, text: str, word: Word | None = None) -> "Unit":
        self = super().__new__(cls, text)
        self.word = word
        return self

    def __reduce__(self):
        return (Unit, (str(self), self.word))

    def form(self, number: Decimal | int | Fraction | float) -> str:
        return self.word.form(number) if self.word is not None else str(self)


def _w(one: str, few: str, many: str) -> Word:
    return Word(one, few, many)


# Units departments write as a word in indicators and programmes, and the words the site's own
# sentences count. A word not listed here is declared with its forms: unit: {one, few, many}.
KNOWN_WORDS: tuple[Word, ...] = (
    _w("обращение", "обращения", "обращений"),
    _w("жалоба", "жалобы", "жалоб"),
    _w("мероприятие", "мероприятия", "мероприятий"),
    _w("договор", "договора", "договоров"),
    _w("соглашение", "соглашения", "соглашений"),
    _w("процент", "процента", "процентов"),
    _w("балл", "балла", "баллов"),
    _w("человек", "человека", "человек"),
    _w("ученик", "ученика", "учеников"),
    _w("обучающийся", "обучающихся", "обучающихся"),
    _w("педагог", "педагога", "педагогов"),
    _w("учитель", "учителя", "учителей"),
    _w("школа", "школы", "школ"),
    _w("организация", "организации", "организаций"),
    _w("семинар", "семинара", "семинаров"),
    _w("заседание", "заседания", "заседаний"),
    _w("консультация", "консультации", "консультаций"),
    _w("курс", "курса", "курсов"),
    _w("пункт", "пункта", "пунктов"),
    _w("раз", "раза", "раз"),
    _w("год", "года", "лет"),
    _w("день", "дня", "дней"),
    _w("ребёнок", "ребёнка", "детей"),
    _w("выпускник", "выпускника", "выпускников"),
    _w("единица", "единицы", "единиц"),
    _w("ставка", "ставки", "ставок"),
    _w("публикация", "публикации", "публикаций"),
    _w("отчёт", "отчёта", "отчётов"),
)


def _key(text: str) -> str:
    return text.strip().lower().replace("ё", "е")  # «отчетов» and «отчётов» are the same word


_BY_FORM: dict[str, Word] = {}
for _word in KNOWN_WORDS:
    for _text in (_word.many, _word.few, _word.one):
        _BY_FORM.setdefault(_key(_text), _word)


def known_word(text: str) -> Word | None:
    return _BY_FORM.get(_key(text))


def is_symbol(text: str) -> bool:
    """«%», «чел.», «п. п.», «ОО», «б.»: shown as written after any number."""
    stripped = text.strip()
    return not _LOWER_CYRILLIC.search(stripped) or stripped.endswith(".")


def unit(text: str, word: Word | None = None) -> Unit | None:
    """A unit from data: a symbol, a known word, or a word with its forms; None for an unknown word."""
    if word is not None:
        return Unit(word.many, word)
    if is_symbol(text):
        return Unit(text)
    found = known_word(text)
    return Unit(text, found) if found is not None else None


def form(unit_text: str, number: Decimal | int | Fraction | float) -> str:
    """The unit's form after `number`; plain strings are looked up among the known words."""
    if isinstance(unit_text, Unit):
        return unit_text.form(number)
    if not unit_text or is_symbol(unit_text):
        return unit_text
    found = known_word(unit_text)
    return found.form(number) if found is not None else unit_text


def russian_date(value: date) -> str:
    """«30 апреля 2021»: CLDR's genitive month names."""
    return format_date(value, format="d MMMM y", locale=RU)
