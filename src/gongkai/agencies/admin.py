"""Admin pages for reading the tree and posts. Changes go through services (which audit them),
so the admin is read-only here."""

from django.contrib import admin

from gongkai.audit.admin import ReadOnlyAdmin as ReadOnly

from .models import Agency, Membership


@admin.register(Agency)
class AgencyAdmin(ReadOnly):
    list_display = ("name", "kind", "parent", "path", "office_phone")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(ReadOnly):
    list_display = ("user", "agency", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "agency__name")
