"""The letters of the application workflow, as data, and their rendering to plain text.

Each letter kind has a title, the 字 of its default 文号 prefix and a template with
`{placeholders}`; an answer letter has one paragraph per outcome row of table 三 (keyed by
the rows' keys from formats.py, labelled through OUTCOME_CHOICES), each citing its article.
Letters that decide something end with the applicant's remedies (条例 Art. 51: 行政复议
within 60 days, 行政诉讼 within 6 months of receiving the letter).

What the system cannot know (the reason for an extension, what to correct) is left as a
fill-in marker 【请…】; a letter with a marker left in it cannot be issued.

`render(kind, context, outcome)` is pure: dates, the fee and the clock's numbers come in
the Context, built by gongkai.letters.services from the application and its events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from gongkai import clock
from gongkai.annual.formats import FORMAT_2021
from gongkai.fees import Fee, yuan

from .models import OUTCOME_CHOICES

RECEIPT = "receipt"
CORRECTION = "correction"
EXTENSION = "extension"
CONSULTATION = "consultation"
FEE = "fee"
ANSWER = "answer"

LAW = "《中华人民共和国政府信息公开条例》"
FEE_MEASURE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
# Remedy periods (行政复议法 2023 Art. 20; 行政诉讼法 Art. 46), counted from receipt.
RECONSIDERATION_DAYS = 60
LAWSUIT_MONTHS = 6
# The statute asks for "a reasonable period" to correct (Art. 30); this default is local data.
CORRECTION_PERIOD_DAYS = 15
# A request quoted in a letter is cut here: the letter refers to the application, not repeats it.
REQUEST_QUOTE_MAX = 200

MARK_OPEN = "【请"
_MARK = re.compile(r"【请[^】]*】")


def mark(what: str) -> str:
    """A fill-in marker: issuing is refused while one is left in the text."""
    return f"【请{what}】"


def markers(text: str) -> list[str]:
    return _MARK.findall(text)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # the short name staff see
    title: str  # the title printed on the letter
    abbr: str  # the 字 of the default 文号 prefix, e.g. 延 in "某乡政信公延字"
    noun: str  # how the letter calls itself: 本告知书, 本通知书, …
    remedies: bool  # a decision the applicant may challenge


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind(RECEIPT, "受理回执", "政府信息公开申请受理回执", "受", "回执", False),
    Kind(CORRECTION, "补正告知书", "政府信息公开申请补正告知书", "补", "告知书", True),
    Kind(EXTENSION, "延期答复告知书", "政府信息公开申请延期答复告知书", "延", "告知书", True),
    Kind(CONSULTATION, "第三方意见征询函", "政府信息公开第三方意见征询函", "征", "函", False),
    Kind(FEE, "收费通知书", "政府信息公开信息处理费收费通知书", "费", "通知书", True),
    Kind(ANSWER, "答复书", "政府信息公开申请答复书", "答", "答复书", True),
)}
KIND_CHOICES = [(k.key, k.label) for k in KINDS.values()]

# The letter each step of the workflow sends: the receipt (the application itself) and each
# event that tells the applicant something in writing (条例 Art. 30–36).
LETTER_FOR_EVENT = {
    clock.RECEIVED: RECEIPT,
    clock.CORRECTION_REQUESTED: CORRECTION,
    clock.EXTENSION_APPROVED: EXTENSION,
    clock.CONSULTATION_SENT: CONSULTATION,
    clock.FEE_NOTICE_SENT: FEE,
    clock.ANSWERED: ANSWER,
}

OUTCOME_LABELS = dict(OUTCOME_CHOICES)
_TABLE3 = FORMAT_2021.table_for_section(3)


def outcome_group(outcome: str) -> str:
    """The outcome's group in table 三: （三）不予公开 for its rows, the row itself otherwise."""
    row = _TABLE3.row(outcome)
    return row.groups[-1] if len(row.groups) > 1 else row.label


def default_prefix(agency_name: str, kind: str) -> str:
    return f"{agency_name}政信公{KINDS[kind].abbr}字"


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕第{seq}号"


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# -- the texts ---------------------------------------------------------------------------------

_OPENING = ("{addressee}：\n"
            "本机关于{received}收到您（登记编号：{number}）提交的政府信息公开申请，"
            "申请公开“{request}”。")

TEMPLATES: dict[str, str] = {
    RECEIPT: (
        "{addressee}：\n"
        "本机关于{received}通过{channel}收到您提交的政府信息公开申请（登记编号：{number}，"
        "查询编号：{tracking_number}），申请公开“{request}”。\n"
        "根据" + LAW + "第三十一条的规定，{receipt_rule}，本机关收到您申请的日期为{received}。"
        "根据第三十三条第二款的规定，本机关将自收到申请之日起{answer_days}个工作日内，即{due}前"
        "予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知您，延长的期限最长"
        "不超过{extension_max}个工作日。征求第三方和其他机关意见所需时间不计算在上述期限内。\n"
        "您可以凭查询编号和查询码查询办理进度。"
    ),
    CORRECTION: (
        _OPENING + "经审查，您的申请内容不明确：" + mark("写明需要补正的事项") + "。\n"
        "根据" + LAW + "第三十条的规定，现一次性告知您对申请作出补正，请您{correction_period}"
        "补正，写明申请公开的政府信息的名称、文号或者便于本机关查询的其他特征性描述。答复期限"
        "自本机关收到补正后的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关"
        "不再处理该政府信息公开申请。"
    ),
    EXTENSION: (
        _OPENING + "因" + mark("写明延期答复的理由") + "，本机关不能在{due}前答复。\n"
        "根据" + LAW + "第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，"
        "答复期限延长{extension_days}个工作日，本机关将于{new_due}前答复您。"
    ),
    CONSULTATION: (
        mark("写明第三方名称") + "：\n"
        "本机关于{received}收到政府信息公开申请（登记编号：{number}），申请公开“{request}”。"
        "经审查，公开该政府信息可能损害你方的合法权益。\n"
        "根据" + LAW + "第三十二条的规定，现书面征求你方意见。请你方自收到本函之日起"
        "{consultation_days}个工作日内提出是否同意公开的书面意见；不同意公开的，请说明理由。"
        "逾期未提出意见的，由本机关依照条例的规定决定是否公开。\n"
        "第三方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成"
        "重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知你方。"
    ),
    FEE: (
        _OPENING + "根据" + LAW + "第四十二条和" + FEE_MEASURE + "第三条的规定，本机关决定"
        "对该申请收取信息处理费，收费方式为{fee_method}（{fee_basis}），按超额累进方式计算：\n"
        "{fee_lines}\n"
        "合计：{fee_total}元。\n"
        "请您自收到本通知书之日起{fee_days}个工作日内缴纳。缴费方式：{payment}。\n"
        "自本通知书发出之日起至您缴纳费用之日止的期间，不计算在答复期限内。您逾期未缴纳的，"
        "视为放弃申请，本机关不再处理该政府信息公开申请。"
    ),
    ANSWER: _OPENING + "经审查，现答复如下：\n{decision}",
}

_REFUSE = "第三十六条第（三）项的规定，本机关决定不予公开。"

# One paragraph per result row of table 三, each citing the article it rests on
# (REGULATIONS.md §3.4, "Rows mapped to the 条例").
ANSWERS: dict[str, str] = {
    "granted": (
        "您申请公开的政府信息属于可以公开的政府信息。根据" + LAW + "第三十六条第（二）项的"
        "规定，本机关决定予以公开，{delivery_how}向您提供。"),
    "partially_granted": (
        "您申请公开的政府信息中，" + mark("写明可以公开的部分") + "可以公开；"
        + mark("写明不予公开的部分及其理由、依据") + "。根据" + LAW + "第三十七条的规定，"
        "本机关对可以公开的部分予以公开，{delivery_how}向您提供；对不能公开的部分不予公开。"),
    "withheld_state_secret": (
        "您申请公开的政府信息属于国家秘密。根据" + LAW + "第十四条和" + _REFUSE),
    "withheld_prohibited_by_law": (
        "您申请公开的政府信息属于" + mark("写明法律、行政法规的名称和条款") + "禁止公开的"
        "政府信息。根据" + LAW + "第十四条和" + _REFUSE),
    "withheld_security_stability": (
        "您申请公开的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。根据"
        + LAW + "第十四条和" + _REFUSE),
    "withheld_third_party_rights": (
        "您申请公开的政府信息涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的内容，"
        "第三方不同意公开，且本机关认为不公开不会对公共利益造成重大影响。根据" + LAW
        + "第十五条、第三十二条和" + _REFUSE),
    "withheld_internal_affairs": (
        "您申请公开的政府信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息。根据"
        + LAW + "第十六条第一款和" + _REFUSE),
    "withheld_process_information": (
        "您申请公开的政府信息属于本机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
        "磋商信函、请示报告等过程性信息。根据" + LAW + "第十六条第二款和" + _REFUSE),
    "withheld_enforcement_file": (
        "您申请公开的政府信息属于行政执法案卷信息。根据" + LAW + "第十六条第二款和"
        + _REFUSE),
    "withheld_inquiry_matter": (
        "您申请获取的信息属于" + mark("写明信息类别，如工商、不动产登记资料") + "，有关法律、"
        "行政法规对其获取有特别规定。根据" + LAW + "第三十六条第（七）项的规定，请您依照"
        + mark("写明有关法律、行政法规的名称") + "的规定办理。"),
    "unavailable_not_held": (
        "经检索查找，本机关没有制作或者获取您申请公开的政府信息。根据" + LAW
        + "第三十六条第（四）项、第（五）项的规定，告知您本机关不掌握该政府信息；"
        + mark("能够确定负责公开的机关的，写明其名称和联系方式，否则删去本句") + "。"),
    "unavailable_needs_creation": (
        "本机关没有您所要求的现成信息，需要对现有政府信息进行加工、分析才能形成。根据" + LAW
        + "第三十八条的规定，本机关不予提供。"),
    "unavailable_still_unclear": (
        "本机关已于{correction_sent}告知您补正申请，您补正后的申请内容仍不明确，本机关无法确定"
        "您所申请的政府信息。根据" + LAW + "第三十条的规定，本机关无法向您提供。"),
    "unhandled_petition": (
        "您的申请实为以政府信息公开申请的形式进行信访、投诉、举报。根据" + LAW
        + "第三十九条第一款的规定，本机关不作为政府信息公开申请处理，请您通过信访、投诉、"
        "举报等相应渠道提出。"),
    "unhandled_repeated": (
        "您已于" + mark("写明日期") + "提出过内容相同的政府信息公开申请，本机关已作出答复"
        "（" + mark("写明答复书文号") + "）。根据" + LAW + "第三十六条第（六）项的规定，"
        "本机关不再重复处理。"),
    "unhandled_publication": (
        "您申请获取的是公开出版物。根据" + LAW + "第三十九条第二款的规定，本机关不作为政府"
        "信息公开申请处理，您可以通过" + mark("写明获取途径") + "获取。"),
    "unhandled_excessive": (
        "您申请公开政府信息的数量、频次明显超过合理范围，本机关已于" + mark("写明日期")
        + "要求您说明理由，您提出的理由不合理。根据" + LAW + "第三十五条的规定，本机关不予处理。"),
    # UNCONFIRMED: no article names this row; offices answer under Art. 2 (what 政府信息 is).
    "unhandled_confirmation": (
        "您的申请是要求本机关确认或者重新出具您已获取的信息，不属于" + LAW + "第二条所称的"
        "获取政府信息，本机关不作为政府信息公开申请处理。"),
    "other_no_correction": (
        "本机关已于{correction_sent}告知您补正申请，您无正当理由逾期未补正。根据" + LAW
        + "第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。"),
    "other_fee_unpaid": (
        "本机关已于{fee_notice_sent}向您发出收费通知书，您逾期未按通知要求缴纳信息处理费。根据"
        + LAW + "第四十二条和" + FEE_MEASURE + "的规定，本机关不再处理该政府信息公开申请。"),
    "other_misc": (
        "根据" + LAW + mark("写明适用的条款") + "的规定，本机关对您的申请作如下处理："
        + mark("写明处理结果和理由") + "。"),
}
assert set(ANSWERS) == set(OUTCOME_LABELS) == set(clock.OUTCOMES), "an outcome without a letter"

REMEDIES = (
    "如对本{noun}不服，您可以根据" + LAW + "第五十一条的规定，自收到本{noun}之日起"
    f"{RECONSIDERATION_DAYS}日内向{{reconsideration_body}}申请行政复议，或者自收到本{{noun}}"
    f"之日起{LAWSUIT_MONTHS}个月内向人民法院提起行政诉讼。"
)


# -- rendering ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Context:
    """What a letter says about its application; None means "not known": a marker is left."""

    applicant: str
    number: str
    tracking_number: str
    received: date
    channel: str
    receipt_rule: str
    request: str
    delivery: str = ""
    office_address: str = ""
    office_phone: str = ""
    office_hours: str = ""
    rules: clock.Rules = field(default=clock.NATIONAL)
    due: date | None = None  # the answer deadline as the clock has it now
    extension_days: int | None = None
    new_due: date | None = None  # the deadline after the extension
    correction_sent: date | None = None
    correction_until: date | None = None
    fee: Fee | None = None
    fee_method: str = ""  # 按件计收 / 按量计收
    fee_basis: str = ""  # "本自然月内第11件申请", "提供信息共250页"
    fee_notice_sent: date | None = None
    payment: str = ""
    reconsideration_body: str = ""


@dataclass(frozen=True)
class Text:
    title: str
    body: str


_NO_MARKUP = str.maketrans("<>", "＜＞")  # an applicant's text never reads as a tag


def quote(request: str) -> str:
    one_line = " ".join(request.split()).translate(_NO_MARKUP)
    if len(one_line) <= REQUEST_QUOTE_MAX:
        return one_line
    return one_line[:REQUEST_QUOTE_MAX] + "……"


def _day(d: date | None, what: str) -> str:
    return zh_date(d) if d else mark(f"写明{what}")


def _values(ctx: Context, kind: Kind) -> dict[str, str]:
    fee = ctx.fee
    contact = "；".join(f"{k}：{v}" for k, v in (
        ("联系地址", ctx.office_address), ("联系电话", ctx.office_phone),
        ("办公时间", ctx.office_hours)) if v)
    return {
        "addressee": ctx.applicant,
        "number": ctx.number,
        "tracking_number": ctx.tracking_number,
        "received": zh_date(ctx.received),
        "channel": ctx.channel,
        "receipt_rule": ctx.receipt_rule,
        "request": quote(ctx.request),
        "delivery_how": (f"按您要求的“{ctx.delivery}”方式" if ctx.delivery.strip()
                         else "通过" + mark("写明提供信息的方式、途径和时间")),
        "answer_days": str(ctx.rules.answer_days),
        "extension_max": str(ctx.rules.extension_max),
        "consultation_days": str(ctx.rules.consultation_days),
        "fee_days": str(ctx.rules.fee_payment_days),
        "due": _day(ctx.due, "答复期限"),
        "extension_days": str(ctx.extension_days) if ctx.extension_days else mark("写明延长的工作日数"),
        "new_due": _day(ctx.new_due, "延长后的答复期限"),
        "correction_sent": _day(ctx.correction_sent, "发出补正告知书的日期"),
        "correction_period": (f"于{zh_date(ctx.correction_until)}前" if ctx.correction_until
                              else f"自收到本告知书之日起{CORRECTION_PERIOD_DAYS}个工作日内"),
        "fee_notice_sent": _day(ctx.fee_notice_sent, "发出收费通知书的日期"),
        "fee_method": ctx.fee_method or mark("写明收费方式"),
        "fee_basis": ctx.fee_basis or mark("写明计费依据"),
        "fee_lines": "\n".join(fee.describe()) if fee else mark("写明分档计算"),
        "fee_total": yuan(fee.total) if fee else mark("写明金额"),
        "payment": ctx.payment.strip() or mark("写明缴费方式，如缴款账户或非税收入缴款码"),
        "reconsideration_body": ctx.reconsideration_body.strip() or mark("写明行政复议机关"),
        "noun": kind.noun,
        "contact": contact,
    }


def render(kind: str, ctx: Context, outcome: str | None = None) -> Text:
    """The title and body of a new draft. `outcome` is required for an answer letter."""
    k = KINDS[kind]
    values = _values(ctx, k)
    if kind == ANSWER:
        if outcome not in ANSWERS:
            raise ValueError(f"an answer letter needs one of the table 三 outcomes, got {outcome!r}")
        values["decision"] = ANSWERS[outcome].format_map(values)
    elif outcome:
        raise ValueError(f"only answer letters have an outcome, not {kind!r}")
    paragraphs = [TEMPLATES[kind].format_map(values)]
    if k.remedies:
        paragraphs.append(REMEDIES.format_map(values))
    if values["contact"]:
        paragraphs.append(values["contact"] + "。")
    return Text(k.title, "\n".join(paragraphs))

