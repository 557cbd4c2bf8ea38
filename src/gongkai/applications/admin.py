"""Admin: the working-day overrides are edited here (every change audited); the application
events are shown read-only, since they are append-only and written by services only."""

from django.contrib import admin
from django.db import transaction

from gongkai.audit.admin import ReadOnlyAdmin
from gongkai.audit.services import record

from .models import ApplicationEvent, CalendarDay, CalendarYear


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletions leave an audit event, as services' writes do."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(request.user, f"calendar.{'changed' if change else 'added'}", obj,
                   **{k: str(v) for k, v in form.cleaned_data.items()})

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request.user, "calendar.deleted", (obj._meta.label_lower, obj.pk),
                   value=str(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ("day", "workday", "name")
    list_filter = ("workday",)
    search_fields = ("name",)
    date_hierarchy = "day"


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    list_display = ("year", "source")


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    list_display = ("date", "application", "kind", "outcome", "author", "recorded_at")
    list_filter = ("kind", "outcome")
    search_fields = ("application__name", "application__tracking_number", "note")
    date_hierarchy = "date"
    list_select_related = ("application", "author")

