"""One plain verdict per indicator: the status against the target combined with the direction of
the change, in words, with a symbol and a colour class (never colour alone).

`VERDICTS` is the one table of the rules; docs/data-contract.md («Итог по показателю») and the page
«Как читать показатели» print the same table. The direction is read from the *published* change
(rounded so that it keeps its sign, compute/indicators.py), so a verdict never contradicts the
change printed beside it, and a hidden change gives no direction.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.compute.indicators import IndicatorValue
from generator.model import Indicator


@dataclass(frozen=True)
class Verdict:
    code: str  # "<status>" or "<status>-<direction>": the CSS class is verdict-<tone>
    symbol: str
    words: str
    tone: str  # good | mixed | bad | neutral: the colour, always beside the words and the symbol


# Directions of a change, judged by the indicator's `better`.
UP, DOWN, SAME, UNKNOWN = "better", "worse", "same", "unknown"
DIRECTION_WORDS = {UP: ("↗", "улучшается"), DOWN: ("↘", "ухудшается"), SAME: ("→", "без изменений")}

# (status, direction) → (symbol, words, tone). Direction UNKNOWN: the status alone.
VERDICTS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("achieved", UP): ("✓", "цель достигнута, улучшается", "good"),
    ("achieved", SAME): ("✓", "цель достигнута, без изменений", "good"),
    ("achieved", DOWN): ("✓", "цель достигнута, ухудшается", "mixed"),
    ("achieved", UNKNOWN): ("✓", "цель достигнута", "good"),
    ("not_achieved", UP): ("✗", "цель не достигнута, улучшается", "mixed"),
    ("not_achieved", SAME): ("✗", "цель не достигнута, без изменений", "bad"),
    ("not_achieved", DOWN): ("✗", "цель не достигнута, ухудшается", "bad"),
    ("not_achieved", UNKNOWN): ("✗", "цель не достигнута", "bad"),
    ("no_target", UP): ("·", "цель не задана, улучшается", "neutral"),
    ("no_target", SAME): ("·", "цель не задана, без изменений", "neutral"),
    ("no_target", DOWN): ("·", "цель не задана, ухудшается", "neutral"),
    ("no_target", UNKNOWN): ("·", "цель не задана", "neutral"),
    ("suppressed", UNKNOWN): ("○", "скрыто для защиты данных детей", "neutral"),
    ("no_data", UNKNOWN): ("—", "нет данных", "neutral"),
}
# The lists count a school's verdicts by status, in this order and these words.
SUMMARY = (("achieved", "цель достигнута"), ("not_achieved", "не достигнута"),
           ("no_target", "цель не задана"), ("suppressed", "скрыто"), ("no_data", "нет данных"))


def direction(change: Decimal | None, better: str) -> str:
    """Whether a published change is an improvement; no change or no `better` gives no direction."""
    if change is None or better not in ("higher", "lower"):
        return UNKNOWN
    if change == 0:
        return SAME
    return UP if (change > 0) == (better == "higher") else DOWN


def status_of(v: IndicatorValue | None) -> str:
    if v is None:
        return "no_data"
    if v.suppressed:
        return "suppressed"
    if v.value is None:
        return "no_data"
    return v.status


def verdict(v: IndicatorValue | None, indicator: Indicator, min_group: int) -> Verdict:
    status = status_of(v)
    way = UNKNOWN if status in ("suppressed", "no_data") or v is None else direction(v.change, indicator.better)
    symbol, words, tone = VERDICTS[(status, way)]
    if status == "suppressed" and indicator.kind == "children" and not v.secondary:  # type: ignore[union-attr]
        # A primary small count already reads «менее 5 чел.» (render/figures.py): no secret.
        words = f"скрыто: меньше {min_group} детей"
    if way != UNKNOWN:
        symbol = f"{symbol} {DIRECTION_WORDS[way][0]}"
    return Verdict(status if way == UNKNOWN else f"{status}-{way}", symbol, words, tone)


def summary(statuses: list[str]) -> str:
    """«цель достигнута — 3, не достигнута — 2, скрыто — 4»: the non-zero counts, in a fixed order."""
    parts = [f"{words} — {statuses.count(code)}" for code, words in SUMMARY if code in statuses]
    return ", ".join(parts) if parts else "—"
