"""The statutory clock of one disclosure application, computed from its events.

`state(events, calendar, today)` replays the append-only events of an application and says
where it stands: status, answer deadline (with every adjustment explained), working days
left, outcome. `allowed(events, kind, calendar, today, data)` says whether the statute lets
the next event happen now, with the reason in Chinese when it does not. Both share one
replay, so what `allowed` accepts is exactly what `state` understands.

The rules (REGULATIONS.md §1.2–1.3, §2.4):
- answer within 20 working days, counted from the day after receipt (条例 Art. 33, 民法典 201);
- one correction request (补正), due within 7 working days of receipt; the clock restarts
  from the day after the corrected application arrives (Art. 30);
- consultation time is not counted (Art. 32–34); an unanswered consultation lapses after
  15 working days and the clock runs again;
- time waiting for the fee is not counted; an unpaid fee ends the case (fee measure);
- one extension of at most 20 working days (Art. 33).

The numbers are a `Rules` value, so a locality or a future revision changes data, not code.
The outcome is one of the 21 result rows of table 三 (2021 format), taken from
`gongkai.annual.formats`. Pure Python: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gongkai.annual.formats import FORMAT_2021, OTHER
from gongkai.workdays import Calendar, Deadline

# -- outcomes: the result rows of table 三 -------------------------------------------------

_TABLE3 = FORMAT_2021.table_for_section(3)
_RESULT_SUM = next(s for s in _TABLE3.sums if s.along == "column")
# The rows summed into （七）总计, without the collapsed （六） that some reports print.
OUTCOMES: tuple[str, ...] = tuple(k for k in _RESULT_SUM.parts if not _TABLE3.row(k).replaces)
# （六）其他处理 1 and 2, in the format's order: no correction (Art. 30), fee unpaid.
NO_CORRECTION, FEE_UNPAID = [r.key for r in _TABLE3.rows if r.groups[-1:] == (OTHER,)][:2]
# Set by their own events, never chosen in an answer.
AUTOMATIC_OUTCOMES = frozenset({NO_CORRECTION, FEE_UNPAID})

# -- events ------------------------------------------------------------------------------

RECEIVED = "received"
CORRECTION_REQUESTED = "correction_requested"
CORRECTION_RECEIVED = "correction_received"
CONSULTATION_SENT = "consultation_sent"
CONSULTATION_ANSWERED = "consultation_answered"
CONSULTATION_LAPSED = "consultation_lapsed"
EXTENSION_APPROVED = "extension_approved"
FEE_NOTICE_SENT = "fee_notice_sent"
FEE_PAID = "fee_paid"
FEE_LAPSED = "fee_lapsed"
ANSWERED = "answered"
ABANDONED = "abandoned"
WITHDRAWN = "withdrawn"

KIND_ZH = {
    RECEIVED: "收到申请",
    CORRECTION_REQUESTED: "要求补正",
    CORRECTION_RECEIVED: "收到补正",
    CONSULTATION_SENT: "发出征询",
    CONSULTATION_ANSWERED: "征询答复",
    CONSULTATION_LAPSED: "征询逾期",
    EXTENSION_APPROVED: "批准延期",
    FEE_NOTICE_SENT: "发出收费通知",
    FEE_PAID: "缴纳费用",
    FEE_LAPSED: "逾期未缴费",
    ANSWERED: "答复",
    ABANDONED: "逾期不补正",
    WITHDRAWN: "撤回申请",
}
KINDS = frozenset(KIND_ZH)

# -- statuses ----------------------------------------------------------------------------

REGISTERED = "registered"
AWAITING_CORRECTION = "awaiting_correction"
CONSULTING = "consulting"
AWAITING_FEE = "awaiting_fee"
IN_PROGRESS = "in_progress"
CLOSED = "closed"
WITHDRAWN_STATUS = "withdrawn"
STATUSES = (REGISTERED, AWAITING_CORRECTION, CONSULTING, AWAITING_FEE, IN_PROGRESS, CLOSED,
            WITHDRAWN_STATUS)
RUNNING = (REGISTERED, IN_PROGRESS)
STATUS_ZH = {
    REGISTERED: "已登记",
    AWAITING_CORRECTION: "等待补正",
    CONSULTING: "征询意见中",
    AWAITING_FEE: "等待缴费",
    IN_PROGRESS: "办理中",
    CLOSED: "已办结",
    WITHDRAWN_STATUS: "已撤回",
}


@dataclass(frozen=True)
class Event:
    kind: str
    date: date
    data: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")
        if not isinstance(self.date, date) or hasattr(self.date, "hour"):
            raise ValueError(f"event date must be a datetime.date, got {self.date!r}")
        if not isinstance(self.data, Mapping):
            raise ValueError(f"event data must be a mapping, got {self.data!r}")


@dataclass(frozen=True)
class Rules:
    answer_days: int = 20  # Art. 33 ¶2
    extension_max: int = 20  # Art. 33 ¶2
    correction_notice_days: int = 7  # Art. 30
    consultation_days: int = 15  # Art. 32, 34
    fee_payment_days: int = 20  # fee measure, UNCONFIRMED (REGULATIONS.md §2.4)


NATIONAL = Rules()


@dataclass(frozen=True)
class ApplicationState:
    status: str
    received: date | None
    due: Deadline | None  # None while waiting for a correction: the clock will restart
    working_days_left: int | None  # negative when overdue; None when closed or restarting
    overdue: bool  # open: past due; closed: answered after the due date
    provisional: bool
    unknown_years: tuple[int, ...]
    outcome: str | None
    closed_on: date | None
    warnings: tuple[str, ...] = ()
    adjustments: tuple[str, ...] = ()

    @property
    def paused(self) -> bool:
        return self.status in (CONSULTING, AWAITING_FEE)

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "received": self.received and self.received.isoformat(),
            "due": self.due and self.due.due.isoformat(),
            "working_days_left": self.working_days_left,
            "overdue": self.overdue,
            "provisional": self.provisional,
            "unknown_years": list(self.unknown_years),
            "outcome": self.outcome,
            "closed_on": self.closed_on and self.closed_on.isoformat(),
            "warnings": list(self.warnings),
            "explanation": self.explain(),
        }

    def explain(self) -> str:
        """Every adjustment of the deadline, then the working-day count itself."""
        lines = list(self.adjustments)
        if self.due is not None:
            lines.append(self.due.explain())
        return "\n".join(lines)


# -- the replay ----------------------------------------------------------------------------


@dataclass
class _Consultation:
    sent: date
    lapses: date  # the last day of its 15 working days
    ended: date | None = None  # when the pause for it ended (answer, lapse)
    recorded: bool = False  # an answered/lapsed event was recorded for it


class _Refused(Exception):
    pass


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _Refused(f"日期“{value}”无效，应为 YYYY-MM-DD") from None


def _d(d: date) -> str:
    return d.isoformat()


class _Case:
    def __init__(self, cal: Calendar, rules: Rules):
        self.cal, self.rules = cal, rules
        self.status: str | None = None
        self.received: date | None = None
        self.base: date | None = None  # the clock counts from the day after this
        self.paused_days = 0  # working days not counted since `base`
        self.pause_since: date | None = None
        self.pause_counts = True  # False: the pause began after the due date
        self.consultations: list[_Consultation] = []
        self.correction_requested = False
        self.correction_until: date | None = None  # the applicant's period to correct
        self.extension = 0
        self.fee_notice: date | None = None
        self.fee_paid = False
        self.outcome: str | None = None
        self.closed_on: date | None = None
        self.last: date | None = None
        self.warnings: list[str] = []
        self.adjustments: list[str] = []

    # -- helpers

    def due(self, extra: int = 0) -> Deadline:
        return self.cal.add_working_days(
            self.base, self.rules.answer_days + self.extension + self.paused_days + extra)

    def _open(self) -> list[_Consultation]:
        return [c for c in self.consultations if c.ended is None]

    def _start_pause(self, t: date) -> None:
        if self.pause_since is None:
            self.pause_since = t
            self.pause_counts = t <= self.due().due
            if not self.pause_counts:
                self.warnings.append(f"{_d(t)} 暂停计时时答复期限（{_d(self.due().due)}）已届满，"
                                     "暂停的时间不再顺延期限")

    def _end_pause(self, t: date, what: str) -> None:
        if self.pause_since is None:
            return
        n = self.cal.working_days_between(self.pause_since, t)
        if self.pause_counts:
            self.paused_days += n
            self.adjustments.append(f"{what}：{_d(self.pause_since)} 至 {_d(t)}，不计入{n}个工作日")
        self.pause_since = None

    def settle(self, t: date) -> None:
        """Consultations whose 15 working days ran out before `t` lapse by themselves."""
        if self.status != CONSULTING:
            return
        for c in self._open():
            if c.lapses < t:
                c.ended = c.lapses
                if not self._open():
                    self._end_pause(c.lapses, f"征询意见（满{self.rules.consultation_days}个工作日逾期）")
                    self.status = IN_PROGRESS
                self.warnings.append(f"{_d(c.sent)} 发出的征询至 {_d(c.lapses)} 满"
                                     f"{self.rules.consultation_days}个工作日未获答复，此后恢复计时")

    # -- one event

    def apply(self, e: Event) -> None:
        t, kind = e.date, e.kind
        name = KIND_ZH[kind]
        if self.status is None:
            if kind != RECEIVED:
                raise _Refused("尚未登记收到申请")
        elif self.status == WITHDRAWN_STATUS:
            raise _Refused(f"申请已于 {_d(self.closed_on)} 撤回，不能再登记{name}")
        elif self.status == CLOSED:
            raise _Refused(f"申请已于 {_d(self.closed_on)} 办结，不能再登记{name}")
        if self.last is not None and t < self.last:
            raise _Refused(f"{name}的日期 {_d(t)} 早于已登记的事件（{_d(self.last)}）")
        if self.status is not None:
            self.settle(t)
        getattr(self, "_" + kind)(t, e.data)
        self.last = t

    def _require(self, statuses: tuple[str, ...], why: str) -> None:
        if self.status not in statuses:
            raise _Refused(why)

    def _received(self, t: date, data: Mapping) -> None:
        if self.status is not None:
            raise _Refused("已登记收到申请，不能重复登记")
        self.status, self.received, self.base = REGISTERED, t, t
        self.adjustments.append(f"{_d(t)} 收到申请，自次日起算{self.rules.answer_days}个工作日"
                                "（条例第三十三条）")

    def _correction_requested(self, t: date, data: Mapping) -> None:
        if self.correction_requested:
            raise _Refused("补正只能一次性告知（条例第三十条），不能再次要求补正")
        self._require(RUNNING, self._busy("要求补正"))
        until = _as_date(data.get("until"))  # refusals come before any change of state
        limit = self.cal.add_working_days(self.received, self.rules.correction_notice_days).due
        if t > limit:
            self.warnings.append(f"补正通知（{_d(t)}）晚于收到申请之日起"
                                 f"{self.rules.correction_notice_days}个工作日（应不迟于 {_d(limit)}）")
        self.correction_requested, self.status = True, AWAITING_CORRECTION
        self.correction_until = until

    def _correction_received(self, t: date, data: Mapping) -> None:
        self._require((AWAITING_CORRECTION,), "没有待补正的要求，不能登记收到补正")
        self.base, self.paused_days, self.status = t, 0, IN_PROGRESS
        self.adjustments.append(f"{_d(t)} 收到补正后的申请，自次日重新起算"
                                f"{self.rules.answer_days}个工作日（条例第三十条）")

    def _abandoned(self, t: date, data: Mapping) -> None:
        self._require((AWAITING_CORRECTION,), "只有在等待补正时才能按逾期不补正处理")
        if self.correction_until and t <= self.correction_until:
            raise _Refused(f"补正期限（{_d(self.correction_until)}）未满，不能按逾期不补正处理")
        self._close(t, NO_CORRECTION)

    def _consultation_sent(self, t: date, data: Mapping) -> None:
        self._require(RUNNING + (CONSULTING,), self._busy("发出征询"))
        lapses = self.cal.add_working_days(t, self.rules.consultation_days).due
        self.consultations.append(_Consultation(t, lapses))
        self._start_pause(t)
        self.status = CONSULTING

    def _consultation_answered(self, t: date, data: Mapping) -> None:
        self._end_consultation(t, lapsed=False)

    def _consultation_lapsed(self, t: date, data: Mapping) -> None:
        self._end_consultation(t, lapsed=True)

    def _end_consultation(self, t: date, lapsed: bool) -> None:
        pending = [c for c in self.consultations if not c.recorded]
        if not pending:
            raise _Refused("没有进行中的征询")
        c = pending[0]
        c.recorded = True
        if c.ended is not None:  # it lapsed by itself before this was recorded
            if not lapsed:
                self.warnings.append(f"{_d(c.sent)} 发出的征询在逾期（{_d(c.lapses)}）后才答复，"
                                     "逾期后的时间已计入答复期限")
            return
        if lapsed and t < c.lapses:
            self.warnings.append(f"{_d(c.sent)} 发出的征询未满{self.rules.consultation_days}"
                                 f"个工作日（至 {_d(c.lapses)}）即登记为逾期")
        c.ended = t
        if not self._open():
            self._end_pause(t, "征询第三方或有关机关意见（条例第三十二至三十四条）")
            self.status = IN_PROGRESS

    def _extension_approved(self, t: date, data: Mapping) -> None:
        if self.extension:
            raise _Refused("只能延期一次（条例第三十三条）")
        self._require(RUNNING + (CONSULTING, AWAITING_FEE), self._busy("批准延期"))
        days = data.get("working_days")
        cap = self.rules.extension_max
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise _Refused(f"须注明延期的工作日数（1 至 {cap}）")
        if days > cap:
            raise _Refused(f"延期不得超过{cap}个工作日（条例第三十三条），申请延期{days}个工作日")
        due = self.due()
        if t > due.due and self.pause_since is None:
            self.warnings.append(f"延期在原答复期限（{_d(due.due)}）届满后才批准（{_d(t)}）")
        self.extension = days
        self.adjustments.append(f"{_d(t)} 批准延期{days}个工作日（条例第三十三条）")
        if self.status == REGISTERED:
            self.status = IN_PROGRESS

    def _fee_notice_sent(self, t: date, data: Mapping) -> None:
        if self.fee_notice is not None:
            raise _Refused("已发出过收费通知，每件申请只收费一次")
        self._require(RUNNING, self._busy("发出收费通知"))
        self.fee_notice = t
        self._start_pause(t)
        self.status = AWAITING_FEE

    def _fee_due(self) -> date:
        return self.cal.add_working_days(self.fee_notice, self.rules.fee_payment_days).due

    def _fee_paid(self, t: date, data: Mapping) -> None:
        self._fee_settled(t)
        if t > self._fee_due():
            self.warnings.append(f"缴费（{_d(t)}）晚于收费通知后{self.rules.fee_payment_days}"
                                 f"个工作日（{_d(self._fee_due())}）")
        self.fee_paid = True
        self._end_pause(t, "等待缴纳信息处理费")
        self.status = IN_PROGRESS

    def _fee_lapsed(self, t: date, data: Mapping) -> None:
        self._fee_settled(t)
        if t <= self._fee_due():
            self.warnings.append(f"缴费期限（{_d(self._fee_due())}）未满即按逾期未缴费处理")
        self._end_pause(t, "等待缴纳信息处理费")
        self._close(t, FEE_UNPAID)

    def _fee_settled(self, t: date) -> None:
        if self.fee_notice is None:
            raise _Refused("未发出收费通知，不能登记缴费或逾期未缴费")
        if self.fee_paid:
            raise _Refused("费用已缴纳")
        self._require((AWAITING_FEE,), self._busy("登记缴费"))

    def _answered(self, t: date, data: Mapping) -> None:
        self._require(RUNNING + (CONSULTING,), self._busy("答复"))
        outcome = data.get("outcome")
        if outcome is None or outcome == "":
            raise _Refused("答复须选择办理结果（年度报告表三的21种情形之一）")
        if not isinstance(outcome, str):
            raise _Refused("一件申请只计一种办理结果；区分处理的只计“部分公开”，不计其他情形")
        if outcome not in OUTCOMES:
            raise _Refused(f"办理结果“{outcome}”不是年度报告表三的21种情形之一")
        if outcome in AUTOMATIC_OUTCOMES:
            raise _Refused("逾期不补正、逾期未缴费由相应事件登记，不能作为答复结果")
        for c in self._open():  # answered without waiting for the consultation
            c.ended, c.recorded = t, True
        self._end_pause(t, "征询第三方或有关机关意见（条例第三十二至三十四条）")
        self._close(t, outcome)

    def _withdrawn(self, t: date, data: Mapping) -> None:
        for c in self._open():
            c.ended = t
        self._end_pause(t, "暂停计时")
        self.status, self.closed_on = WITHDRAWN_STATUS, t

    def _close(self, t: date, outcome: str) -> None:
        self.status, self.outcome, self.closed_on = CLOSED, outcome, t

    def _busy(self, what: str) -> str:
        return {
            AWAITING_CORRECTION: f"正在等待申请人补正，不能{what}",
            CONSULTING: f"正在征询意见，不能{what}",
            AWAITING_FEE: f"正在等待缴费，不能{what}",
        }.get(self.status, f"当前状态不能{what}")

    # -- the result

    def result(self, today: date) -> ApplicationState:
        warnings = list(self.warnings)
        due, left, overdue, end = None, None, False, today
        if self.status == AWAITING_CORRECTION:
            if self.correction_until and today > self.correction_until:
                warnings.append(f"补正期限（{_d(self.correction_until)}）已过，"
                                "可登记为逾期不补正")
        elif self.status in (CLOSED, WITHDRAWN_STATUS):
            due = self.due()
            end = self.closed_on
            overdue = self.status == CLOSED and self.closed_on > due.due
        else:
            running = 0
            if self.pause_since is not None and self.pause_counts:
                # Frozen while paused: the deadline as it would be if work resumed today.
                running = self.cal.working_days_between(self.pause_since, today)
            due = self.due(running)
            left = self.cal.working_days_between(today, due.due)
            overdue = left < 0
            if self.status == AWAITING_FEE and today > self._fee_due():
                warnings.append(f"缴费期限（{_d(self._fee_due())}）已过，可登记逾期未缴费")
        adjustments = list(self.adjustments)
        if self.pause_since is not None and self.status in (CONSULTING, AWAITING_FEE):
            what = "征询意见" if self.status == CONSULTING else "等待缴费"
            adjustments.append(f"{what}：自 {_d(self.pause_since)} 起暂停计时")
        if due is not None:
            parts = [f"{self.rules.answer_days}"]
            if self.extension:
                parts.append(f"延期{self.extension}")
            if due.working_days - self.rules.answer_days - self.extension:
                parts.append(f"暂停{due.working_days - self.rules.answer_days - self.extension}")
            if len(parts) > 1:
                adjustments.append(f"合计：{' + '.join(parts)} = {due.working_days}个工作日")
        span_end = max(end, due.due) if due else end
        unknown = self.cal.unknown_years(self.received, span_end)
        if unknown:
            warnings.append(f"{'、'.join(f'{y}年' for y in unknown)}的放假安排尚未录入，"
                            "期限按周一至周五暂定")
        return ApplicationState(
            status=self.status, received=self.received, due=due, working_days_left=left,
            overdue=overdue, provisional=bool(unknown), unknown_years=unknown,
            outcome=self.outcome, closed_on=self.closed_on, warnings=tuple(warnings),
            adjustments=tuple(adjustments))


def _replay(events: Iterable[Event], cal: Calendar, rules: Rules, today: date | None) -> _Case:
    case = _Case(cal, rules)
    ordered = sorted(events, key=lambda e: e.date)  # stable: same-day events keep their order
    for e in ordered:
        if today is not None and e.date > today:
            break
        try:
            case.apply(e)
        except _Refused as r:
            case.warnings.append(f"已忽略 {_d(e.date)} 的“{KIND_ZH[e.kind]}”：{r}")
    return case


def state(events: Iterable[Event], calendar: Calendar, today: date,
          rules: Rules = NATIONAL) -> ApplicationState:
    """Where the application stands on `today` (events dated later are not yet counted)."""
    case = _replay(events, calendar, rules, today)
    if case.status is None:
        raise ValueError("no received event on or before today: the application does not exist yet")
    case.settle(today)
    return case.result(today)


def allowed(events: Iterable[Event], kind: str, calendar: Calendar, today: date,
            data: Mapping[str, Any] | None = None, rules: Rules = NATIONAL) -> tuple[bool, str]:
    """May an event of `kind` (with `data`) be recorded today? (ok, reason in Chinese)."""
    if kind not in KINDS:
        return False, f"未知的事件类型“{kind}”"
    case = _replay(events, calendar, rules, None)
    try:
        case.apply(Event(kind, today, dict(data or {})))
    except _Refused as r:
        return False, str(r)
    return True, ""
