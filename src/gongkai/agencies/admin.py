"""Admin pages for reading the tree and posts. Changes go through services (which audit them),
so the admin is read-only here."""

from django.contrib import admin

from .models import Agency, Membership


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
