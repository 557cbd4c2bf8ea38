"""Letters of an application: a draft staff may edit, then an issued letter kept unchanged.

Issuing gives the letter its 文号 and stores its text and DOCX bytes; from then on the row is
frozen like an application event: save() and delete() refuse, and so do queryset updates and
deletes that would touch an issued row. A correction is a new letter.

A 文号 is unique per agency, year and prefix (the prefix names the series, e.g.
"某乡政信公延字"): the constraint is what makes two issuers at once end with two numbers."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.applications.letters import KIND_CHOICES, format_number
from gongkai.applications.models import OUTCOME_CHOICES


class LetterFrozen(Exception):
    """An issued letter was about to be changed or deleted."""


class LetterQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(issued_at__isnull=False).exists():
            raise LetterFrozen("issued letters cannot be changed")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(issued_at__isnull=False).exists():
            raise LetterFrozen("issued letters cannot be deleted")
        return super().delete()


class Letter(models.Model):
    application = models.ForeignKey("applications.Application", verbose_name="申请",
                                    on_delete=models.PROTECT, related_name="letters")
    # The application's agency, here so that the 文号 constraint can name it.
    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField("文书类型", max_length=20, choices=KIND_CHOICES)
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOME_CHOICES, blank=True,
                               default="")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name="起草人")
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    # Set once, at issue.
    number_prefix = models.CharField("文号前缀", max_length=60, blank=True, default="")
    number_year = models.PositiveSmallIntegerField("文号年度", null=True, blank=True)
    number_seq = models.PositiveIntegerField("文号序号", null=True, blank=True)
    issued_on = models.DateField("签发日期", null=True, blank=True)
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name="签发人")
    docx = models.BinaryField("签发文本（DOCX）", null=True, blank=True, editable=False)
    docx_sha256 = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number_year", "number_prefix", "number_seq"],
                condition=models.Q(number_seq__isnull=False), name="letter_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '草稿'} {self.title}"

    @property
    def issued(self) -> bool:
        return self.issued_at is not None

    @property
    def number(self) -> str:
        if self.number_seq is None:
            return ""
        return format_number(self.number_prefix, self.number_year, self.number_seq)

    def _issued_in_db(self) -> bool:
        return (self.pk is not None
                and type(self).objects.filter(pk=self.pk, issued_at__isnull=False).exists())

    def save(self, *args, **kwargs):
        if self._issued_in_db():
            raise LetterFrozen("issued letters cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.issued or self._issued_in_db():
            raise LetterFrozen("issued letters cannot be deleted")
        return super().delete(*args, **kwargs)


class NumberPrefix(models.Model):
    """An agency's 文号 prefix for one letter kind; without one, letters.default_prefix."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机关", on_delete=models.CASCADE,
                               related_name="+")
    kind = models.CharField("文书类型", max_length=20, choices=KIND_CHOICES)
    prefix = models.CharField("文号前缀", max_length=60, help_text="如：某乡政信公延字")

    class Meta:
        verbose_name = "文号前缀"
        verbose_name_plural = "文号前缀"
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="number_prefix_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_kind_display()} · {self.prefix}"


class LetterSettings(models.Model):
    """What an agency's letters say that the application does not: how to pay a fee, where
    to apply for 行政复议."""

    agency = models.OneToOneField("agencies.Agency", verbose_name="机关",
                                  on_delete=models.CASCADE, related_name="+")
    payment_instructions = models.TextField(
        "缴费方式", blank=True, help_text="收费通知书所写的缴费方式，如非税收入缴款账户")
    reconsideration_body = models.CharField(
        "行政复议机关", max_length=200, blank=True,
        help_text="答复书等文书告知的行政复议机关；留空时为上级机关")

    class Meta:
        verbose_name = "文书设置"
        verbose_name_plural = "文书设置"

    def __str__(self) -> str:
        return str(self.agency)
