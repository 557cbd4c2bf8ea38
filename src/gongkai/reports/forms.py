from django import forms

from .services import FIRST_YEAR, LAST_YEAR, MAX_UPLOAD_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="报告文件",
        help_text=f"DOCX、PDF、HTML、XLSX、JSON 或文本文件，不超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB；"
                  "文件类型按内容识别。",
    )
    year = forms.IntegerField(label="年度", required=False, min_value=FIRST_YEAR,
                              max_value=LAST_YEAR, help_text="留空则使用报告中写明的年度。")
