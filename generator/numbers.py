"""Exact arithmetic for published figures: parsing, half-up rounding, formatting."""
from __future__ import annotations

import re
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from babel.numbers import parse_pattern

from generator.russian import RU, form

_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
MAX_INTEGER_DIGITS = 12


class NumberError(ValueError):
    """Carries a Russian description of what was wrong."""


# Results repeat the same few hundred figures hundreds of thousands of times; Decimal is immutable.
@lru_cache(maxsize=65536)
def parse_number(text: str) -> Decimal:
    """Parse '75,5', '75.5', '1 234' exactly. Negative numbers parse; callers decide."""
    cleaned = _SPACES.sub("", text)
    if not _NUMBER.match(cleaned):
        raise NumberError(f"ожидалось число (например 75 или 75,5), найдено «{text[:40]}»")
    integer_part = cleaned.lstrip("-").replace(",", ".").split(".")[0]
    if len(integer_part.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise NumberError(f"слишком большое число «{text[:40]}»: допустимо не более {MAX_INTEGER_DIGITS} цифр до запятой")
    return Decimal(cleaned.replace(",", "."))


def to_fraction(value: Decimal | int | Fraction) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):  # exact, and ~4x faster than Fraction(Decimal)
        return Fraction(*value.as_integer_ratio())
    return Fraction(value)


def round_half_up(value: Fraction, places: int = 1) -> Decimal:
    """Round an exact value half away from zero: 37/80*100 = 46.25 -> 46.3."""
    quantum = Decimal(1).scaleb(-places)
    # Decimal division of numerator by denominator with enough precision is exact
    # for the half-way test because we first scale to an integer problem.
    scaled = value * 10**places
    q, r = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * r >= scaled.denominator:
        q += 1
    sign = -1 if scaled < 0 else 1
    return (Decimal(sign * q) * quantum).quantize(quantum)


def plain(value: Decimal | None) -> str:
    """Machine format for open data: '.' decimal, no exponent, no trailing zeros."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value.normalize(), "f")
    return text


def share(numerator: Decimal | int, denominator: Decimal | int) -> Fraction:
    """100 · numerator / denominator, exactly."""
    a, b = Decimal(numerator).as_integer_ratio()
    c, d = Decimal(denominator).as_integer_ratio()
    return Fraction(100 * a * d, b * c)


# Exact digits (no rounding by Babel: values are rounded before they are shown), CLDR's grouping
# (a no-break space in `ru`) and decimal comma.
_PATTERN = parse_pattern("#,##0.##########")


@lru_cache(maxsize=65536)
def _ru_digits(value: Decimal) -> str:
    text = _PATTERN.apply(value, RU)
    return "−" + text[1:] if text.startswith("-") else text  # the typographic minus


def ru(value: Decimal | None, unit: str = "") -> str:
    """Russian display format: '75,5 %', '1 234 чел.', '2 обращения' (no-break spaces; a unit word
    takes the form its number selects, see generator/russian.py)."""
    if value is None:
        return "—"
    body = _ru_digits(value.normalize() if value != value.to_integral_value() else value.quantize(Decimal(1)))
    if unit:
        return f"{body}\u00a0{form(unit, value)}"
    return body


def signed_ru(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = ru(value, unit)
    return "+" + text if value > 0 else text


def ru_figure(value: float | int | Decimal, unit: str = "") -> str:
    """A drawn figure (chart tick or point) in the display format of `ru`, rounded half-up to one
    decimal: 75.5 → '75,5 %', 1234.5 → '1 234,5 чел.', 75.0 → '75 %', −0.04 → '0'."""
    if isinstance(value, bool):
        raise TypeError("ожидалось число, найдено логическое значение")
    # str() of a float is its shortest repr: 0.05 -> "0.05", so half-up works as a person expects.
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"ожидалось конечное число, найдено {value!r}")
    with localcontext() as ctx:
        ctx.prec = 80
        rounded = number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if rounded == 0:
            rounded = Decimal(0)  # no "−0": a figure that rounds to zero is shown as 0
    return ru(rounded, unit)
