"""Annual reports imported from files made elsewhere (DOCX, PDF, HTML, text, …)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportedReport(models.Model):
    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT,
                               related_name="imported_reports")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    # The uploaded file itself, kept in the database so every web process behind a load
    # balancer sees it without a shared disk; a report is well under the 20 MB upload limit.
    source = models.BinaryField("原始文件")
    source_name = models.CharField("原始文件名", max_length=255)
    source_size = models.PositiveIntegerField("文件大小（字节）")
    source_sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # The REPORT-JSON object (REPORT-JSON.md) with its findings. It is DERIVED: gongkai.annual
    # reads it from `source` and can read it again (services.rederive) when the readers or
    # rules improve; it is cached here so pages never re-parse the file.
    data = models.JSONField("解析结果", default=dict)
    errors = models.PositiveIntegerField("错误数", default=0)
    warnings = models.PositiveIntegerField("警告数", default=0)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公开人", null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "导入的年度报告"
        verbose_name_plural = "导入的年度报告"
        ordering = ["-year", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告"

    @property
    def findings(self) -> list[dict]:
        return list(self.data.get("findings") or [])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
