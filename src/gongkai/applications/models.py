"""Disclosure applications (依申请公开) and their append-only events.

The Application row is the receipt itself (条例 Art. 31: who asked, for what, through which
channel, received on which day); everything after is an ApplicationEvent. Status, due date
and outcome are never stored: `gongkai.clock.state` computes them from the receipt and the
events. An event's `outcome` is the table 三 row it closes the case under, so the annual
table is one aggregation over events (see statistics.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai import clock
from gongkai.annual.formats import APPLICANT_PARTS, FORMAT_2021

_APPLICATIONS = FORMAT_2021.table_for_section(3)
_COLUMN_LABELS = {c.key: c.label for c in _APPLICATIONS.blocks[0].columns}


def _outcome_label(key: str) -> str:
    row = _APPLICATIONS.row(key)
    return "".join(g for g in row.groups[1:]) + row.label


# Applicant types are the applicant columns of table 三, so the table needs no mapping.
ApplicantType = models.TextChoices(
    "ApplicantType", [(k, (k, _COLUMN_LABELS[k])) for k in APPLICANT_PARTS]
)
NATURAL_PERSON = APPLICANT_PARTS[0]

OUTCOME_CHOICES = [(k, _outcome_label(k)) for k in clock.OUTCOMES]


class Channel(models.TextChoices):
    """How the application arrived; Art. 31 gives each its receipt date."""

    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（签收）"
    POST_PLAIN = "post_plain", "平常信函"
    ONLINE = "online", "网络"
    FAX = "fax", "传真"
    OTHER = "other", "其他"


RECEIPT_RULE = {
    Channel.IN_PERSON: "当面提交的，以提交之日为收到申请之日",
    Channel.POST_SIGNED: "以邮寄方式提交的，以行政机关签收之日为收到申请之日",
    Channel.POST_PLAIN: "以平常信函等无需签收的邮寄方式提交的，以与申请人确认之日为收到申请之日",
    Channel.ONLINE: "通过互联网渠道提交的，以双方确认之日为收到申请之日",
    Channel.FAX: "通过传真提交的，以双方确认之日为收到申请之日",
    Channel.OTHER: "以实际收到并确认之日为收到申请之日",
}


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    OTHER = "other", "其他"


class FeeMethod(models.TextChoices):
    NONE = "", "不收费"
    PER_APPLICATION = "per_application", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class Application(models.Model):
    agency = models.ForeignKey("agencies.Agency", verbose_name="受理机关",
                               on_delete=models.PROTECT, related_name="applications")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("年度序号")
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    name = models.CharField("姓名或名称", max_length=200)
    contact_person = models.CharField("联系人", max_length=100, blank=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=50)
    phone = models.CharField("联系电话", max_length=30)
    address = models.CharField("通讯地址", max_length=300, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    received_on = models.DateField("收到申请日期")
    request = models.TextField("申请公开的政府信息")
    purpose = models.TextField("用途说明", blank=True)
    form_requested = models.CharField("信息的载体形式", max_length=100, blank=True)
    delivery = models.CharField("获取信息的方式", max_length=100, blank=True)
    fee_method = models.CharField("收费方式", max_length=20, choices=FeeMethod.choices,
                                  blank=True, default="")
    # For the public tracking page: a random tracking number and a hashed query code.
    tracking_number = models.CharField("查询编号", max_length=20, unique=True)
    query_code_hash = models.CharField(max_length=200, editable=False)
    # One browser submission makes one application, however often it is sent.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                      editable=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name="登记人")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                verbose_name="承办人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="application_number"),
        ]
        indexes = [models.Index(fields=["agency", "received_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def number(self) -> str:
        """The yearly number within the agency, e.g. 2026-0007."""
        return f"{self.year}-{self.seq:04d}"


class ApplicationEvent(models.Model):
    """One step in an application's history. Never changed, never deleted."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="events", verbose_name="申请")
    kind = models.CharField("事件", max_length=30,
                            choices=[(k, v) for k, v in clock.KIND_ZH.items()
                                     if k != clock.RECEIVED])
    date = models.DateField("日期")
    # The table 三 row a closing event files the case under; null for other events.
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOME_CHOICES, blank=True,
                               default="", db_index=True)
    data = models.JSONField("数据", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", verbose_name="经办人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理事件"
        verbose_name_plural = "办理事件"
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["kind", "date"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("application events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("application events are append-only")

    def as_clock_event(self) -> clock.Event:
        data = dict(self.data)
        if self.outcome and self.kind == clock.ANSWERED:
            data["outcome"] = self.outcome
        return clock.Event(self.kind, self.date, data)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application_id}/{filename}"


class Attachment(models.Model):
    """A document of the application or of one of its events (letters, the applicant's files)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="attachments")
    event = models.ForeignKey(ApplicationEvent, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"


class CalendarDay(models.Model):
    """An administrator's override of the national working-day calendar: a holiday, a make-up
    working day, or a regional holiday; `complete_year` rows mark a year entered in full."""

    day = models.DateField("日期", unique=True)
    workday = models.BooleanField("上班", help_text="勾选：调休上班日；不勾选：放假")
    name = models.CharField("名称", max_length=100, blank=True)

    class Meta:
        verbose_name = "放假调休安排"
        verbose_name_plural = "放假调休安排"
        ordering = ["day"]


class CalendarYear(models.Model):
    """A year whose whole holiday arrangement has been entered as CalendarDay rows."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200, blank=True,
                              help_text="如：国务院办公厅关于2027年部分节假日安排的通知")

    class Meta:
        verbose_name = "已录入放假安排的年份"
        verbose_name_plural = "已录入放假安排的年份"
