"""Agencies in a tree, and the staff who work for them.

The tree is stored as a materialised path ("/1/5/12/": the ids from the root down to this
agency) so that "this agency and everything under it" is one indexed prefix query on SQLite
and PostgreSQL alike. Paths are written only by services.create_agency / move_agency."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AgencyKind(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "县（区）级"
    TOWNSHIP = "township", "乡镇（街道）"
    DEPARTMENT = "department", "部门"
    VILLAGE = "village", "村（社区）"
    STATION = "station", "站所"


# Depth of each kind in the administrative hierarchy: a child is always deeper than its parent.
KIND_LEVEL = {
    AgencyKind.PROVINCE: 1,
    AgencyKind.CITY: 2,
    AgencyKind.DISTRICT: 3,
    AgencyKind.TOWNSHIP: 4,
    AgencyKind.DEPARTMENT: 4,
    AgencyKind.VILLAGE: 5,
    AgencyKind.STATION: 5,
}


class Agency(models.Model):
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("层级", max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级机关", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # db_index on a CharField also gives PostgreSQL a varchar_pattern_ops index, which is
    # what makes `path LIKE '/1/5/%'` use an index there.
    path = models.CharField("路径", max_length=500, db_index=True, editable=False, default="")
    office_address = models.CharField("政府信息公开工作机构地址", max_length=300, blank=True)
    office_phone = models.CharField("咨询电话", max_length=100, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    letterhead = models.CharField("文书抬头", max_length=200, blank=True,
                                  help_text="答复书等文书顶部的机关名称")

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent (not this agency)."""
        return [int(p) for p in self.path.strip("/").split("/")[:-1] if p]


class Role(models.TextChoices):
    REGISTRAR = "registrar", "登记"
    HANDLER = "handler", "承办"
    HEAD = "head", "负责人"
    SUPERVISOR = "supervisor", "监督（本级及下级）"
    ADMIN = "admin", "管理员"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户",
                             on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT,
                               related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"
