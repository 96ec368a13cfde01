"""The verdict per indicator (generator/render/verdicts.py): status × direction of change, and the
table parents read on «Как читать показатели» is the code's table."""
from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from generator.compute.indicators import IndicatorValue
from generator.model import Indicator, Target
from generator.render.verdicts import SUMMARY, VERDICTS, direction, summary, verdict

REPO = Path(__file__).resolve().parent.parent


def indicator(better: str = "higher", kind: str = "share") -> Indicator:
    return Indicator(code="x", title="X", group="g", unit="%", numerator="a", denominator="b", better=better,
                     target=Target(None), kind=kind)


def value(exact: str | None, change: str | None, status: str, suppressed: bool = False,
          secondary: bool = False) -> IndicatorValue:
    return IndicatorValue(year=2024, scope="school", school="s", indicator="x", numerator=None, denominator=None,
                          exact=None if exact is None else Fraction(exact),
                          exact_change=None if change is None else Fraction(change),
                          target=Decimal(75), status=status, suppressed=suppressed, secondary=secondary)


@pytest.mark.parametrize("change, better, expected", [
    (Decimal("2.5"), "higher", "better"), (Decimal("-2.5"), "higher", "worse"),
    (Decimal("-0.1"), "lower", "better"), (Decimal("3"), "lower", "worse"),
    (Decimal("0"), "higher", "same"), (Decimal("0"), "lower", "same"),
    (None, "higher", "unknown"), (Decimal("4"), "", "unknown"),
])
def test_direction_follows_better(change, better, expected):
    assert direction(change, better) == expected


@pytest.mark.parametrize("exact, change, status, better, words, symbol, tone", [
    ("80", "5", "achieved", "higher", "цель достигнута, улучшается", "✓ ↗", "good"),
    ("80", "-5", "achieved", "higher", "цель достигнута, ухудшается", "✓ ↘", "mixed"),
    ("70", "5", "not_achieved", "higher", "цель не достигнута, улучшается", "✗ ↗", "mixed"),
    ("70", "0", "not_achieved", "higher", "цель не достигнута, без изменений", "✗ →", "bad"),
    # Lower is better: a share of «2» that fell 3 points improved.
    ("12", "-3", "not_achieved", "lower", "цель не достигнута, улучшается", "✗ ↗", "mixed"),
    ("80", None, "achieved", "higher", "цель достигнута", "✓", "good"),
    ("40", "7", "no_target", "higher", "цель не задана, улучшается", "· ↗", "neutral"),
    ("40", "7", "no_target", "", "цель не задана", "·", "neutral"),
])
def test_verdict_words_symbol_and_tone(exact, change, status, better, words, symbol, tone):
    v = verdict(value(exact, change, status), indicator(better), 5)
    assert (v.words, v.symbol, v.tone) == (words, symbol, tone)


def test_hidden_and_missing_values_have_no_direction():
    hidden = value("80", "5", "achieved", suppressed=True)
    assert verdict(hidden, indicator(), 5).words == "скрыто для защиты данных детей"
    assert verdict(None, indicator(), 5).words == "нет данных"
    assert verdict(value(None, None, "no_data"), indicator(), 5).words == "нет данных"
    # A small count of children already reads «менее 5 чел.»; one hidden to protect another may be
    # large and is only «скрыто».
    children = indicator(kind="children")
    assert verdict(value("3", None, "no_target", suppressed=True), children, 5).words == "скрыто: меньше 5 детей"
    assert verdict(value("30", None, "no_target", suppressed=True, secondary=True), children, 5).words \
        == "скрыто для защиты данных детей"


def test_a_change_rounded_to_zero_but_exact_nonzero_keeps_its_sign():
    # exact change 1/30 of a point: the published change keeps its sign (0,03), so «улучшается».
    v = verdict(value("80", "1/30", "achieved"), indicator(), 5)
    assert v.words == "цель достигнута, улучшается"


def test_summary_counts_in_fixed_order():
    assert summary(["suppressed", "achieved", "not_achieved", "achieved", "suppressed", "achieved"]) \
        == "цель достигнута — 3, не достигнута — 1, скрыто — 2"
    assert summary([]) == "—"
    assert [code for code, _ in SUMMARY] == ["achieved", "not_achieved", "no_target", "suppressed", "no_data"]


def test_how_to_read_prints_the_code_table():
    text = (REPO / "content" / "how-to-read.md").read_text(encoding="utf-8")
    section = text.split("## Итог по показателю", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([^|]+?) \| [^|]+ \|$", section, re.M)[1:]  # without the header
    printed = [r for r in rows if not r.startswith("---")]
    expected = []
    for (status, way), (symbol, words, _tone) in VERDICTS.items():
        arrow = {"better": " ↗", "worse": " ↘", "same": " →"}.get(way, "")
        expected.append(f"{symbol}{arrow} {words}")
    assert printed == expected
