"""Overdue and recurring-period logic, against dates worked out by hand."""
from datetime import date

from generator.model import Report, RoadmapItem
from generator.compute.roadmap_status import judge_item, month_of, periods, quarter_of


def item(**kw) -> RoadmapItem:
    return RoadmapItem(number="1", title="Пункт", deadline="как в документе", **kw)


def done(day: date) -> Report:
    return Report(day, "выполнено")


def test_quarter_boundaries():
    assert quarter_of(date(2024, 3, 31)) == quarter_of(date(2024, 1, 1))
    q4 = quarter_of(date(2024, 11, 15))
    assert (q4.start, q4.end) == (date(2024, 10, 1), date(2024, 12, 31))
    assert quarter_of(date(2025, 1, 1)).start == date(2025, 1, 1)  # across the year boundary
    assert month_of(date(2024, 2, 10)).end == date(2024, 2, 29)  # leap year


def test_one_off_item_overdue_only_after_its_deadline():
    it = item(due=date(2021, 4, 30))
    assert judge_item(it, date(2021, 4, 30)).state == "not_started"  # the deadline day itself is not late
    assert judge_item(it, date(2021, 5, 1)).state == "overdue"
    late_done = item(due=date(2021, 4, 30), reports=(done(date(2021, 6, 1)),))
    assert judge_item(late_done, date(2021, 7, 1)).state == "done"
    cancelled = item(due=date(2021, 4, 30), reports=(Report(date(2021, 3, 1), "отменено"),))
    assert judge_item(cancelled, date(2022, 1, 1)).state == "cancelled"


def test_period_end_is_the_deadline():
    it = item(period_start=date(2021, 2, 1), period_end=date(2021, 3, 31), reports=(Report(date(2021, 2, 10), "в работе"),))
    assert judge_item(it, date(2021, 3, 31)).state == "in_progress"
    assert judge_item(it, date(2021, 4, 1)).state == "overdue"


def test_reports_after_the_date_are_ignored():
    it = item(due=date(2021, 4, 30), reports=(done(date(2021, 4, 20)),))
    assert judge_item(it, date(2021, 4, 19)).state == "not_started"


def test_quarterly_item_judged_per_quarter():
    # "ежеквартально" from 1 Oct 2023: quarters Q4 2023, Q1 2024, Q2 2024 have ended by 1 Jul 2024.
    it = item(period_start=date(2023, 10, 1), period_end=date(2025, 12, 31), recurrence="quarterly",
              reports=(done(date(2023, 12, 20)), done(date(2024, 2, 1))))
    st = judge_item(it, date(2024, 7, 1))
    assert (st.periods_due, st.periods_done) == (3, 2)
    assert [p.start for p in st.missed] == [date(2024, 4, 1)]
    assert st.state == "overdue"  # the last ended quarter (Q2 2024) has no report
    # A report in Q2 makes it current again.
    ok = item(period_start=date(2023, 10, 1), period_end=date(2025, 12, 31), recurrence="quarterly",
              reports=(done(date(2023, 12, 20)), done(date(2024, 2, 1)), done(date(2024, 6, 30))))
    assert judge_item(ok, date(2024, 7, 1)).state == "in_progress"


def test_yearly_item_deadline_each_year_and_year_boundary():
    # "ежегодно, сентябрь": due 30 September each year from 2021.
    it = item(due=date(2021, 9, 30), period_end=None, recurrence="yearly",
              reports=(done(date(2021, 9, 15)), done(date(2022, 9, 20))))
    assert [p.end for p in periods(it, date(2023, 12, 31))] == [date(2021, 9, 30), date(2022, 9, 30), date(2023, 9, 30)]
    assert judge_item(it, date(2023, 9, 30)).state == "in_progress"  # 2023's deadline is today: not late yet
    late = judge_item(it, date(2023, 10, 1))
    assert late.state == "overdue" and late.missed[-1].end == date(2023, 9, 30)
    # A report dated in 2023 but after the deadline still counts for 2023's period (1 Jan – 30 Sep)?
    # No: the period runs 1 January to the deadline, so a report on 5 October 2023 does not count.
    after = item(due=date(2021, 9, 30), recurrence="yearly",
                 reports=(done(date(2021, 9, 15)), done(date(2022, 9, 20)), done(date(2023, 10, 5))))
    assert judge_item(after, date(2023, 12, 1)).state == "overdue"


def test_continuous_item_needs_a_report_every_quarter():
    it = item(period_start=date(2024, 1, 1), period_end=date(2026, 12, 31), recurrence="continuous",
              reports=(Report(date(2024, 2, 1), "в работе"), Report(date(2024, 5, 1), "в работе")))
    assert judge_item(it, date(2024, 7, 1)).state == "in_progress"  # Q1 and Q2 both reported
    assert judge_item(it, date(2024, 10, 1)).state == "overdue"  # Q3 ended with no report
