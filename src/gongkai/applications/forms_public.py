"""The public application form (条例 Art. 29) and the tracking lookup form.

Art. 29 asks for three things: who the applicant is and how to reach them, a description that
lets the agency find the information, and the form and way of delivery wanted. The form checks
what can be checked at the keyboard (a 居民身份证 check digit, a phone with enough digits, an
address when the answer is to be posted) so mistakes are fixed now, not by a 补正 weeks later."""

from __future__ import annotations

import re

from django import forms
from django.core import signing
from django.utils.crypto import get_random_string

from gongkai.identity import resident_id_problem

from . import services
from .models import NATURAL_PERSON, ApplicantType, IdType

MAX_REQUEST_CHARS = 2000
MAX_PURPOSE_CHARS = 500
MAX_ATTACHMENTS = 3
KEY_SALT = "gongkai.applications.submission"

FORM_CHOICES = [("纸质文本", "纸质文本"), ("电子文本", "电子文本（数据电文）")]
DELIVERY_POST, DELIVERY_EMAIL, DELIVERY_PICKUP = "邮寄", "电子邮件", "当面领取"
DELIVERY_CHOICES = [(DELIVERY_POST, "邮寄"), (DELIVERY_EMAIL, "电子邮件"),
                    (DELIVERY_PICKUP, "到政府信息公开工作机构当面领取")]

# Natural persons first; the five kinds of organisation grouped under one heading.
APPLICANT_CHOICES = [
    (NATURAL_PERSON, ApplicantType(NATURAL_PERSON).label),
    ("法人或其他组织", [(k, v) for k, v in ApplicantType.choices if k != NATURAL_PERSON]),
]
_PHONE = re.compile(r"^\+?[\d\s\-()]{7,30}$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def _required(what: str) -> dict[str, str]:
    return {"required": f"请填写{what}"}


def new_submission_key(agency_id: int) -> str:
    """A random one-time key for one filled-in form, signed so it cannot be chosen by hand."""
    return signing.dumps([agency_id, get_random_string(32)], salt=KEY_SALT)


def submission_key(signed: str, agency_id: int) -> str | None:
    """The random part of a signed key made for this agency, or None."""
    try:
        agency, key = signing.loads(signed, salt=KEY_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if agency != agency_id or not isinstance(key, str) or len(key) != 32:
        return None
    return key


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_ATTACHMENTS files, each within services.attach's size and content rules (checked
    here first, so a bad file is reported beside the field and nothing is registered)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"最多上传 {MAX_ATTACHMENTS} 个附件")
        for f in files:
            super().clean(f, initial)
            if f.size > services.MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(
                    f"附件“{f.name}”超过 {services.MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
            head = f.read(8)
            f.seek(0)
            if not any(head.startswith(m) for m in services.ATTACHMENT_TYPES.values()):
                raise forms.ValidationError(
                    f"附件“{f.name}”不是 PDF、JPG、PNG 或 DOCX 文件（按文件内容识别）")
        return files


class ApplicationForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    applicant_type = forms.ChoiceField(
        label="申请人类型", choices=APPLICANT_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "请选择申请人类型",
                        "invalid_choice": "请从列出的申请人类型中选择"})
    name = forms.CharField(label="姓名或名称", max_length=200,
                           help_text="自然人填写姓名；法人或其他组织填写全称。",
                           error_messages=_required("姓名或名称"))
    contact_person = forms.CharField(label="联系人", max_length=100, required=False,
                                     help_text="法人或其他组织必填。")
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices,
                                error_messages={"required": "请选择证件类型",
                                                "invalid_choice": "请从列出的证件类型中选择"})
    id_number = forms.CharField(label="证件号码", max_length=50,
                                error_messages=_required("证件号码"))
    phone = forms.CharField(label="联系电话", max_length=30, error_messages=_required("联系电话"))
    email = forms.EmailField(label="电子邮箱", max_length=254, required=False,
                             help_text="填写后，办理进展将发送到该邮箱。",
                             error_messages={"invalid": "请输入有效的电子邮箱地址"})
    address = forms.CharField(label="通讯地址", max_length=300, required=False,
                              help_text="选择邮寄获取时必填。")
    request = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述",
        max_length=MAX_REQUEST_CHARS, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"请尽量写明信息的名称、文号、制作机关、时间等，不超过 {MAX_REQUEST_CHARS} 字。",
        error_messages=_required("所需政府信息的描述"))
    purpose = forms.CharField(label="用途说明（选填）", max_length=MAX_PURPOSE_CHARS, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    form_requested = forms.ChoiceField(label="信息的载体形式", choices=FORM_CHOICES,
                                       widget=forms.RadioSelect,
                                       error_messages={"required": "请选择信息的载体形式",
                                                       "invalid_choice": "请从列出的形式中选择"})
    delivery = forms.ChoiceField(label="获取信息的方式", choices=DELIVERY_CHOICES,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "请选择获取信息的方式",
                                                 "invalid_choice": "请从列出的方式中选择"})
    attachments = AttachmentsField(
        label="附件（选填）", required=False,
        help_text=f"如身份证明、授权委托书等，最多 {MAX_ATTACHMENTS} 个，PDF、JPG、PNG 或 DOCX，"
                  f"每个不超过 {services.MAX_ATTACHMENT_BYTES // 1024 // 1024} MB。")

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not _PHONE.match(phone) or len(re.sub(r"\D", "", phone)) < 7:
            raise forms.ValidationError("请输入有效的电话号码，如 13800138000 或 010-12345678")
        return phone

    def clean(self):
        data = super().clean()
        kind, id_type = data.get("applicant_type"), data.get("id_type")
        number = (data.get("id_number") or "").strip().upper()
        if kind and kind != NATURAL_PERSON and not (data.get("contact_person") or "").strip():
            self.add_error("contact_person", "法人或其他组织请填写联系人")
        if kind == NATURAL_PERSON and id_type == IdType.CREDIT_CODE:
            self.add_error("id_type", "自然人请选择身份证件，如居民身份证")
        if number and id_type == IdType.RESIDENT_ID:
            problem = resident_id_problem(number)
            if problem:
                self.add_error("id_number", problem)
        if number and id_type == IdType.CREDIT_CODE and not _CREDIT_CODE.match(number):
            self.add_error("id_number", "统一社会信用代码应为18位数字或大写字母")
        if number:
            data["id_number"] = number
        delivery = data.get("delivery")
        if delivery == DELIVERY_POST and not (data.get("address") or "").strip():
            self.add_error("address", "选择邮寄获取的，请填写通讯地址")
        if delivery == DELIVERY_EMAIL and not data.get("email"):
            self.add_error("email", "选择电子邮件获取的，请填写电子邮箱")
        return data

    def application_fields(self) -> dict:
        """The cleaned fields as services.register takes them."""
        d = self.cleaned_data
        return {k: d[k] for k in ("applicant_type", "name", "id_type", "id_number", "phone",
                                  "email", "request", "purpose", "form_requested", "delivery")} | {
            "contact_person": d["contact_person"].strip(),
            "address": d["address"].strip(),
        }


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label="查询编号", max_length=20, error_messages=_required("查询编号"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    query_code = forms.CharField(
        label="查询码", max_length=20, error_messages=_required("查询码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))

    def forget_code(self) -> None:
        """After a failed lookup the code typed is not written back into the page."""
        self.data = self.data.copy()
        self.data["query_code"] = ""
