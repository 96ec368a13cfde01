"""Roadmap progress as of a date: latest status, overdue items, recurring items judged per period."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from generator.model import Occurrence, Report, Roadmap, RoadmapItem, Schedule

DONE, IN_PROGRESS, NOT_STARTED, CANCELLED, OVERDUE = "done", "in_progress", "not_started", "cancelled", "overdue"
STATES = (DONE, IN_PROGRESS, NOT_STARTED, OVERDUE, CANCELLED)
_FROM_REPORT = {"выполнено": DONE, "в работе": IN_PROGRESS, "не начато": NOT_STARTED, "отменено": CANCELLED}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive deadline of the period


ON_TIME, LATE, MISSED, PENDING = "on_time", "late", "missed", "pending"


@dataclass(frozen=True)
class OccurrenceState:
    """One deadline of an item as of a date: done on time, done late (by `days_late`), missed, or not
    yet due."""
    occurrence: Occurrence
    state: str
    report: Report | None = None
    days_late: int = 0


@dataclass(frozen=True)
class ItemState:
    item: RoadmapItem
    state: str
    latest: Report | None
    periods_due: int = 0  # occurrences whose deadline has passed
    periods_done: int = 0  # of them, done (on time or late)
    missed: tuple[Period, ...] = ()
    occurrences: tuple[OccurrenceState, ...] = ()
    judged: bool = True  # False: the wording gives no dates («согласно графику»): state from the reports only

    @property
    def days_late(self) -> int:
        """The longest delay of a done occurrence, 0 if every one was on time."""
        return max((o.days_late for o in self.occurrences if o.state == LATE), default=0)


def deadline(item: RoadmapItem) -> date | None:
    """The item's last deadline."""
    if item.schedule is not None and item.schedule.occurrences:
        return item.schedule.occurrences[-1].due
    return item.due or item.period_end


def judge_occurrences(schedule: Schedule, reports: list[Report], as_of: date) -> list[OccurrenceState]:
    """Each occurrence as of `as_of` (reports dated after it are not seen). A «выполнено» report covers
    the occurrence it names (`for`), else the open one whose window [start, due] holds its date, else
    the latest one still open: done after its deadline is late by the days between. A continuous occurrence needs a report
    («выполнено» or «в работе») dated inside it. The deadline day itself is not late."""
    occurrences = list(schedule.occurrences)
    fulfilled: dict[int, Report] = {}
    for r in reports:
        if r.date > as_of:
            continue
        for i, o in enumerate(occurrences):
            if o.coverage and i not in fulfilled and o.start <= r.date <= o.due and r.status in ("выполнено", "в работе"):
                fulfilled[i] = r
        if r.status != "выполнено":
            continue
        open_ = [i for i, o in enumerate(occurrences) if not o.coverage and i not in fulfilled and o.start <= r.date]
        # The occurrence the report names; else the one whose window holds its date (on time); else the
        # latest one still open (late): a report in 2024 is about the deadline it just missed, not
        # about one of 2021 that was missed long ago.
        named = [i for i in open_ if r.covers is not None and occurrences[i].start <= r.covers <= occurrences[i].due]
        inside = [i for i in open_ if r.date <= occurrences[i].due]
        chosen = named or inside[:1] or open_[-1:]
        if chosen:
            fulfilled[chosen[0]] = r
    out = []
    for i, o in enumerate(occurrences):
        r = fulfilled.get(i)
        if r is not None:
            late = (r.date - o.due).days
            out.append(OccurrenceState(o, LATE if late > 0 else ON_TIME, r, max(late, 0)))
        else:
            out.append(OccurrenceState(o, MISSED if o.due < as_of else PENDING))
    return out


def judge_item(item: RoadmapItem, as_of: date) -> ItemState:
    reports = [r for r in item.reports if r.date <= as_of]
    latest = reports[-1] if reports else None
    reported = _FROM_REPORT[latest.status] if latest else NOT_STARTED
    if reported == CANCELLED:
        return ItemState(item, CANCELLED, latest)
    schedule = item.schedule
    if schedule is None or not schedule.judged or not schedule.occurrences:
        # No dates to judge by: the latest report says where the work is, and nothing is overdue.
        return ItemState(item, reported, latest, judged=False)
    states = judge_occurrences(schedule, reports, as_of)
    passed = [s for s in states if s.occurrence.due < as_of]
    missed = tuple(Period(s.occurrence.start, s.occurrence.due) for s in states if s.state == MISSED)
    done = sum(1 for s in passed if s.state in (ON_TIME, LATE))
    if missed:
        state = OVERDUE
    elif all(s.state in (ON_TIME, LATE) for s in states):
        state = DONE
    elif reports or any(s.state in (ON_TIME, LATE) for s in states):
        state = IN_PROGRESS
    else:
        state = NOT_STARTED
    return ItemState(item, state, latest, len(passed), done, missed, tuple(states))


def periods(item: RoadmapItem, until: date) -> list[Period]:
    """The item's occurrences whose deadline is before `until` (the deadline day itself is not late)."""
    if item.schedule is None:
        return []
    return [Period(o.start, o.due) for o in item.schedule.occurrences if o.due < until]


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
