"""Roadmap progress as of a date: latest status, overdue items, recurring items judged per period."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from generator.model import Report, Roadmap, RoadmapItem

DONE, IN_PROGRESS, NOT_STARTED, CANCELLED, OVERDUE = "done", "in_progress", "not_started", "cancelled", "overdue"
STATES = (DONE, IN_PROGRESS, NOT_STARTED, OVERDUE, CANCELLED)
_FROM_REPORT = {"выполнено": DONE, "в работе": IN_PROGRESS, "не начато": NOT_STARTED, "отменено": CANCELLED}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive deadline of the period


@dataclass(frozen=True)
class ItemState:
    item: RoadmapItem
    state: str
    latest: Report | None
    periods_due: int = 0  # recurring: completed periods up to the date
    periods_done: int = 0
    missed: tuple[Period, ...] = ()


def quarter_of(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month == 10), (first_month + 3 - 1) % 12 + 1, 1) - timedelta(days=1)
    return Period(start, end)


def month_of(day: date) -> Period:
    start = day.replace(day=1)
    nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return Period(start, nxt - timedelta(days=1))


def periods(item: RoadmapItem, until: date) -> list[Period]:
    """The item's periods that have ended before `until` (recurring items only).

    A period has ended when its deadline is strictly before `until`, as for one-off items:
    the deadline day itself is not late.
    """
    begin = item.period_start or item.due or until
    last = item.period_end

    def ended(deadline: date) -> bool:
        return deadline < until and (last is None or deadline <= last)

    out: list[Period] = []
    if item.recurrence == "yearly":
        # The deadline in each year is the due day (or 31 December when only a period is given).
        month, day = (item.due.month, item.due.day) if item.due else (12, 31)
        for year in range(begin.year, until.year + 1):
            deadline = _safe_date(year, month, day)
            if deadline >= begin and ended(deadline):
                out.append(Period(max(begin, date(year, 1, 1)), deadline))
    elif item.recurrence in ("quarterly", "continuous", "monthly"):
        step = month_of if item.recurrence == "monthly" else quarter_of
        current = step(begin)
        while ended(current.end):
            out.append(current)
            current = step(current.end + timedelta(days=1))
    return out


def _safe_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year
        return date(year, month, 28)


def deadline(item: RoadmapItem) -> date | None:
    return item.due or item.period_end


def judge_item(item: RoadmapItem, as_of: date) -> ItemState:
    reports = [r for r in item.reports if r.date <= as_of]
    latest = reports[-1] if reports else None
    reported = _FROM_REPORT[latest.status] if latest else NOT_STARTED
    if reported == CANCELLED:
        return ItemState(item, CANCELLED, latest)
    if item.recurrence == "once":
        end = deadline(item)
        if reported != DONE and end is not None and end < as_of:
            return ItemState(item, OVERDUE, latest)
        return ItemState(item, reported, latest)
    due_periods = periods(item, as_of)
    # A recurring item counts a period as done when it has a «выполнено» report dated inside it
    # ("continuous" items: any report inside it, since they are never finished once and for all).
    accepted = {"выполнено", "в работе"} if item.recurrence == "continuous" else {"выполнено"}
    missed = tuple(p for p in due_periods
                   if not any(p.start <= r.date <= p.end and r.status in accepted for r in reports))
    done = len(due_periods) - len(missed)
    if missed and missed[-1] == due_periods[-1]:
        state = OVERDUE
    elif item.period_end is not None and item.period_end < as_of and not missed:
        state = DONE
    else:
        state = IN_PROGRESS if reports or due_periods else NOT_STARTED
    return ItemState(item, state, latest, len(due_periods), done, missed)


@dataclass(frozen=True)
class Progress:
    total: int
    counts: dict[str, int]

    def share(self, state: str) -> int:
        """Whole percent for display."""
        return round(100 * self.counts.get(state, 0) / self.total) if self.total else 0


def progress(states: list[ItemState]) -> Progress:
    counts = {s: 0 for s in STATES}
    for st in states:
        counts[st.state] += 1
    return Progress(len(states), counts)


def judge_roadmap(roadmap: Roadmap, as_of: date) -> list[ItemState]:
    return [judge_item(item, as_of) for item in roadmap.items]
