"""The application clock: status and deadline from events (条例 Art. 30–34, fee measure)."""

from datetime import date

import pytest

from gongkai.clock import (
    FEE_UNPAID,
    NO_CORRECTION,
    OUTCOMES,
    Event,
    Rules,
    allowed,
    state,
)
from gongkai.workdays import DEFAULT, Calendar, Overrides

D = date.fromisoformat


def ev(*items):
    """ev(("received", "2025-09-26"), ("extension_approved", "2025-10-20", {"working_days": 5}))"""
    return [Event(kind, D(day), data[0] if data else {}) for kind, day, *data in items]


RECEIVED = ("received", "2025-09-26")  # 20 working days → 2025-10-30 over 国庆+中秋


def test_outcomes_are_the_21_result_rows_of_table_3():
    assert len(OUTCOMES) == 21 and len(set(OUTCOMES)) == 21
    assert "partially_granted" in OUTCOMES and "granted" in OUTCOMES
    assert "handled_total" not in OUTCOMES  # the （七）总计 row is a sum, not an outcome
    assert (NO_CORRECTION, FEE_UNPAID) == ("other_no_correction", "other_fee_unpaid")


def test_just_received():
    s = state(ev(RECEIVED), DEFAULT, D("2025-10-09"))
    assert s.status == "registered"
    assert s.due.due == D("2025-10-30")
    assert s.working_days_left == 16  # 10-10, 10-11 (调休), 10-13…10-30
    assert not s.overdue and not s.provisional and s.warnings == ()
    assert "跳过10-01…10-08" in s.explain()


def test_due_day_and_overdue():
    assert state(ev(RECEIVED), DEFAULT, D("2025-10-30")).working_days_left == 0
    s = state(ev(RECEIVED), DEFAULT, D("2025-11-03"))
    assert s.overdue and s.working_days_left == -2


def test_restart_after_correction():
    events = ev(("received", "2025-09-01"), ("correction_requested", "2025-09-03"))
    waiting = state(events, DEFAULT, D("2025-09-05"))
    assert waiting.status == "awaiting_correction"
    assert waiting.due is None and waiting.working_days_left is None and not waiting.overdue
    events += ev(("correction_received", "2025-09-10"))
    s = state(events, DEFAULT, D("2025-09-11"))
    assert s.status == "in_progress"
    # 20 working days from 09-11: includes the make-up Sunday 09-28, skips 10-01…10-08
    assert s.due.start == D("2025-09-10") and s.due.due == D("2025-10-14")
    assert "重新起算" in s.explain()
    assert s.warnings == ()


def test_late_correction_request_warns():
    events = ev(("received", "2025-09-01"), ("correction_requested", "2025-09-11"))
    s = state(events, DEFAULT, D("2025-09-11"))
    assert s.status == "awaiting_correction"
    assert any("7个工作日" in w and "2025-09-10" in w for w in s.warnings)


def test_extension():
    events = ev(("received", "2025-06-03"), ("extension_approved", "2025-06-20", {"working_days": 20}))
    s = state(events, DEFAULT, D("2025-06-20"))
    assert s.status == "in_progress"
    assert s.due.working_days == 40 and s.due.due == D("2025-07-29")  # 20 → 07-01, 40 → 07-29
    assert "延期20个工作日" in s.explain() and "20 + 延期20 = 40" in s.explain()


def test_consultation_pause_moves_the_deadline():
    events = ev(RECEIVED, ("consultation_sent", "2025-10-09"), ("consultation_answered", "2025-10-15"))
    s = state(events, DEFAULT, D("2025-10-16"))
    assert s.status == "in_progress"
    # (10-09, 10-15] holds 5 working days: 10-10, 10-11 (调休), 10-13, 10-14, 10-15
    assert s.due.due == D("2025-11-06")
    assert "不计入5个工作日" in s.explain()


def test_clock_is_frozen_while_consulting():
    before = state(ev(RECEIVED), DEFAULT, D("2025-10-09")).working_days_left
    events = ev(RECEIVED, ("consultation_sent", "2025-10-09"))
    s = state(events, DEFAULT, D("2025-10-20"))
    assert s.status == "consulting" and s.paused
    assert s.working_days_left == before == 16
    assert s.due.due > D("2025-10-30")


def test_unanswered_consultation_lapses_after_15_working_days():
    events = ev(RECEIVED, ("consultation_sent", "2025-10-09"))
    s = state(events, DEFAULT, D("2025-11-10"))
    assert s.status == "in_progress"
    assert s.due.working_days == 35 and s.due.due == D("2025-11-20")  # 15 paused days
    assert any("15个工作日" in w for w in s.warnings)
    # recording the lapse afterwards is still allowed and changes nothing
    assert allowed(events, "consultation_lapsed", DEFAULT, D("2025-11-10")) == (True, "")
    later = state(events + ev(("consultation_lapsed", "2025-11-10")), DEFAULT, D("2025-11-10"))
    assert later.due.due == D("2025-11-20")


def test_fee_pause():
    events = ev(RECEIVED, ("fee_notice_sent", "2025-10-09"))
    waiting = state(events, DEFAULT, D("2025-10-13"))
    assert waiting.status == "awaiting_fee" and waiting.working_days_left == 16
    events += ev(("fee_paid", "2025-10-15"))
    s = state(events, DEFAULT, D("2025-10-16"))
    assert s.status == "in_progress" and s.due.due == D("2025-11-06")
    assert "等待缴纳信息处理费" in s.explain()


def test_fee_unpaid_warns_after_the_payment_window():
    events = ev(RECEIVED, ("fee_notice_sent", "2025-10-09"))
    s = state(events, DEFAULT, D("2025-11-10"))
    assert any("可登记逾期未缴费" in w for w in s.warnings)


def test_fee_lapse_closes_the_case():
    events = ev(RECEIVED, ("fee_notice_sent", "2025-10-09"), ("fee_lapsed", "2025-11-10"))
    s = state(events, DEFAULT, D("2025-11-11"))
    assert s.status == "closed" and s.outcome == FEE_UNPAID and s.closed_on == D("2025-11-10")
    assert s.working_days_left is None and not s.overdue


def test_abandoned_after_no_correction():
    events = ev(RECEIVED, ("correction_requested", "2025-09-29"), ("abandoned", "2025-11-03"))
    s = state(events, DEFAULT, D("2025-11-03"))
    assert s.status == "closed" and s.outcome == NO_CORRECTION


@pytest.mark.parametrize("answered, overdue", [("2025-10-30", False), ("2025-10-31", True)])
def test_answered_on_time_or_late(answered, overdue):
    events = ev(RECEIVED, ("answered", answered, {"outcome": "partially_granted"}))
    s = state(events, DEFAULT, D("2025-12-31"))
    assert s.status == "closed" and s.outcome == "partially_granted"
    assert s.closed_on == D(answered) and s.overdue is overdue


def test_answer_during_consultation_ends_it():
    events = ev(RECEIVED, ("consultation_sent", "2025-10-09"),
                ("answered", "2025-10-15", {"outcome": "withheld_third_party_rights"}))
    s = state(events, DEFAULT, D("2025-10-20"))
    assert s.status == "closed" and s.due.due == D("2025-11-06") and not s.overdue


def test_withdrawn():
    s = state(ev(RECEIVED, ("withdrawn", "2025-10-09")), DEFAULT, D("2025-10-20"))
    assert s.status == "withdrawn" and s.closed_on == D("2025-10-09") and s.outcome is None


def test_deadline_in_unknown_year_is_provisional():
    s = state(ev(("received", "2026-12-10")), DEFAULT, D("2026-12-11"))
    assert s.provisional and s.unknown_years == (2027,)
    assert any("2027年" in w and "暂定" in w for w in s.warnings)
    known = Calendar(Overrides(complete_years=frozenset({2027})))
    assert not state(ev(("received", "2026-12-10")), known, D("2026-12-11")).provisional


def test_state_as_of_a_past_day_ignores_later_events():
    events = ev(RECEIVED, ("answered", "2025-10-20", {"outcome": "granted"}))
    assert state(events, DEFAULT, D("2025-10-10")).status == "registered"
    assert state(events, DEFAULT, D("2025-10-20")).status == "closed"


def test_no_received_event_is_an_error():
    with pytest.raises(ValueError):
        state([], DEFAULT, D("2025-10-10"))


def test_rules_are_data():
    s = state(ev(RECEIVED), DEFAULT, D("2025-09-26"), rules=Rules(answer_days=15))
    assert s.due.working_days == 15


@pytest.mark.parametrize(
    "history, kind, data, reason",
    [
        ([("extension_approved", "2025-10-09", {"working_days": 5})], "extension_approved",
         {"working_days": 5}, "只能延期一次"),
        ([], "extension_approved", {"working_days": 21}, "不得超过20个工作日"),
        ([], "extension_approved", {}, "须注明延期的工作日数"),
        ([("correction_requested", "2025-09-29"), ("correction_received", "2025-10-09")],
         "correction_requested", {}, "补正只能一次性告知"),
        ([("answered", "2025-10-09", {"outcome": "granted"})], "answered",
         {"outcome": "granted"}, "已于 2025-10-09 办结"),
        ([("withdrawn", "2025-10-09")], "consultation_sent", {}, "撤回"),
        ([("withdrawn", "2025-10-09")], "answered", {"outcome": "granted"}, "撤回"),
        ([], "fee_paid", {}, "未发出收费通知"),
        ([], "fee_lapsed", {}, "未发出收费通知"),
        ([], "answered", {"outcome": "partly_disclosed"}, "不是年度报告表三的21种情形之一"),
        ([], "answered", {"outcome": ["partially_granted", "withheld_state_secret"]},
         "区分处理的只计“部分公开”"),
        ([], "answered", {}, "须选择办理结果"),
        ([], "answered", {"outcome": "other_fee_unpaid"}, "由相应事件登记"),
        ([], "correction_received", {}, "没有待补正的要求"),
        ([], "abandoned", {}, "只有在等待补正时"),
        ([], "consultation_answered", {}, "没有进行中的征询"),
        ([], "received", {}, "不能重复登记"),
        ([("fee_notice_sent", "2025-10-09")], "answered", {"outcome": "granted"}, "正在等待缴费"),
        ([("fee_notice_sent", "2025-10-09"), ("fee_paid", "2025-10-10")], "fee_notice_sent", {},
         "已发出过收费通知"),
        ([("correction_requested", "2025-09-29")], "extension_approved", {"working_days": 5},
         "正在等待申请人补正"),
        ([("consultation_sent", "2025-10-09")], "fee_notice_sent", {}, "正在征询意见"),
        ([], "stamp_duty_paid", {}, "未知的事件类型"),
    ],
)
def test_refused_events(history, kind, data, reason):
    events = ev(RECEIVED, *history)
    ok, why = allowed(events, kind, DEFAULT, D("2025-10-13"), data)
    assert not ok and reason in why


def test_event_before_receipt_and_backdated_events_are_refused():
    ok, why = allowed([], "answered", DEFAULT, D("2025-10-13"), {"outcome": "granted"})
    assert not ok and "尚未登记收到申请" in why
    ok, why = allowed(ev(RECEIVED, ("consultation_sent", "2025-10-14")), "consultation_answered",
                      DEFAULT, D("2025-10-13"))
    assert not ok and "早于已登记的事件" in why


@pytest.mark.parametrize(
    "history, kind, data",
    [
        ([], "extension_approved", {"working_days": 20}),
        ([], "correction_requested", {}),
        ([], "answered", {"outcome": "partially_granted"}),
        ([("fee_notice_sent", "2025-10-09")], "fee_paid", {}),
        ([("consultation_sent", "2025-10-09")], "consultation_sent", {}),
        ([("consultation_sent", "2025-10-09")], "withdrawn", {}),
        ([("correction_requested", "2025-09-29")], "correction_received", {}),
    ],
)
def test_allowed_events(history, kind, data):
    assert allowed(ev(RECEIVED, *history), kind, DEFAULT, D("2025-10-13"), data) == (True, "")


def test_state_ignores_a_refused_event_with_a_warning():
    events = ev(RECEIVED, ("extension_approved", "2025-10-09", {"working_days": 10}),
                ("extension_approved", "2025-10-10", {"working_days": 10}))
    s = state(events, DEFAULT, D("2025-10-13"))
    assert s.due.working_days == 30
    assert any("已忽略" in w and "只能延期一次" in w for w in s.warnings)


def test_two_overlapping_consultations_pause_once():
    events = ev(RECEIVED, ("consultation_sent", "2025-10-09"), ("consultation_sent", "2025-10-10"),
                ("consultation_answered", "2025-10-13"), ("consultation_answered", "2025-10-15"))
    s = state(events, DEFAULT, D("2025-10-16"))
    assert s.status == "in_progress" and s.due.due == D("2025-11-06")  # (10-09, 10-15]: 5 days


def test_bad_event_values_are_refused():
    with pytest.raises(ValueError):
        Event("received", "2025-09-26")
    with pytest.raises(ValueError):
        Event("teleported", D("2025-09-26"))


def test_correction_period_given_to_the_applicant():
    events = ev(RECEIVED, ("correction_requested", "2025-09-29", {"until": "2025-10-20"}))
    ok, why = allowed(events, "abandoned", DEFAULT, D("2025-10-20"))
    assert not ok and "补正期限（2025-10-20）未满" in why
    assert state(events, DEFAULT, D("2025-10-20")).warnings == ()
    late = state(events, DEFAULT, D("2025-10-21"))
    assert any("可登记为逾期不补正" in w for w in late.warnings)
    assert allowed(events, "abandoned", DEFAULT, D("2025-10-21")) == (True, "")


def test_bad_correction_period_is_refused():
    ok, why = allowed(ev(RECEIVED), "correction_requested", DEFAULT, D("2025-09-29"),
                      {"until": "next week"})
    assert not ok and "日期" in why


def test_state_as_json():
    s = state(ev(RECEIVED, ("answered", "2025-10-20", {"outcome": "granted"})), DEFAULT,
              D("2025-12-31"))
    obj = s.to_dict()
    assert obj["status"] == "closed" and obj["due"] == "2025-10-30"
    assert obj["closed_on"] == "2025-10-20" and obj["outcome"] == "granted"
    assert "跳过10-01…10-08" in obj["explanation"]


def test_a_refused_event_changes_nothing():
    bad = ev(RECEIVED, ("correction_requested", "2025-09-29", {"until": "soon"}))
    s = state(bad, DEFAULT, D("2025-10-09"))
    assert s.status == "registered" and s.due.due == D("2025-10-30")
    assert any("已忽略" in w for w in s.warnings)


def test_withdrawn_during_consultation_stays_withdrawn():
    events = ev(RECEIVED, ("consultation_sent", "2025-10-09"), ("withdrawn", "2025-10-10"))
    s = state(events, DEFAULT, D("2025-12-31"))
    assert s.status == "withdrawn" and s.closed_on == D("2025-10-10")
