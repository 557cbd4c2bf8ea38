"""Staff forms: registering an application and recording each kind of event.

Forms only check the shape of what was typed (dates, numbers, lengths, file type) and say what
is wrong in Chinese; whether an event is allowed is decided by services.record_event, which
asks the statutory clock."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.validators import MaxLengthValidator

from gongkai import clock, fees
from gongkai.annual.formats import FORMAT_2021
from gongkai.identity import resident_id_problem

from .models import OUTCOME_CHOICES, RECEIPT_RULE, Application, FeeMethod, IdType
from .selectors import possible_handlers, today
from .services import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES

NOTE_MAX = 2000
REQUEST_MAX = 5000
MAX_FILES = 10
# The revised 条例 took effect on 2008-05-01; nothing received earlier is registered here.
EARLIEST = date(2008, 5, 1)
_PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")

STATUS_ZH = clock.STATUS_ZH
OUTCOME_ZH = dict(OUTCOME_CHOICES)
_APPLICATIONS = FORMAT_2021.table_for_section(3)


def _outcome_groups() -> list:
    """The answerable outcomes, grouped as table 三 groups them: （三）不予公开 → 1.…8."""
    groups: list = []
    for key in clock.OUTCOMES:
        if key in clock.AUTOMATIC_OUTCOMES:
            continue
        row = _APPLICATIONS.row(key)
        if len(row.groups) > 1:
            title = row.groups[1]
            if not groups or groups[-1][0] != title:
                groups.append((title, []))
            groups[-1][1].append((key, row.label))
        else:
            groups.append((key, row.label))
    return groups


ANSWER_CHOICES = [("", "请选择办理结果")] + _outcome_groups()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def _date_field(label: str, required: bool = True, **kw) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), error_messages={
        "invalid": "日期无效，请按“年-月-日”填写，如 2026-03-01",
        "required": f"请填写{label}",
    }, **kw)


def _note(label: str = "说明", required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=NOTE_MAX,
                           help_text=help_text, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": f"请填写{label}",
                                           "max_length": f"{label}不能超过 {NOTE_MAX} 个字"})


def check_upload(upload) -> None:
    """Size and content type, checked before anything is stored (services.attach re-checks)."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise forms.ValidationError(
            f"附件“{upload.name}”超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES.values()):
        raise forms.ValidationError(f"附件“{upload.name}”不是 PDF、JPG、PNG 或 DOCX 文件")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each checked like a single attachment."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一次最多上传 {MAX_FILES} 个附件")
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for f in cleaned:
            check_upload(f)
        return cleaned


ATTACHMENT_HELP = (f"PDF、JPG、PNG 或 DOCX，每个不超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，"
                   f"最多 {MAX_FILES} 个")


# -- registering -------------------------------------------------------------------------


class RegisterForm(forms.ModelForm):
    attachments = MultipleFileField(label="申请材料", required=False, help_text=ATTACHMENT_HELP)

    class Meta:
        model = Application
        fields = ["applicant_type", "name", "contact_person", "id_type", "id_number", "phone",
                  "address", "email", "channel", "received_on", "request", "purpose",
                  "form_requested", "delivery", "fee_method", "handler"]
        widgets = {
            "received_on": DateInput(),
            "request": forms.Textarea(attrs={"rows": 5}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "applicant_type": forms.RadioSelect,
            "channel": forms.RadioSelect,
        }
        help_texts = {
            "name": "自然人填写姓名；法人或其他组织填写名称",
            "contact_person": "法人或其他组织的联系人",
            "received_on": "按所选申请方式确定（条例第三十一条）",
            "handler": "留空则由本机关承办人员认领",
        }

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        for field in self.fields.values():
            if field.required:
                verb = "选择" if isinstance(field, forms.ChoiceField) else "填写"
                field.error_messages["required"] = f"请{verb}{field.label}"
        self.fields["received_on"].error_messages["invalid"] = "日期无效，请按“年-月-日”填写"
        self.fields["email"].error_messages["invalid"] = "电子邮箱格式不正确"
        for name, limit in (("request", REQUEST_MAX), ("purpose", NOTE_MAX)):
            field = self.fields[name]
            field.validators.append(MaxLengthValidator(
                limit, message=f"{field.label}不能超过 {limit} 个字"))
            field.widget.attrs["maxlength"] = limit
        self.fields["received_on"].initial = today()
        self.fields["fee_method"].required = False
        # Only staff who may handle applications at this agency can be its handler.
        self.fields["handler"].queryset = possible_handlers(agency)
        self.fields["handler"].label_from_instance = person_name
        self.fields["handler"].error_messages["invalid_choice"] = "所选承办人不在本机关"
        # Each channel with the receipt date Art. 31 gives it, beside the choice itself.
        self.fields["channel"].choices = [
            (k, f"{label} —— {RECEIPT_RULE[k]}") for k, label in self.fields["channel"].choices
            if k in RECEIPT_RULE]
        self.fields["applicant_type"].choices = [
            c for c in self.fields["applicant_type"].choices if c[0]]
        for choice_field in ("applicant_type", "id_type", "channel", "fee_method"):
            self.fields[choice_field].error_messages["invalid_choice"] = (
                f"{self.fields[choice_field].label}的选项无效")

    receipt_rules = RECEIPT_RULE

    def clean_received_on(self) -> date:
        d = self.cleaned_data["received_on"]
        if d > today():
            raise forms.ValidationError("收到申请日期不能晚于今天")
        if d < EARLIEST:
            raise forms.ValidationError("收到申请日期不能早于 2008-05-01（条例施行之日）")
        return d

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not _PHONE.match(phone):
            raise forms.ValidationError("联系电话只能包含数字、空格和 + - ( )，5 至 30 位")
        return phone

    def clean(self):
        data = super().clean()
        if data.get("id_type") == IdType.RESIDENT_ID and data.get("id_number"):
            problem = resident_id_problem(data["id_number"])
            if problem:
                self.add_error("id_number", problem)
            else:
                data["id_number"] = data["id_number"].strip().upper()
        return data

    def application_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "attachments"}


# -- the handler -------------------------------------------------------------------------


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


class _PersonChoiceField(forms.ModelChoiceField):
    """A forged id with a NUL in it gets the field's own message, not Django's null-character
    one (whose Chinese reads "不允许是用空字符串")."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice")
        return super().to_python(value)


class AssignForm(forms.Form):
    """The head or the administrator picks the application's handler (指派承办人) from the
    agency's staff who may handle it; any other id, forged or stale, is not a choice."""

    prefix = "assign"
    handler = _PersonChoiceField(
        label="指派承办人", queryset=None, empty_label="请选择承办人",
        error_messages={"required": "请选择承办人",
                        "invalid_choice": "所选人员不是本机关的承办人员，不能指派"})

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = possible_handlers(agency)
        self.fields["handler"].label_from_instance = person_name


# -- events ------------------------------------------------------------------------------


class EventForm(forms.Form):
    """The fields every event has: its date, a note and one document."""

    kind = ""
    submit = "登记"
    field_order = ["date", "outcome", "method", "units", "working_days", "to", "until", "note",
                   "attachment"]
    date = _date_field("日期", help_text="事项发生之日；不能早于已登记的事项")
    note = _note()
    attachment = forms.FileField(
        label="文书", required=False,
        help_text=f"PDF、JPG、PNG 或 DOCX，不超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")

    def __init__(self, *args, application: Application, **kwargs):
        kwargs.setdefault("prefix", self.kind)
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["date"].initial = today()

    @property
    def title(self) -> str:
        return clock.KIND_ZH[self.kind]

    def clean_date(self) -> date:
        d = self.cleaned_data["date"]
        if d > today():
            raise forms.ValidationError("日期不能晚于今天")
        if d < self.application.received_on:
            raise forms.ValidationError("日期不能早于收到申请日期")
        return d

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload)
        return upload

    def event_data(self) -> dict:
        return {}

    # What clock.allowed needs to judge this kind of event before the form is filled in.
    probe: dict = {}


class CorrectionRequestedForm(EventForm):
    kind = clock.CORRECTION_REQUESTED
    submit = "发出补正通知"
    note = _note("需要补正的事项", required=True,
                 help_text="一次性告知需要补正的事项和合理的补正期限（条例第三十条）")
    until = _date_field("补正期限", required=False)

    def clean(self):
        data = super().clean()
        if data.get("until") and data.get("date") and data["until"] <= data["date"]:
            self.add_error("until", "补正期限应晚于通知日期")
        return data

    def event_data(self) -> dict:
        until = self.cleaned_data.get("until")
        return {"until": until.isoformat()} if until else {}


class CorrectionReceivedForm(EventForm):
    kind = clock.CORRECTION_RECEIVED
    submit = "登记收到补正"


class ConsultationSentForm(EventForm):
    kind = clock.CONSULTATION_SENT
    submit = "登记发出征询"
    to = forms.CharField(label="征询对象", max_length=200,
                         help_text="第三方或有关行政机关的名称",
                         error_messages={"required": "请填写征询对象",
                                         "max_length": "征询对象不能超过 200 个字"})

    def event_data(self) -> dict:
        return {"to": self.cleaned_data["to"]}


class ConsultationAnsweredForm(EventForm):
    kind = clock.CONSULTATION_ANSWERED
    submit = "登记征询答复"


class ConsultationLapsedForm(EventForm):
    kind = clock.CONSULTATION_LAPSED
    submit = "登记征询逾期"


class ExtensionForm(EventForm):
    kind = clock.EXTENSION_APPROVED
    submit = "批准延期"
    working_days = forms.IntegerField(
        label="延长的工作日数", min_value=1, max_value=clock.NATIONAL.extension_max,
        initial=clock.NATIONAL.extension_max,
        error_messages={
            "required": "请填写延长的工作日数",
            "invalid": "延长的工作日数应为整数",
            "min_value": "延长的工作日数至少为 1",
            "max_value": f"延期不得超过{clock.NATIONAL.extension_max}个工作日（条例第三十三条）",
        })
    note = _note("告知申请人的延期理由", required=True,
                 help_text="经政府信息公开工作机构负责人同意并告知申请人（条例第三十三条）")
    probe = {"working_days": 1}

    def event_data(self) -> dict:
        return {"working_days": self.cleaned_data["working_days"]}


FEE_SCHEDULES = {
    FeeMethod.PER_APPLICATION: (fees.PER_APPLICATION, "本月第几件申请",
                                fees.fee_for_nth_application),
    FeeMethod.PER_PAGE: (fees.PAGES, "提供的页数", fees.fee_for_pages),
}


def compute_fee(method: str, units: int) -> fees.Fee:
    schedule, _label, fn = FEE_SCHEDULES[method]
    return fn(units, schedule)


class FeeNoticeForm(EventForm):
    kind = clock.FEE_NOTICE_SENT
    submit = "发出收费通知"
    method = forms.ChoiceField(
        label="计收方式", choices=[(k, FeeMethod(k).label) for k in FEE_SCHEDULES],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择计收方式", "invalid_choice": "计收方式无效"})
    units = forms.IntegerField(
        label="件数或页数", min_value=1, max_value=fees.PAGES.max_units,
        help_text="按件计收：该申请人本月第几件申请；按量计收：提供的页数",
        error_messages={"required": "请填写件数或页数", "invalid": "件数或页数应为整数",
                        "min_value": "件数或页数至少为 1",
                        "max_value": "件数或页数过大，请核对"})

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        if application.fee_method in FEE_SCHEDULES:
            self.fields["method"].initial = application.fee_method

    def clean(self):
        data = super().clean()
        method, units = data.get("method"), data.get("units")
        if method and units is not None:
            try:
                data["fee"] = compute_fee(method, units)
            except ValueError:
                self.add_error("units", "件数或页数超出收费标准的范围，请核对")
            else:
                if data["fee"].total == 0:
                    self.add_error("units", "按此件数或页数不收费，无需发出收费通知")
        return data

    def event_data(self) -> dict:
        fee = self.cleaned_data["fee"]
        return {"method": self.cleaned_data["method"], "units": self.cleaned_data["units"],
                "fee_yuan": fees.yuan(fee.total), "tiers": fee.describe()}


class FeePaidForm(EventForm):
    kind = clock.FEE_PAID
    submit = "登记已缴费"


class FeeLapsedForm(EventForm):
    kind = clock.FEE_LAPSED
    submit = "登记逾期未缴费"
    note = _note(help_text="申请人逾期未缴费的，不再处理该申请（表三（六）2）")


class AnswerForm(EventForm):
    kind = clock.ANSWERED
    submit = "登记答复"
    outcome = forms.ChoiceField(
        label="办理结果", choices=ANSWER_CHOICES,
        help_text="一件申请只计一种结果；区分处理的只计“部分公开”",
        error_messages={"required": "请选择办理结果",
                        "invalid_choice": "办理结果不是年度报告表三的情形之一"})
    note = _note("答复要点")
    probe = {"outcome": clock.OUTCOMES[0]}

    def event_data(self) -> dict:
        return {"outcome": self.cleaned_data["outcome"]}


class AbandonedForm(EventForm):
    kind = clock.ABANDONED
    submit = "按逾期不补正处理"
    note = _note(help_text="申请人无正当理由逾期不补正的，不再处理该申请（表三（六）1）")


class WithdrawnForm(EventForm):
    kind = clock.WITHDRAWN
    submit = "登记撤回"
    note = _note("撤回方式", help_text="如：申请人书面撤回、电话撤回并记录")


EVENT_FORMS: dict[str, type[EventForm]] = {f.kind: f for f in (
    CorrectionRequestedForm, CorrectionReceivedForm, ConsultationSentForm,
    ConsultationAnsweredForm, ConsultationLapsedForm, ExtensionForm, FeeNoticeForm,
    FeePaidForm, FeeLapsedForm, AnswerForm, AbandonedForm, WithdrawnForm,
)}
