"""Roadmap items judged occurrence by occurrence (issue #21), against states worked out by hand.

Each case: the deadline as written, the roadmap's frame, the reports, the date of the data, and the
expected item state and the states of its first occurrences (on_time / late / missed / pending). The
schedules themselves are tested in tests/test_deadlines.py; the arithmetic of each case is in its comment.
"""
from datetime import date

import pytest

from generator.compute.roadmap_status import judge_item
from generator.load.deadlines import explicit_schedule, parse_deadline
from generator.model import Frame, Report, RoadmapItem

S = Frame(date(2021, 1, 1), date(2024, 12, 31))  # Saratov 2021–2024
T = Frame(date(2021, 1, 1), date(2021, 12, 31))  # Tyumen «на 2021 год»
K = Frame(date(2020, 1, 1), date(2024, 12, 31))  # Kargasok 2020–2024
D = Frame(date(2021, 1, 1), date(2023, 12, 31))  # the demo's programme 2021–2023


def done(day: date, covers: date | None = None) -> Report:
    return Report(day, "выполнено", covers=covers)


def working(day: date) -> Report:
    return Report(day, "в работе")


def item(deadline: str, frame: Frame, reports=(), **explicit) -> RoadmapItem:
    it = RoadmapItem(number="1", title="Пункт", deadline=deadline, reports=tuple(sorted(reports, key=lambda r: r.date)),
                     **explicit)
    schedule = explicit_schedule(it, frame) or parse_deadline(deadline, frame)
    return RoadmapItem(**{**it.__dict__, "schedule": schedule})


ON, LATE, MISS, WAIT = "on_time", "late", "missed", "pending"
SOC = "ежегодно октябрь, декабрь, март, май"  # Saratov: 31.10, 31.12, 31.03, 31.05 of 2021/22–2023/24
SOC_DUES = [date(2021, 10, 31), date(2021, 12, 31), date(2022, 3, 31), date(2022, 5, 31),
            date(2022, 10, 31), date(2022, 12, 31), date(2023, 3, 31), date(2023, 5, 31),
            date(2023, 10, 31), date(2023, 12, 31), date(2024, 3, 31), date(2024, 5, 31)]

CASES = [
    # --- one-off deadlines ---------------------------------------------------------------------
    # The deadline day itself is not late.
    ("date, on its day", "До 30.04.2021", T, [], date(2021, 4, 30), "not_started", [WAIT], 0),
    ("date, the day after", "До 30.04.2021", T, [], date(2021, 5, 1), "overdue", [MISS], 0),
    ("date, done before", "До 30.04.2021", T, [done(date(2021, 4, 20))], date(2021, 6, 1), "done", [ON], 0),
    # Tyumen 1.4: reported five days after the deadline: done, late by 5 days (30.04 → 05.05).
    ("date, done 5 days late", "До 30.04.2021", T, [done(date(2021, 5, 5))], date(2021, 6, 1), "done", [LATE], 5),
    # A report dated after the data's date is not seen yet.
    ("date, report not yet seen", "До 30.04.2021", T, [done(date(2021, 5, 5))], date(2021, 5, 3), "overdue", [MISS], 0),
    ("bare date", "20.12.2021", T, [done(date(2021, 12, 20))], date(2022, 1, 1), "done", [ON], 0),
    # A period: in progress until its last day, overdue after it without «выполнено».
    ("period, in progress", "Февраль – март 2021", T, [working(date(2021, 2, 10))], date(2021, 3, 31),
     "in_progress", [WAIT], 0),
    ("period ended in progress", "Февраль – март 2021", T, [working(date(2021, 2, 10))], date(2021, 4, 1),
     "overdue", [MISS], 0),
    # Done before the month of the deadline: early is on time.
    ("month, done early", "Март 2021", T, [done(date(2021, 2, 20))], date(2021, 4, 1), "done", [ON], 0),
    ("quarter, missed", "3 квартал 2021 года", S, [], date(2021, 10, 1), "overdue", [MISS], 0),
    ("cancelled", "До 30.04.2021", T, [Report(date(2021, 3, 1), "отменено")], date(2022, 1, 1), "cancelled", [], 0),
    # 29 February 2024 is a real deadline: a report on 1 March is one day late.
    ("29 February", "до 29.02.2024", S, [done(date(2024, 3, 1))], date(2024, 4, 1), "done", [LATE], 1),
    # «До 2024 года» ends on 31.12.2023: a report on 31.12.2023 is on time.
    ("before a year", "До 2024 года", S, [done(date(2023, 12, 31))], date(2024, 1, 1), "done", [ON], 0),
    # «2021-2024» is one deadline, 31.12.2024: not due in 2023.
    ("year range", "2021-2024", S, [working(date(2022, 5, 1))], date(2023, 6, 1), "in_progress", [WAIT], 0),
    # --- yearly ---------------------------------------------------------------------------------
    # «август» in a 2021–2024 roadmap: 31 August of each year, judged then, not on 31 December.
    ("august, two years done", "август", S, [done(date(2021, 8, 20)), done(date(2022, 8, 25))], date(2022, 12, 31),
     "in_progress", [ON, ON, WAIT, WAIT], 0),
    # No report for August 2022: overdue from 1 September 2022, not «✓ выполнено» until December.
    ("august missed", "август", S, [done(date(2021, 8, 20))], date(2022, 9, 1), "overdue", [ON, MISS, WAIT, WAIT], 0),
    ("august, due today", "август", S, [done(date(2021, 8, 20))], date(2022, 8, 31), "in_progress",
     [ON, WAIT, WAIT, WAIT], 0),
    # «ежегодно»: 31 December each year; a report on the 31st is on time.
    ("yearly, year end", "ежегодно", K, [done(date(2020, 12, 15)), done(date(2021, 12, 31))], date(2022, 1, 1),
     "in_progress", [ON, ON, WAIT, WAIT, WAIT], 0),
    # A report on 2 January 2022 lies in the 2022 window: 2022 is done early, 2021 missed.
    ("yearly, across the new year", "ежегодно", K, [done(date(2020, 12, 15)), done(date(2022, 1, 2))],
     date(2022, 1, 3), "overdue", [ON, MISS, ON, WAIT, WAIT], 0),
    # The same report naming 2021 (for: 2021-12-31) is 2021's, two days late.
    ("yearly, report names its year", "ежегодно", K, [done(date(2020, 12, 15)), done(date(2022, 1, 2), date(2021, 12, 31))],
     date(2022, 1, 3), "in_progress", [ON, LATE, WAIT, WAIT, WAIT], 2),
    ("yearly from a year", "Ежегодно с 2021 года", K, [], date(2021, 6, 1), "not_started", [WAIT, WAIT, WAIT, WAIT], 0),
    # --- lists of months (Saratov) ----------------------------------------------------------------
    # An October report alone does not make the year: December 2021 is missed on 1 January 2022.
    ("months: October alone", SOC, S, [done(date(2021, 10, 15))], date(2022, 1, 1), "overdue",
     [ON, MISS, WAIT, WAIT], 0),
    ("months: a school year done", SOC, S,
     [done(date(2021, 10, 15)), done(date(2021, 12, 20)), done(date(2022, 3, 30)), done(date(2022, 5, 25))],
     date(2022, 6, 1), "in_progress", [ON, ON, ON, ON, WAIT], 0),
    # A report of 10 January 2022 lies in the March window: March is done early, December missed.
    ("months: a report in the next window", SOC, S, [done(date(2021, 10, 15)), done(date(2022, 1, 10))],
     date(2022, 1, 15), "overdue", [ON, MISS, ON, WAIT], 0),
    # … unless it names December (for: 2021-12-31): then December is 10 days late and nothing is missed.
    ("months: the report names December", SOC, S, [done(date(2021, 10, 15)), done(date(2022, 1, 10), date(2021, 12, 31))],
     date(2022, 1, 15), "in_progress", [ON, LATE, WAIT, WAIT], 10),
    ("months: all twelve on time", SOC, S, [done(d) for d in SOC_DUES], date(2025, 1, 1), "done", [ON] * 12, 0),
    # The final occurrence (31 May 2024) is judged like the others: missing it is overdue.
    ("months: final one missing", SOC, S, [done(d) for d in SOC_DUES[:-1]], date(2024, 6, 1), "overdue",
     [ON] * 11 + [MISS], 0),
    # … and reported on 10 June 2024, it is done, ten days late.
    ("months: final one late", SOC, S, [done(d) for d in SOC_DUES[:-1]] + [done(date(2024, 6, 10))], date(2024, 7, 1),
     "done", [ON] * 11 + [LATE], 10),
    # --- quarters -----------------------------------------------------------------------------------
    # A missed third quarter followed by a fourth-quarter report: overdue, not «в работе».
    ("quarterly: Q3 missed", "ежеквартально", S, [done(date(2021, 2, 1)), done(date(2021, 5, 1)), done(date(2021, 11, 15))],
     date(2022, 1, 1), "overdue", [ON, ON, MISS, ON, WAIT], 0),
    ("quarterly: a year done", "ежеквартально", S,
     [done(date(2021, 2, 1)), done(date(2021, 5, 1)), done(date(2021, 8, 1)), done(date(2021, 11, 15))],
     date(2022, 1, 1), "in_progress", [ON, ON, ON, ON, WAIT], 0),
    ("quarterly: Q3 reported in October", "ежеквартально", S, [done(date(2021, 2, 1)), done(date(2021, 5, 1)),
     done(date(2021, 10, 5))], date(2021, 10, 10), "overdue", [ON, ON, MISS, ON], 0),
    ("quarterly: … naming Q3", "ежеквартально", S, [done(date(2021, 2, 1)), done(date(2021, 5, 1)),
     done(date(2021, 10, 5), date(2021, 9, 30))], date(2021, 10, 10), "in_progress", [ON, ON, LATE, WAIT], 5),
    # School-year quarters: the 4th is June–August; 2021/22's is due 31.08.2022.
    ("school quarter done", "4 квартал каждого учебного года", S, [done(date(2022, 7, 15))], date(2022, 9, 1),
     "in_progress", [ON, WAIT, WAIT], 0),
    ("school quarter missed", "4 квартал каждого учебного года", S, [], date(2022, 9, 1), "overdue", [MISS, WAIT, WAIT], 0),
    # Saratov's order is of 02.08.2021: quarters that ended before it cannot be missed; the first one
    # runs from 02.08.2021 to 30.09.2021.
    ("quarterly from the order's date", "ежеквартально", Frame(S.start, S.end, date(2021, 8, 2)), [], date(2021, 8, 10),
     "not_started", [WAIT], 0),
    ("quarterly from the order's date, Q3 missed", "ежеквартально", Frame(S.start, S.end, date(2021, 8, 2)), [],
     date(2021, 10, 1), "overdue", [MISS, WAIT], 0),
    # --- continuous ---------------------------------------------------------------------------------
    # «постоянно»: a report («в работе» is enough) inside every quarter.
    ("continuous: three quarters", "постоянно", S,
     [working(date(2021, 2, 1)), working(date(2021, 5, 1)), working(date(2021, 8, 1))], date(2021, 10, 1),
     "in_progress", [ON, ON, ON, WAIT], 0),
    ("continuous: Q4 empty", "постоянно", S,
     [working(date(2021, 2, 1)), working(date(2021, 5, 1)), working(date(2021, 8, 1))], date(2022, 1, 1),
     "overdue", [ON, ON, ON, MISS, WAIT], 0),
    # A report after the quarter does not cover it: continuity is the point.
    ("continuous: late report does not cover", "постоянно", S, [working(date(2021, 4, 2))], date(2021, 4, 10),
     "overdue", [MISS, ON], 0),
    # Kargasok 1.3: by 30.11.2020, then replenished every quarter from 1 December 2020.
    ("two clauses: both", "До декабря 2020 Пополнение ежеквартальное", K,
     [done(date(2020, 11, 20)), working(date(2020, 12, 10))], date(2021, 1, 1), "in_progress", [ON, ON, WAIT], 0),
    ("two clauses: no replenishment", "До декабря 2020 Пополнение ежеквартальное", K, [done(date(2020, 11, 20))],
     date(2021, 1, 1), "overdue", [ON, MISS, WAIT], 0),
    # The demo's 1.4: September 2021, then every February–March: 31.03.2022 and 31.03.2023.
    ("then yearly", "сентябрь 2021, далее ежегодно февраль – март", D, [done(date(2021, 9, 20)), done(date(2022, 3, 10))],
     date(2023, 4, 1), "overdue", [ON, ON, MISS], 0),
    ("monthly", "ежемесячно", T, [done(date(2021, 1, 20)), done(date(2021, 2, 10))], date(2021, 4, 1), "overdue",
     [ON, ON, MISS, WAIT], 0),
    # «В течение года» (Tyumen 4.2): one deadline, 31.12.2021; «в работе» reports do not finish it.
    ("during the year, ended in progress", "В течение года", T, [working(date(2021, 3, 1)), working(date(2021, 9, 1))],
     date(2022, 1, 1), "overdue", [MISS], 0),
    # --- not judged ---------------------------------------------------------------------------------
    # «Согласно графику» (Tyumen 2.6) without dates: never overdue; the reports say where the work is.
    ("per schedule, reported", "Согласно графику", T, [working(date(2021, 3, 1))], date(2022, 1, 1), "in_progress", [], 0),
    ("per schedule, nothing", "Согласно графику", T, [], date(2022, 1, 1), "not_started", [], 0),
]


@pytest.mark.parametrize("name, deadline, frame, reports, as_of, state, occurrences, days_late", CASES,
                         ids=[c[0] for c in CASES])
def test_item_state(name, deadline, frame, reports, as_of, state, occurrences, days_late):
    st = judge_item(item(deadline, frame, reports), as_of)
    assert st.state == state
    assert [o.state for o in st.occurrences][:len(occurrences)] == occurrences
    assert st.days_late == days_late


def test_there_are_forty_cases():
    assert len(CASES) >= 40


def test_a_cycle_starts_on_the_order_s_date():
    schedule = parse_deadline("ежеквартально", Frame(S.start, S.end, date(2021, 8, 2)))
    assert (schedule.occurrences[0].start, schedule.occurrences[0].due) == (date(2021, 8, 2), date(2021, 9, 30))
    # A one-off date before the order is kept as written.
    assert parse_deadline("До 30.04.2021", Frame(S.start, S.end, date(2021, 8, 2))).occurrences[0].due == date(2021, 4, 30)


def test_per_schedule_with_dates_given_is_judged():
    # The department gives the schedule's dates (period): now it can be overdue.
    it = item("Согласно графику", T, period_start=date(2021, 3, 1), period_end=date(2021, 6, 30))
    assert judge_item(it, date(2021, 7, 1)).state == "overdue"
    assert not judge_item(item("Согласно графику", T), date(2021, 7, 1)).judged


def test_explicit_quarterly_and_yearly_still_work():
    quarterly = item("как в документе", S, period_start=date(2023, 10, 1), period_end=date(2025, 12, 31),
                     recurrence="quarterly", reports=(done(date(2023, 12, 20)), done(date(2024, 2, 1))))
    st = judge_item(quarterly, date(2024, 7, 1))
    # Q4 2023 and Q1 2024 reported, Q2 2024 not: 3 passed, 2 done, Q2 missed.
    assert (st.periods_due, st.periods_done) == (3, 2) and [p.start for p in st.missed] == [date(2024, 4, 1)]
    yearly = item("как в документе", S, due=date(2021, 9, 30), recurrence="yearly",
                  reports=(done(date(2021, 9, 15)), done(date(2022, 9, 20))))
    assert [o.occurrence.due for o in judge_item(yearly, date(2023, 1, 1)).occurrences][:3] == \
        [date(2021, 9, 30), date(2022, 9, 30), date(2023, 9, 30)]
    assert judge_item(yearly, date(2023, 10, 1)).state == "overdue"


def test_an_unreadable_deadline_is_a_russian_error_with_file_line_and_field(make_data):
    from conftest import run_cli
    d = make_data({"roadmaps/municipal.yml": """\
        code: municipal
        title: Дорожная карта
        sections:
          - title: Раздел
            items:
              - number: "1"
                title: Пункт
                deadline: когда-нибудь в 2021
        """})
    done = run_cli("validate", "--project", str(d))
    assert done.returncode == 2
    assert "roadmaps/municipal.yml:6: " in done.stderr and "deadline" in done.stderr
    assert "когда-нибудь в 2021" in done.stderr and "например" in done.stderr
    assert "Traceback" not in done.stderr
