"""Forms of the letter pages: which letter to draft, and the draft's text."""

from __future__ import annotations

from django import forms

from gongkai.applications import letters
from gongkai.applications.models import OUTCOME_CHOICES, FeeMethod

from .services import MAX_BODY_CHARS, Refused, check_body


class CreateForm(forms.Form):
    kind = forms.ChoiceField(label="文书类型", choices=letters.KIND_CHOICES)
    outcome = forms.ChoiceField(label="办理结果（答复书）", required=False,
                                choices=[("", "—")] + OUTCOME_CHOICES)
    fee_method = forms.ChoiceField(
        label="收费方式（收费通知书）", required=False,
        choices=[("", "按申请登记的收费方式")] + [c for c in FeeMethod.choices if c[0]])
    pages = forms.IntegerField(label="页数（按量计收）", required=False, min_value=1,
                               max_value=1_000_000)

    def clean(self):
        data = super().clean()
        if data.get("kind") == letters.ANSWER and not data.get("outcome"):
            self.add_error("outcome", "答复书须选择办理结果。")
        return data


class EditForm(forms.Form):
    body = forms.CharField(label="正文", strip=False,
                           widget=forms.Textarea(attrs={"rows": 24, "maxlength": MAX_BODY_CHARS}))

    def clean_body(self):
        try:
            return check_body(self.cleaned_data["body"])
        except Refused as r:
            raise forms.ValidationError(r.reason) from None
