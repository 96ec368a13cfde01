from decimal import Decimal
from fractions import Fraction

import pytest

from generator.numbers import NumberError, parse_number, plain, round_half_up, ru, share


@pytest.mark.parametrize("num,den,expected", [
    (37, 80, "46.3"),   # 46.25 exactly: half-up gives 46.3 (banker's rounding would give 46.2)
    (1, 3, "33.3"),
    (2, 3, "66.7"),
    (1, 8, "12.5"),     # 12.5 exactly, one decimal already
    (1, 16, "6.3"),     # 6.25 -> 6.3
    (0, 7, "0.0"),
    (7, 7, "100.0"),
])
def test_share_rounding_half_up(num, den, expected):
    assert str(round_half_up(share(num, den))) == expected


def test_negative_half_rounds_away_from_zero():
    assert round_half_up(Fraction(-1, 20)) == Decimal("-0.1")
    assert round_half_up(Fraction(-1, 30)) == 0
    assert round_half_up(Fraction(-3, 20)) == Decimal("-0.2")  # -0.15 -> -0.2


@pytest.mark.parametrize("text,expected", [("75,5", "75.5"), ("75.5", "75.5"), ("1 234", "1234"),
                                           ("1\u00a0234,50", "1234.5"), ("0", "0"), ("007", "7")])
def test_parse_number_accepts_both_decimal_marks(text, expected):
    assert plain(parse_number(text)) == expected


@pytest.mark.parametrize("text", ["1e5", "abc", "1,2,3", "", "75 %", "NaN", "9" * 13])
def test_parse_number_refuses(text):
    with pytest.raises(NumberError):
        parse_number(text)


def test_russian_format():
    assert ru(Decimal("1234.5"), "%") == "1\u00a0234,5\u00a0%"
    assert ru(Decimal("80"), "%") == "80\u00a0%"
    assert ru(None) == "—"
