"""How one computed value reads on a page, by the indicator's kind: «75 %», «3 из 4 школ, 75 %»,
«менее 5 чел.», «скрыто», «нет данных о числе участников», its change and its target.

The templates call these through the `figures` global (render/pages.py), so a page, the embed and
the badge word a value the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.compute.indicators import IndicatorValue
from generator.model import Goal, Indicator
from generator.numbers import ru, signed_ru
from generator.russian import Word


@dataclass(frozen=True)
class Figures:
    min_group: int

    def hidden(self, v: IndicatorValue, indicator: Indicator) -> str:
        """Why a value is not shown, in the words a parent reads."""
        if indicator.kind == "mean" and v.denominator is None:
            return "нет данных о числе участников"
        if indicator.kind == "children" and not v.secondary:
            # A primary small count is «fewer than N»: that much is no secret. A count hidden only to
            # protect another one may be large, so it is just «скрыто».
            return f"менее {ru(Decimal(self.min_group), indicator.unit)}"
        return "скрыто"

    def value(self, v: IndicatorValue | None, indicator: Indicator) -> str:
        if not indicator.summable and getattr(v, "scope", "") in ("participants", "all"):
            return "не считается"  # a given relative score or index does not add up over schools
        if v is None:
            return "—"
        if v.suppressed:
            return self.hidden(v, indicator)
        if v.value is None:
            return "—"
        shown = ru(v.value, indicator.unit)
        if indicator.kind == "share_of" and indicator.counted is not None and v.numerator is not None \
                and v.denominator is not None:
            return f"{ru(v.numerator)} из {ru(v.denominator)} {indicator.counted.of(v.denominator)}, {shown}"
        return shown

    def change(self, v: IndicatorValue | None, indicator: Indicator) -> str:
        if v is None or v.change is None:
            return "—"
        return signed_ru(v.change, "п. п." if indicator.unit == "%" else indicator.unit)

    def target(self, v: IndicatorValue | None, indicator: Indicator, year: int | None = None) -> str:
        """«75 %», «25–30 %» (a range, achieved from its lower bound), «18,6 % (× 1,3 к 2019)»."""
        goal = indicator.target.goal(year) if year is not None else None
        unit = indicator.unit
        if isinstance(goal, Goal):
            if goal.factor is None:
                return f"{ru(goal.low)}–{ru(goal.high, unit)}"
            sign = "÷" if indicator.better == "lower" else "×"
            formula = f"{sign} {ru(goal.factor)} к {indicator.baseline.year}" if indicator.baseline else f"{sign} {ru(goal.factor)}"
            if v is None or v.target is None:
                return f"{formula} (нет значения базового года)"
            return f"{ru(v.target, unit)} ({formula})"
        if v is not None and v.target is not None:
            return ru(v.target, unit)
        if isinstance(goal, Decimal):
            return ru(goal, unit)
        rule = indicator.target.rule
        if rule is not None and rule.kind == "dynamics":
            return "рост" if rule.direction == "positive" else "снижение"
        return "—"

    def goal_text(self, indicator: Indicator) -> str:
        """The indicator's target in words, with the formula of a computed one."""
        rule, unit = indicator.target.rule, indicator.unit
        parts = []
        if rule is not None:
            if rule.kind == "dynamics":
                parts.append("положительная динамика (рост к прошлому году)" if rule.direction == "positive"
                             else "снижение к прошлому году")
            elif rule.kind in ("min", "max", "equals"):
                parts.append({"min": "не менее", "max": "не более", "equals": "ровно"}[rule.kind] + " "
                             + ru(rule.value, unit))
            elif rule.goal is not None:
                parts.append(self._goal_words(rule.goal, indicator))
        if indicator.target.by_year:
            years = ", ".join(f"{y} — {ru(g, unit) if isinstance(g, Decimal) else self._goal_words(g, indicator)}"
                              for y, g in sorted(indicator.target.by_year.items()))
            parts.append(f"по годам: {years}")
        return "; ".join(parts) if parts else "не задана"

    def _goal_words(self, goal: Goal, indicator: Indicator) -> str:
        unit, lower = indicator.unit, indicator.better == "lower"
        if goal.factor is None:
            bound = ru(goal.high if lower else goal.low, unit)
            return f"{ru(goal.low)}–{ru(goal.high, unit)} (достигнута, если значение {'не выше' if lower else 'не ниже'} {bound})"
        year = indicator.baseline.year if indicator.baseline else "базового года"
        how = "снижение" if lower else "увеличение"
        times = Word("раз", "раза", "раз").form(goal.factor)
        return (f"{how} в {ru(goal.factor)} {times} к {year} году: цель = значение {year} года "
                f"{'÷' if lower else '×'} {ru(goal.factor)}, для каждой школы и группы — от её собственного значения")

    def with_change(self, v: IndicatorValue | None, indicator: Indicator) -> str:
        """«45,2 % (+3,1 п. п.)»: a group's value and its change in one cell."""
        shown = self.value(v, indicator)
        if v is None or v.change is None or v.suppressed:
            return shown
        return f"{shown} ({self.change(v, indicator)})"
