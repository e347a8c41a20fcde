"""The statutory clock (casework.clock): pure, no database.

Every expected date below was counted by hand on the 2025/2026 State Council arrangements of
LAW.md §4.2–4.3 (comment per row: "dN" = the N-th counted working day after day 0; "x" = a
working day excluded from the count). Weekdays: 2025-01-01 Wed, 2025-03-03 Mon,
2025-09-01 Mon, 2026-01-01 Thu, 2026-02-02 Mon, 2026-09-21 Mon, 2026-12-14 Mon.
"""

import os
from datetime import date, timedelta
from typing import Any

from django.utils import translation

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.clock import (
    ClockEvent,
    ClockResult,
    Segment,
    compute_clock,
    describe_segment,
    explain,
    format_date,
    remaining_working_days,
    supervision_level,
)
from casework.workdays import WorkingCalendar
from tests.casework.test_workdays import SEED, law_calendar

LAW = law_calendar()
D = date


def ev(kind: str, on: date, **payload: Any) -> ClockEvent:
    """A clock event with JSON-safe payload (dates as ISO strings, as stored in the audit)."""
    return ClockEvent(
        kind,
        on,
        {k: v.isoformat() if isinstance(v, date) else v for k, v in payload.items()},
    )


def received(day: date) -> ClockEvent:
    return ev("receive", day, received_on=day)


def consult(
    key: str, sent: date, answered: date | None = None, party: str = "third_party"
) -> list[ClockEvent]:
    events = [ev("open_consultation", sent, consultation_id=key, party=party)]
    if answered is not None:
        events.append(ev("close_consultation", answered, consultation_id=key))
    return events


ROWS = [
    # -- receipts, no exclusions --------------------------------------------------------
    pytest.param(
        [received(D(2025, 3, 3))],
        {},
        # Mon 3-03: d1-4 3-04..07, d5-9 3-10..14, d10-14 3-17..21, d15-19 3-24..28, d20 Mon 3-31;
        # notice: d7 Wed 3-12
        {"reply_due_on": D(2025, 3, 31), "correction_notice_due_on": D(2025, 3, 12)},
        id="ordinary-march-2025",
    ),
    pytest.param(
        [received(D(2025, 9, 26))],
        {},
        # Fri 9-26: d1 Sun 9-28 (make-up), d2 9-29, d3 9-30, [10-01..08 off], d4 Thu 10-09,
        # d5 10-10, d6 Sat 10-11 (make-up), d7 Mon 10-13, d8-11 10-14..17, d12-16 10-20..24,
        # d17 Mon 10-27, d18 10-28, d19 10-29, d20 Thu 10-30
        {"reply_due_on": D(2025, 10, 30), "correction_notice_due_on": D(2025, 10, 13)},
        id="friday-before-make-up-sunday-national-day-2025",
    ),
    pytest.param(
        [received(D(2025, 9, 28))],
        {},
        # make-up Sun 9-28 is a normal working-day receipt: d1 Mon 9-29, d2 9-30, d3 Thu 10-09,
        # d4 10-10, d5 Sat 10-11, d6 Mon 10-13, d7 10-14, d8-10 10-15..17, d11-15 10-20..24,
        # d16-19 10-27..30, d20 Fri 10-31
        {"reply_due_on": D(2025, 10, 31), "correction_notice_due_on": D(2025, 10, 14)},
        id="receipt-on-make-up-sunday-2025-09-28",
    ),
    pytest.param(
        [received(D(2025, 10, 1))],
        {},
        # holiday Wed 10-01: d1 Thu 10-09, d2 10-10, d3 Sat 10-11, d4 Mon 10-13, d5-8 10-14..17,
        # d9-13 10-20..24, d14-18 10-27..31, d19 Mon 11-03, d20 Tue 11-04; notice d7 Thu 10-16
        {"reply_due_on": D(2025, 11, 4), "correction_notice_due_on": D(2025, 10, 16)},
        id="receipt-on-national-day-holiday-2025",
    ),
    pytest.param(
        [received(D(2025, 9, 30))],
        {},
        # Tue 9-30, the day before the 8-day block: d1 Thu 10-09, then as the previous row
        {"reply_due_on": D(2025, 11, 4), "correction_notice_due_on": D(2025, 10, 16)},
        id="day-before-national-day-2025",
    ),
    pytest.param(
        [received(D(2025, 1, 27))],
        {},
        # Mon 1-27: [1-28..2-04 off], d1 Wed 2-05, d2 2-06, d3 2-07, d4 Sat 2-08 (make-up),
        # d5-9 2-10..14, d10-14 2-17..21, d15-19 2-24..28, d20 Mon 3-03; notice d7 Wed 2-12
        {"reply_due_on": D(2025, 3, 3), "correction_notice_due_on": D(2025, 2, 12)},
        id="day-before-spring-festival-2025",
    ),
    pytest.param(
        [received(D(2025, 1, 26))],
        {},
        # make-up Sun 1-26: d1 Mon 1-27, d2 Wed 2-05, d3 2-06, d4 2-07, d5 Sat 2-08,
        # d6-10 2-10..14, d11-15 2-17..21, d16-19 2-24..27, d20 Fri 2-28; notice d7 Tue 2-11
        {"reply_due_on": D(2025, 2, 28), "correction_notice_due_on": D(2025, 2, 11)},
        id="receipt-on-make-up-sunday-2025-01-26",
    ),
    pytest.param(
        [received(D(2025, 1, 25))],
        {},
        # ordinary Sat 1-25: d1 Sun 1-26 (make-up), d2 Mon 1-27, d3 Wed 2-05, d4 2-06, d5 2-07,
        # d6 Sat 2-08, d7 Mon 2-10, d8-11 2-11..14, d12-16 2-17..21, d17-20 2-24..27 -> Thu 2-27
        {"reply_due_on": D(2025, 2, 27), "correction_notice_due_on": D(2025, 2, 10)},
        id="saturday-before-make-up-sunday-2025",
    ),
    pytest.param(
        [received(D(2025, 4, 26))],
        {},
        # Sat 4-26: d1 Sun 4-27 (make-up), d2 4-28, d3 4-29, d4 Wed 4-30, [5-01..05 off],
        # d5 Tue 5-06, d6 5-07, d7 Thu 5-08, d8 5-09, d9-13 5-12..16, d14-18 5-19..23,
        # d19 Mon 5-26, d20 Tue 5-27
        {"reply_due_on": D(2025, 5, 27), "correction_notice_due_on": D(2025, 5, 8)},
        id="labour-day-2025",
    ),
    pytest.param(
        [received(D(2025, 12, 31))],
        {},
        # Wed 12-31: [2026-01-01..03 off], d1 Sun 1-04 (make-up), d2-6 1-05..09, d7 Mon 1-12,
        # d8-11 1-13..16, d12-16 1-19..23, d17 1-26, d18 1-27, d19 1-28, d20 Thu 1-29
        {"reply_due_on": D(2026, 1, 29), "correction_notice_due_on": D(2026, 1, 12)},
        id="new-year-2026-across-the-year",
    ),
    pytest.param(
        [received(D(2026, 1, 4))],
        {},
        # make-up Sun 1-04: d1 Mon 1-05, d5 Fri 1-09, d6 Mon 1-12, d7 Tue 1-13, d10 Fri 1-16,
        # d15 Fri 1-23, d20 Fri 1-30
        {"reply_due_on": D(2026, 1, 30), "correction_notice_due_on": D(2026, 1, 13)},
        id="receipt-on-make-up-sunday-2026-01-04",
    ),
    pytest.param(
        [received(D(2026, 2, 13))],
        {},
        # Fri 2-13: d1 Sat 2-14 (make-up), [2-15..23 off], d2 Tue 2-24, d3 2-25, d4 2-26,
        # d5 2-27, d6 Sat 2-28 (make-up), d7 Mon 3-02, d8-11 3-03..06, d12-16 3-09..13,
        # d17 3-16, d18 3-17, d19 3-18, d20 Thu 3-19
        {"reply_due_on": D(2026, 3, 19), "correction_notice_due_on": D(2026, 3, 2)},
        id="day-before-make-up-saturday-spring-festival-2026",
    ),
    pytest.param(
        [received(D(2026, 2, 14))],
        {},
        # make-up Sat 2-14: d1 Tue 2-24, d2-4 2-25..27, d5 Sat 2-28, d6 Mon 3-02, d7 Tue 3-03,
        # d8-10 3-04..06, d11-15 3-09..13, d16-19 3-16..19, d20 Fri 3-20
        {"reply_due_on": D(2026, 3, 20), "correction_notice_due_on": D(2026, 3, 3)},
        id="receipt-on-make-up-saturday-2026-02-14",
    ),
    pytest.param(
        [received(D(2026, 2, 18))],
        {},
        # 春节 holiday Wed 2-18: d1 Tue 2-24, then as the previous row
        {"reply_due_on": D(2026, 3, 20), "correction_notice_due_on": D(2026, 3, 3)},
        id="receipt-on-spring-festival-holiday-2026",
    ),
    pytest.param(
        [received(D(2026, 9, 20))],
        {},
        # make-up Sun 9-20: d1 Mon 9-21, d2 9-22, d3 9-23, d4 Thu 9-24, [9-25..27 off],
        # d5 Mon 9-28, d6 9-29, d7 Wed 9-30, [10-01..07 off], d8 Thu 10-08, d9 10-09,
        # d10 Sat 10-10 (make-up), d11-15 10-12..16, d16-19 10-19..22, d20 Fri 10-23
        {"reply_due_on": D(2026, 10, 23), "correction_notice_due_on": D(2026, 9, 30)},
        id="receipt-on-make-up-sunday-2026-09-20",
    ),
    pytest.param(
        [received(D(2026, 9, 30))],
        {},
        # Wed 9-30, day before 国庆: d1 Thu 10-08, d2 10-09, d3 Sat 10-10, d4-8 10-12..16,
        # d9-13 10-19..23, d14-18 10-26..30, d19 Mon 11-02, d20 Tue 11-03; notice d7 Thu 10-15
        {"reply_due_on": D(2026, 11, 3), "correction_notice_due_on": D(2026, 10, 15)},
        id="day-before-national-day-2026",
    ),
    pytest.param(
        [
            ev("receive", D(2026, 1, 30)),
            ev("confirm_receipt", D(2026, 2, 2), received_on=D(2026, 2, 2)),
        ],
        {},
        # online, confirmed Mon 2-02 (Art 31): d1-4 2-03..06, d5-9 2-09..13, d10 Sat 2-14,
        # [2-15..23 off], d11 Tue 2-24, d12-14 2-25..27, d15 Sat 2-28, d16-19 3-02..05,
        # d20 Fri 3-06; notice d7 Wed 2-11
        {
            "started_on": D(2026, 2, 2),
            "reply_due_on": D(2026, 3, 6),
            "correction_notice_due_on": D(2026, 2, 11),
        },
        id="online-confirmed-across-spring-festival-2026",
    ),
    pytest.param(
        [ev("receive", D(2026, 1, 30))],
        {},
        # not confirmed yet: no receipt date, nothing runs
        {"started_on": None, "reply_due_on": None, "correction_notice_due_on": None},
        id="awaiting-confirmation",
    ),
    # -- corrections (Art 30: restart) ------------------------------------------------------
    pytest.param(
        [
            received(D(2025, 3, 3)),
            ev("request_correction", D(2025, 3, 7), deadline_on=D(2025, 3, 21)),
            ev("receive_correction", D(2025, 3, 17)),
        ],
        {},
        # new day 0 Mon 3-17: d1-4 3-18..21, d5-9 3-24..28, d10 3-31, d11 4-01, d12 4-02,
        # d13 Thu 4-03, [4-04..06 off], d14-18 4-07..11, d19 Mon 4-14, d20 Tue 4-15;
        # notice still from the original receipt: Wed 3-12
        {
            "started_on": D(2025, 3, 17),
            "reply_due_on": D(2025, 4, 15),
            "correction_notice_due_on": D(2025, 3, 12),
            "correction_deadline_on": D(2025, 3, 21),
        },
        id="correction-restarts-the-clock",
    ),
    pytest.param(
        [
            received(D(2025, 3, 3)),
            ev("request_correction", D(2025, 3, 7), deadline_on=D(2025, 3, 21)),
        ],
        {},
        # awaiting the corrected application: no reply due date
        {
            "started_on": None,
            "reply_due_on": None,
            "correction_notice_due_on": D(2025, 3, 12),
            "correction_deadline_on": D(2025, 3, 21),
        },
        id="correction-pending",
    ),
    pytest.param(
        [
            received(D(2026, 9, 18)),
            ev("request_correction", D(2026, 9, 22), deadline_on=D(2026, 10, 16)),
            ev("receive_correction", D(2026, 10, 3)),
        ],
        {},
        # Fri 9-18: notice d1 Sun 9-20, d2 9-21, d3 9-22, d4 9-23, d5 Thu 9-24, [9-25..27],
        # d6 Mon 9-28, d7 Tue 9-29. Corrected on holiday Sat 10-03: d1 Thu 10-08, d2 10-09,
        # d3 Sat 10-10, d4-8 10-12..16, d9-13 10-19..23, d14-18 10-26..30, d20 Tue 11-03
        {
            "started_on": D(2026, 10, 3),
            "reply_due_on": D(2026, 11, 3),
            "correction_notice_due_on": D(2026, 9, 29),
        },
        id="corrected-application-received-on-a-holiday",
    ),
    pytest.param(
        [
            received(D(2025, 3, 3)),
            *consult("c1", D(2025, 3, 4), D(2025, 3, 6)),
            ev("request_correction", D(2025, 3, 7), deadline_on=D(2025, 3, 21)),
            ev("receive_correction", D(2025, 3, 17)),
        ],
        {},
        # consultation 3-04..06 excluded 3-05, 3-06 of the OLD count; the restart on 3-17
        # makes it irrelevant: due Tue 4-15 as in the restart row, nothing excluded
        {"reply_due_on": D(2025, 4, 15), "excluded_working_days": 0},
        id="exclusions-before-a-restart-no-longer-matter",
    ),
    # -- consultations (Arts 32, 34) ---------------------------------------------------------
    pytest.param(
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 10), D(2025, 3, 14))],
        {},
        # d1-5 3-04..10 (sent on d5), x 3-11..14 (4), d6-10 3-17..21, d11-15 3-24..28,
        # d16 3-31, d17 4-01, d18 4-02, d19 Thu 4-03, [4-04..06 off], d20 Mon 4-07
        {"reply_due_on": D(2025, 4, 7), "excluded_working_days": 4},
        id="consultation-four-working-days",
    ),
    pytest.param(
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 8), D(2025, 3, 16))],
        {},
        # sent Sat 3-08, answered Sun 3-16: x 3-10..14 (5); d1-4 3-04..07, d5-9 3-17..21,
        # d10-14 3-24..28, d15 3-31, d16-18 4-01..03, d19 Mon 4-07, d20 Tue 4-08
        {"reply_due_on": D(2025, 4, 8), "excluded_working_days": 5},
        id="consultation-sent-and-answered-on-weekends",
    ),
    pytest.param(
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 12), D(2025, 3, 12))],
        {},
        # answered on the sending day: nothing excluded, due Mon 3-31
        {"reply_due_on": D(2025, 3, 31), "excluded_working_days": 0},
        id="consultation-answered-on-the-sending-day",
    ),
    pytest.param(
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 3), D(2025, 4, 14))],
        {},
        # sent on the receipt day; party deadline = 15th wd after 3-03: 3-04..07 (4),
        # 3-10..14 (9), 3-17..21 (14), Mon 3-24 (15). Late answer 4-14 is capped: x 3-04..3-24
        # (15). d1-4 3-25..28, d5 3-31, d6-8 4-01..03, d9-13 4-07..11, d14-18 4-14..18,
        # d19 Mon 4-21, d20 Tue 4-22
        {"reply_due_on": D(2025, 4, 22), "excluded_working_days": 15},
        id="late-answer-capped-at-the-party-deadline",
    ),
    pytest.param(
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 10))],
        {},
        # still open: excluded up to the party deadline, 15th wd after 3-10 = Mon 3-31:
        # x 3-11..3-31 (15). d1-5 3-04..10, d6 Tue 4-01, d7 4-02, d8 4-03, d9-13 4-07..11,
        # d14-18 4-14..18, d19 Mon 4-21, d20 Tue 4-22
        {"reply_due_on": D(2025, 4, 22), "excluded_working_days": 15},
        id="open-consultation-assumes-the-full-period",
    ),
    pytest.param(
        [
            received(D(2025, 3, 3)),
            *consult("c1", D(2025, 3, 10), D(2025, 3, 14)),
            *consult("c2", D(2025, 3, 12), D(2025, 3, 19), party="other_organ"),
        ],
        {},
        # overlapping: x 3-11..14 and x 3-13..19 -> union 3-11,12,13,14,17,18,19 (7).
        # d1-5 3-04..10, d6 Thu 3-20, d7 3-21, d8-12 3-24..28, d13 3-31, d14-16 4-01..03,
        # d17 4-07, d18 4-08, d19 4-09, d20 Thu 4-10
        {"reply_due_on": D(2025, 4, 10), "excluded_working_days": 7},
        id="overlapping-consultations-exclude-a-day-once",
    ),
    pytest.param(
        [
            received(D(2025, 3, 3)),
            *consult("c1", D(2025, 3, 4), D(2025, 3, 5)),
            *consult("c2", D(2025, 3, 10), D(2025, 3, 12)),
        ],
        {},
        # disjoint: d1 3-04, x 3-05, d2 3-06, d3 3-07, d4 3-10, x 3-11, 3-12, d5 3-13, d6 3-14,
        # d7-11 3-17..21, d12-16 3-24..28, d17 3-31, d18 4-01, d19 4-02, d20 Thu 4-03
        {"reply_due_on": D(2025, 4, 3), "excluded_working_days": 3},
        id="two-disjoint-consultations",
    ),
    pytest.param(
        [received(D(2026, 2, 9)), *consult("c1", D(2026, 2, 13), D(2026, 2, 25))],
        {},
        # Mon 2-09: d1-4 2-10..13 (sent Fri 2-13), x Sat 2-14 (make-up), [2-15..23 off],
        # x 2-24, x 2-25 (3); d5 Thu 2-26, d6 2-27, d7 Sat 2-28, d8-12 3-02..06,
        # d13-17 3-09..13, d18 3-16, d19 3-17, d20 Wed 3-18
        {"reply_due_on": D(2026, 3, 18), "excluded_working_days": 3},
        id="consultation-across-spring-festival-2026",
    ),
    pytest.param(
        [received(D(2025, 9, 22)), *consult("c1", D(2025, 9, 25), D(2025, 10, 5))],
        {},
        # Mon 9-22: d1 9-23, d2 9-24, d3 Thu 9-25 (sent); answered on holiday Sun 10-05:
        # x 9-26, Sun 9-28 (make-up), 9-29, 9-30 (4); d4 Thu 10-09, d5 10-10, d6 Sat 10-11,
        # d7-11 10-13..17, d12-16 10-20..24, d17 10-27, d18 10-28, d19 10-29, d20 Thu 10-30
        {"reply_due_on": D(2025, 10, 30), "excluded_working_days": 4},
        id="consultation-answered-on-a-holiday-2025",
    ),
    pytest.param(
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 31), D(2025, 4, 11))],
        {},
        # sent on the due date Mon 3-31 (d20): the excluded days come after it; due stays
        {"reply_due_on": D(2025, 3, 31), "excluded_working_days": 0},
        id="consultation-sent-on-the-due-date-moves-nothing",
    ),
    pytest.param(
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 28), D(2025, 4, 1))],
        {},
        # sent on d19 Fri 3-28, answered Tue 4-01: x 3-31, 4-01 (2); d20 Wed 4-02
        {"reply_due_on": D(2025, 4, 2), "excluded_working_days": 2},
        id="consultation-sent-the-day-before-the-due-date",
    ),
    # -- extension (Art 33(2)) -----------------------------------------------------------------
    pytest.param(
        [received(D(2025, 3, 3)), ev("extend", D(2025, 3, 28), days=20)],
        {},
        # d20 Mon 3-31, d21-23 4-01..03, [4-04..06 off], d24-28 4-07..11, d29-33 4-14..18,
        # d34-38 4-21..25, d39 Sun 4-27 (make-up), d40 Mon 4-28
        {"reply_due_on": D(2025, 4, 28), "extension_days": 20},
        id="extension-of-twenty-days-over-qingming-2025",
    ),
    pytest.param(
        [received(D(2025, 9, 1)), ev("extend", D(2025, 9, 26), days=5)],
        {},
        # Mon 9-01: d1-4 9-02..05, d5-9 9-08..12, d10-14 9-15..19, d15-19 9-22..26,
        # d20 Sun 9-28 (make-up). +5: d21 9-29, d22 9-30, d23 Thu 10-09, d24 10-10,
        # d25 Sat 10-11 (make-up)
        {"reply_due_on": D(2025, 10, 11), "extension_days": 5},
        id="extension-across-national-day-ends-on-make-up-saturday",
    ),
    pytest.param(
        [received(D(2025, 9, 1))],
        {},
        # the same receipt without extension: d20 is the make-up Sunday 9-28
        {"reply_due_on": D(2025, 9, 28)},
        id="due-on-a-make-up-sunday",
    ),
    pytest.param(
        [
            received(D(2025, 3, 3)),
            *consult("c1", D(2025, 3, 10), D(2025, 3, 14)),
            ev("extend", D(2025, 4, 3), days=10),
        ],
        {},
        # consultation row: d20 Mon 4-07; +10: d21-24 4-08..11, d25-29 4-14..18, d30 Mon 4-21
        {"reply_due_on": D(2025, 4, 21), "excluded_working_days": 4, "extension_days": 10},
        id="extension-after-a-consultation",
    ),
    pytest.param(
        [
            received(D(2025, 3, 3)),
            ev("extend", D(2025, 3, 28), days=5),
            *consult("c1", D(2025, 4, 1), D(2025, 4, 3)),
        ],
        {},
        # extended to d25: d20 3-31, d21 Tue 4-01 (sent), x 4-02, 4-03 (2), [4-04..06 off],
        # d22 Mon 4-07, d23 4-08, d24 4-09, d25 Thu 4-10
        {"reply_due_on": D(2025, 4, 10), "excluded_working_days": 2, "extension_days": 5},
        id="consultation-during-the-extension",
    ),
    # -- fee (国办函〔2020〕109号) -------------------------------------------------------------
    pytest.param(
        [
            received(D(2025, 3, 3)),
            ev("notify_fee", D(2025, 3, 10), notice_received_on=D(2025, 3, 12)),
            ev("receive_fee", D(2025, 3, 14)),
        ],
        {},
        # paused: x 3-11..14 (4), due Mon 4-07 as in the consultation row. Fee due: 20th wd
        # after 3-12: 3-13, 3-14 (2), 3-17..21 (7), 3-24..28 (12), 3-31 (13), 4-01..03 (16),
        # 4-07..10 (20) -> Thu 4-10
        {"reply_due_on": D(2025, 4, 7), "excluded_working_days": 4, "fee_due_on": D(2025, 4, 10)},
        id="fee-paid-pauses-the-clock",
    ),
    pytest.param(
        [
            received(D(2025, 3, 3)),
            ev("notify_fee", D(2025, 3, 10), notice_received_on=D(2025, 3, 12)),
            ev("receive_fee", D(2025, 3, 14)),
        ],
        {"fee_pauses_clock": False},
        # setting off: the reply clock runs on, due Mon 3-31; fee due unchanged Thu 4-10
        {"reply_due_on": D(2025, 3, 31), "excluded_working_days": 0, "fee_due_on": D(2025, 4, 10)},
        id="fee-does-not-pause-when-the-setting-is-off",
    ),
    pytest.param(
        [received(D(2025, 3, 3)), ev("notify_fee", D(2025, 3, 10))],
        {},
        # unpaid, received the day it was sent: fee due = 20th wd after 3-10: 3-11..14 (4),
        # 3-17..21 (9), 3-24..28 (14), 3-31 (15), 4-01..03 (18), 4-07, 4-08 (20) -> Tue 4-08.
        # x 3-11..4-08 (20). d1-5 3-04..10, d6 Wed 4-09, d7 4-10, d8 4-11, d9-13 4-14..18,
        # d14-18 4-21..25, d19 Sun 4-27 (make-up), d20 Mon 4-28
        {"reply_due_on": D(2025, 4, 28), "excluded_working_days": 20, "fee_due_on": D(2025, 4, 8)},
        id="fee-unpaid-excluded-up-to-the-fee-deadline",
    ),
    pytest.param(
        [
            received(D(2026, 2, 2)),
            ev("notify_fee", D(2026, 2, 6), notice_received_on=D(2026, 2, 9)),
            ev("receive_fee", D(2026, 2, 24)),
        ],
        {},
        # Mon 2-02: d1-4 2-03..06 (notice sent Fri 2-06); x 2-09..13, Sat 2-14, [2-15..23], 2-24
        # (7); d5 Wed 2-25, d6 2-26, d7 2-27, d8 Sat 2-28, d9-13 3-02..06, d14-18 3-09..13,
        # d19 Mon 3-16, d20 Tue 3-17. Fee due: 20th wd after Mon 2-09: 2-10..13 (4), 2-14 (5),
        # 2-24..27 (9), 2-28 (10), 3-02..06 (15), 3-09..13 (20) -> Fri 3-13
        {"reply_due_on": D(2026, 3, 17), "excluded_working_days": 7, "fee_due_on": D(2026, 3, 13)},
        id="fee-across-spring-festival-2026",
    ),
    # -- terminal events -----------------------------------------------------------------------
    pytest.param(
        [received(D(2025, 3, 3)), ev("issue_reply", D(2025, 3, 21))],
        {},
        # the reply stops the clock; the due date stays Mon 3-31
        {"reply_due_on": D(2025, 3, 31), "closed_on": D(2025, 3, 21)},
        id="reply-issued-in-time",
    ),
    pytest.param(
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 10)), ev("withdraw", D(2025, 3, 20))],
        {},
        # withdrawn while the consultation is open: due stays as computed (Tue 4-22)
        {"reply_due_on": D(2025, 4, 22), "closed_on": D(2025, 3, 20), "excluded_working_days": 15},
        id="withdrawn-during-a-consultation",
    ),
    pytest.param(
        [received(D(2026, 3, 5)), ev("reply_on_the_spot", D(2026, 3, 5))],
        {},
        # Thu 3-05: d1 3-06, d2-6 3-09..13, d7 Mon 3-16 (notice), d12-16 3-23..27, d17 3-30,
        # d18 3-31, d19 4-01, d20 Thu 4-02
        {
            "reply_due_on": D(2026, 4, 2),
            "correction_notice_due_on": D(2026, 3, 16),
            "closed_on": D(2026, 3, 5),
        },
        id="reply-on-the-spot",
    ),
    pytest.param(
        [
            received(D(2025, 3, 3)),
            ev("request_correction", D(2025, 3, 7), deadline_on=D(2025, 3, 21)),
            ev("abandon", D(2025, 3, 24)),
        ],
        {},
        # correction deadline passed: deemed abandoned; there never was a running reply period
        {
            "reply_due_on": None,
            "closed_on": D(2025, 3, 24),
            "correction_deadline_on": D(2025, 3, 21),
        },
        id="abandoned-after-the-correction-deadline",
    ),
    pytest.param(
        [
            received(D(2025, 3, 3)),
            ev("issue_reply", D(2025, 3, 21)),
            ev("extend", D(2025, 3, 24), days=5),
        ],
        {},
        # nothing after the terminal event counts
        {"reply_due_on": D(2025, 3, 31), "extension_days": 0, "closed_on": D(2025, 3, 21)},
        id="events-after-the-reply-are-ignored",
    ),
    # -- provisional years -------------------------------------------------------------------
    pytest.param(
        [received(D(2026, 12, 14))],
        {},
        # Mon 12-14-2026: d1-4 12-15..18, d5-9 12-21..25, d10-13 12-28..31, Fri 2027-01-01
        # estimated 元旦, d14-18 1-04..08, d19 Mon 1-11, d20 Tue 2027-01-12 -> provisional
        {"reply_due_on": D(2027, 1, 12), "provisional": True},
        id="due-in-2027-is-provisional",
    ),
    pytest.param(
        [received(D(2027, 9, 30))],
        {},
        # Thu 2027-09-30: Fri 10-01 estimated 国庆, weekend; d1 Mon 10-04, d5 10-08,
        # d6-10 10-11..15, d11-15 10-18..22, d16-20 10-25..29 -> Fri 10-29, provisional
        {"reply_due_on": D(2027, 10, 29), "provisional": True},
        id="national-day-2027-estimated",
    ),
    pytest.param(
        [received(D(2026, 11, 2))],
        {},
        # Mon 11-02-2026: d20 Mon 11-30, all in the official 2026
        {"reply_due_on": D(2026, 11, 30), "provisional": False},
        id="official-year-is-not-provisional",
    ),
]


@pytest.mark.parametrize(("events", "kwargs", "expected"), ROWS)
def test_compute_clock_hand_checked(events, kwargs, expected):
    result = compute_clock(events, LAW, **kwargs)
    actual = {name: getattr(result, name) for name in expected}
    assert actual == expected
    # The seed calendar gives the same answers for 2025–2026 (2027 is provisional in both).
    if not result.provisional:
        assert compute_clock(events, SEED, **kwargs) == result


# -- details of the result ------------------------------------------------------------------


def test_consultation_records_party_deadline_and_exclusion_end():
    events = [
        received(D(2025, 3, 3)),
        *consult("c1", D(2025, 3, 10), D(2025, 3, 14)),
        *consult("c2", D(2025, 3, 12), party="other_organ"),
    ]
    result = compute_clock(events, LAW)
    first, second = result.consultations
    # 15th wd after Mon 3-10: 3-11..14 (4), 3-17..21 (9), 3-24..28 (14), Mon 3-31 (15)
    assert (first.key, first.party, first.party_due_on) == ("c1", "third_party", D(2025, 3, 31))
    assert (first.answered_on, first.excluded_until) == (D(2025, 3, 14), D(2025, 3, 14))
    # 15th wd after Wed 3-12: 3-13, 3-14 (2), 3-17..21 (7), 3-24..28 (12), 3-31..4-02 (15)
    assert (second.party_due_on, second.answered_on, second.excluded_until) == (
        D(2025, 4, 2),
        None,
        D(2025, 4, 2),
    )
    # union x 3-11..4-02 = 3-11..14 (4) + 3-17..21 (9) + 3-24..28 (14) + 3-31..4-02 (17);
    # d1-5 3-04..10, d6 Thu 4-03, d7-11 4-07..11, d12-16 4-14..18, d17-20 4-21..24
    assert result.excluded_working_days == 17
    assert result.reply_due_on == D(2025, 4, 24)


def test_segments_tell_the_story_in_order():
    events = [
        received(D(2025, 3, 3)),
        ev("register", D(2025, 3, 3)),
        *consult("c1", D(2025, 3, 10), D(2025, 3, 14)),
        ev("extend", D(2025, 4, 3), days=10),
        ev("issue_reply", D(2025, 4, 18)),
    ]
    result = compute_clock(events, LAW)
    kinds = [segment.kind for segment in result.segments]
    assert kinds == [
        "receipt",
        "counting",
        "consultation",
        "counting",
        "extension",
        "closed",
        "due",
    ]
    receipt, counting1, consultation, counting2, _, closed, due = result.segments
    assert (counting1.start, counting1.end, counting1.working_days) == (
        D(2025, 3, 4),
        D(2025, 3, 10),
        5,
    )
    assert dict(counting1.detail) == {"first_day": 1, "last_day": 5}
    assert consultation.working_days == 4
    assert consultation.detail["first_excluded_on"] == D(2025, 3, 11)
    assert consultation.detail["last_excluded_on"] == D(2025, 3, 14)
    assert consultation.detail["moves_due"] is True
    assert (counting2.start, counting2.end, counting2.working_days) == (
        D(2025, 3, 17),
        D(2025, 4, 21),
        25,
    )
    assert due.start == D(2025, 4, 21)
    assert due.detail["excluded_working_days"] == 4
    assert closed.detail == {"event": "issue_reply", "in_time": True, "late_working_days": 0}
    assert receipt.detail["correction_notice_due_on"] == D(2025, 3, 12)


def test_late_reply_counts_working_days_late():
    # due Mon 3-31; replied Thu 4-03: 4-01, 4-02, 4-03 -> 3 working days late
    result = compute_clock([received(D(2025, 3, 3)), ev("issue_reply", D(2025, 4, 3))], LAW)
    closed = result.segments[-1]
    assert closed.kind == "closed"
    assert closed.detail["in_time"] is False
    assert closed.detail["late_working_days"] == 3


def test_provisional_segment_names_the_estimated_years():
    result = compute_clock([received(D(2026, 12, 14))], LAW)
    assert result.segments[-1].kind == "provisional"
    assert result.segments[-1].detail["years"] == (2027,)


def test_ignored_event_kinds_change_nothing():
    base = compute_clock([received(D(2025, 3, 3))], LAW)
    noisy = compute_clock(
        [
            received(D(2025, 3, 3)),
            ev("register", D(2025, 3, 3)),
            ev("assign", D(2025, 3, 4)),
            ev("claim", D(2025, 3, 5)),
            ev("urge", D(2025, 3, 20)),
            ev("propose", D(2025, 3, 21)),
            ev("approve", D(2025, 3, 24)),
        ],
        LAW,
    )
    assert noisy == base


@pytest.mark.parametrize(
    "events",
    [
        [
            received(D(2025, 3, 3)),
            ev("extend", D(2025, 3, 20), days=5),
            ev("extend", D(2025, 3, 21), days=5),
        ],
        [received(D(2025, 3, 3)), ev("extend", D(2025, 3, 20), days=21)],
        [received(D(2025, 3, 3)), ev("extend", D(2025, 3, 20), days=0)],
        [received(D(2025, 3, 3)), ev("extend", D(2025, 3, 20), days="5")],
        [received(D(2025, 3, 3)), ev("close_consultation", D(2025, 3, 20), consultation_id="x")],
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 4)), *consult("c1", D(2025, 3, 5))],
        [received(D(2025, 3, 3)), *consult("c1", D(2025, 3, 4), party="someone")],
        [received(D(2025, 3, 3)), ev("receive_fee", D(2025, 3, 20))],
        [ev("receive", D(2025, 3, 3), received_on="3 March")],
        [ev("confirm_receipt", D(2025, 3, 3))],
    ],
    ids=[
        "second-extension",
        "extension-too-long",
        "extension-zero",
        "extension-not-int",
        "close-unknown-consultation",
        "repeated-consultation-id",
        "unknown-party",
        "payment-without-notice",
        "malformed-date",
        "confirmation-without-date",
    ],
)
def test_inconsistent_histories_are_refused(events):
    with pytest.raises(ValueError):
        compute_clock(events, LAW)


# -- supervision ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "remaining", "level"),
    [
        (D(2025, 3, 3), 20, "on_track"),  # receipt day
        (D(2025, 3, 25), 4, "on_track"),  # 3-26, 27, 28, 31
        (D(2025, 3, 26), 3, "due_soon"),
        (D(2025, 3, 29), 1, "due_soon"),  # Sat: only Mon 3-31 left
        (D(2025, 3, 31), 0, "due_soon"),  # the due date itself
        (D(2025, 4, 1), -1, "overdue"),
        (D(2025, 4, 5), -3, "overdue"),  # holiday Sat: 4-01, 02, 03 passed
        (D(2025, 4, 7), -4, "overdue"),
    ],
)
def test_remaining_working_days_and_supervision_level(today, remaining, level):
    result = compute_clock([received(D(2025, 3, 3))], LAW)
    assert remaining_working_days(result, today, LAW) == remaining
    assert supervision_level(remaining) == level


def test_weekend_right_after_the_due_date_is_overdue():
    # receipt Fri 2-28: d1-5 3-03..07, d6-10 3-10..14, d11-15 3-17..21, d16-20 3-24..28;
    # on Sat 3-29 no working day has passed since the due date, yet the reply is late
    result = compute_clock([received(D(2025, 2, 28))], LAW)
    assert result.reply_due_on == D(2025, 3, 28)
    assert remaining_working_days(result, D(2025, 3, 29), LAW) == -1
    assert supervision_level(-1) == "overdue"


def test_no_remaining_days_without_a_running_clock():
    pending = compute_clock([ev("receive", D(2025, 3, 3))], LAW)
    replied = compute_clock([received(D(2025, 3, 3)), ev("issue_reply", D(2025, 3, 10))], LAW)
    assert remaining_working_days(pending, D(2025, 3, 4), LAW) is None
    assert remaining_working_days(replied, D(2025, 3, 11), LAW) is None
    assert supervision_level(None) == "none"
    assert supervision_level(5, due_soon_within=5) == "due_soon"


# -- explanation ------------------------------------------------------------------------------


@pytest.fixture
def django_i18n():
    """describe_segment uses Django's gettext; without pytest-django, configure a bare minimum."""
    from django.conf import settings as django_settings

    if not django_settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
        django_settings.configure(USE_I18N=False)


def test_format_date_has_no_zero_padding():
    assert format_date(D(2026, 3, 5)) == "2026年3月5日"
    assert format_date(D(2025, 10, 11)) == "2025年10月11日"


def test_explain_is_json_safe_and_describes_every_segment(django_i18n):
    import json

    events = [
        received(D(2025, 3, 3)),
        ev("request_correction", D(2025, 3, 7), deadline_on=D(2025, 3, 21)),
        ev("receive_correction", D(2025, 3, 17)),
        *consult("c1", D(2025, 3, 20), D(2025, 3, 26)),
        *consult("c2", D(2025, 3, 24), party="other_organ"),
        *consult("c3", D(2025, 3, 25), D(2025, 3, 25)),
        ev("notify_fee", D(2025, 3, 27)),
        ev("receive_fee", D(2025, 4, 1)),
        ev("extend", D(2025, 4, 10), days=10),
        ev("issue_reply", D(2025, 6, 30)),
    ]
    result = compute_clock(events, LAW)
    with translation.override("en"):  # the msgids; the zh-hans catalogue is tested elsewhere
        rows = explain(result)
    assert json.loads(json.dumps(rows)) == rows
    assert [row["kind"] for row in rows] == [segment.kind for segment in result.segments]
    for row in rows:
        assert row["text"]
        assert "{" not in row["text"]
    assert rows[0]["text"].startswith("Received on 2025年3月3日")
    assert any("2025年3月17日" in row["text"] for row in rows if row["kind"] == "restart")
    assert rows[0]["start"] == "2025-03-03"
    consultation = next(row for row in rows if row["kind"] == "consultation")
    # 15th wd after Thu 3-20: 3-21 (1), 3-24..28 (6), 3-31..4-03 (10), [4-04..06], 4-07..11 (15)
    assert consultation["detail"]["party_due_on"] == "2025-04-11"


@pytest.mark.parametrize(
    "segment",
    [
        Segment("awaiting_confirmation", D(2026, 1, 30), None, None, {}),
        Segment(
            "correction", D(2025, 3, 7), None, None, {"deadline_on": None, "corrected_on": None}
        ),
        Segment("counting", D(2025, 3, 4), D(2025, 3, 4), 1, {"first_day": 1, "last_day": 1}),
        Segment("extension", D(2025, 3, 28), None, 1, {"days": 1}),
        Segment(
            "fee",
            D(2025, 3, 10),
            None,
            0,
            {"paused": False, "fee_due_on": D(2025, 4, 8), "open": True, "moves_due": False},
        ),
        Segment("closed", D(2025, 3, 5), D(2025, 3, 5), None, {"event": "withdraw"}),
        Segment("closed", D(2025, 3, 5), D(2025, 3, 5), None, {"event": "abandon"}),
        Segment("closed", D(2025, 3, 5), D(2025, 3, 5), None, {"event": "reply_on_the_spot"}),
        Segment(
            "closed",
            D(2025, 4, 3),
            D(2025, 4, 3),
            None,
            {"event": "issue_reply", "late_working_days": 3},
        ),
        Segment("provisional", D(2027, 1, 1), D(2027, 1, 12), None, {"years": (2027,)}),
    ],
    ids=lambda segment: segment.kind,
)
def test_describe_segment_variants(django_i18n, segment):
    text = describe_segment(segment)
    assert format_date(segment.start) in text or segment.kind == "provisional"
    assert "{" not in text


def test_describe_segment_refuses_unknown_kinds(django_i18n):
    with pytest.raises(ValueError, match="unknown segment kind"):
        describe_segment(Segment("mystery", D(2025, 3, 3), None, None, {}))


# -- properties (hypothesis) ---------------------------------------------------------------------

receipts = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31))


def naive_due(calendar: WorkingCalendar, day0: date, target: int, excluded: set[date]) -> date:
    """Day-by-day reference: the target-th working day after day 0 that is not excluded."""
    day = day0
    while target:
        day += timedelta(days=1)
        if calendar.is_working_day(day) and day not in excluded:
            target -= 1
    return day


def naive_excluded(calendar: WorkingCalendar, sent: date, answered: date | None) -> set[date]:
    """Working days after `sent` up to the answer, capped at the 15th working day after `sent`."""
    cap = sent
    for _ in range(15):
        cap += timedelta(days=1)
        while not calendar.is_working_day(cap):
            cap += timedelta(days=1)
    last = cap if answered is None else min(answered, cap)
    days = set()
    day = sent + timedelta(days=1)
    while day <= last:
        if calendar.is_working_day(day):
            days.add(day)
        day += timedelta(days=1)
    return days


@st.composite
def consultation_plans(draw: st.DrawFn) -> tuple[date, list[tuple[int, int | None]]]:
    receipt = draw(receipts)
    plans = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=40),
                st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
            ),
            max_size=4,
        )
    )
    return receipt, plans


def _consultation_events(receipt: date, plans: list[tuple[int, int | None]]) -> list[ClockEvent]:
    events = [received(receipt)]
    for i, (offset, length) in enumerate(plans):
        sent = receipt + timedelta(days=offset)
        answered = None if length is None else sent + timedelta(days=length)
        events += consult(f"c{i}", sent, answered)
    return events


@settings(max_examples=300)
@given(consultation_plans())
def test_due_matches_a_day_by_day_model(plan):
    receipt, plans = plan
    events = _consultation_events(receipt, plans)
    excluded: set[date] = set()
    for offset, length in plans:
        sent = receipt + timedelta(days=offset)
        excluded |= naive_excluded(
            LAW, sent, None if length is None else sent + timedelta(days=length)
        )
    result = compute_clock(events, LAW)
    assert result.reply_due_on == naive_due(LAW, receipt, 20, excluded)
    due = result.reply_due_on
    assert result.excluded_working_days == sum(1 for day in excluded if day <= due)


@settings(max_examples=200)
@given(consultation_plans())
def test_an_excluded_period_never_makes_the_due_date_earlier(plan):
    receipt, plans = plan
    without = compute_clock([received(receipt)], LAW)
    with_exclusions = compute_clock(_consultation_events(receipt, plans), LAW)
    assert with_exclusions.reply_due_on >= without.reply_due_on
    # Adding one more consultation never makes it earlier either.
    more = _consultation_events(receipt, plans) + consult("extra", receipt + timedelta(days=3))
    assert compute_clock(more, LAW).reply_due_on >= with_exclusions.reply_due_on


@given(first=receipts, later_by=st.integers(min_value=0, max_value=60))
def test_a_later_receipt_never_gives_an_earlier_due_date(first, later_by):
    second = first + timedelta(days=later_by)
    assert (
        compute_clock([received(second)], LAW).reply_due_on
        >= compute_clock([received(first)], LAW).reply_due_on
    )


@given(
    receipt=receipts,
    d1=st.integers(min_value=1, max_value=20),
    d2=st.integers(min_value=1, max_value=20),
)
def test_longer_extension_never_gives_an_earlier_due_date(receipt, d1, d2):
    d1, d2 = sorted((d1, d2))

    def due(days: int) -> date | None:
        events = [received(receipt), ev("extend", receipt + timedelta(days=5), days=days)]
        return compute_clock(events, LAW).reply_due_on

    assert due(d1) <= due(d2)


@given(
    receipt=receipts,
    notice_after=st.integers(min_value=0, max_value=25),
    paid_after=st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
)
def test_fee_pause_never_makes_the_due_date_earlier(receipt, notice_after, paid_after):
    notice = receipt + timedelta(days=notice_after)
    events = [received(receipt), ev("notify_fee", notice)]
    if paid_after is not None:
        events.append(ev("receive_fee", notice + timedelta(days=paid_after)))
    paused = compute_clock(events, LAW)
    running = compute_clock(events, LAW, fee_pauses_clock=False)
    assert paused.reply_due_on >= running.reply_due_on
    assert running.reply_due_on == LAW.add_working_days(receipt, 20)
    assert paused.fee_due_on == running.fee_due_on == LAW.add_working_days(notice, 20)


@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2027, 12, 31)),
    n=st.integers(min_value=0, max_value=80),
)
def test_add_working_days_agrees_with_a_naive_loop(start, n):
    day, left = start, n
    while left:
        day += timedelta(days=1)
        if SEED.is_working_day(day):
            left -= 1
    assert SEED.add_working_days(start, n) == day


def test_result_is_frozen():
    result = compute_clock([received(D(2025, 3, 3))], LAW)
    assert isinstance(result, ClockResult)
    with pytest.raises(AttributeError):
        result.reply_due_on = None  # type: ignore[misc]
