from django.contrib import admin

from gongkai.audit.admin import ReadOnlyAdmin

from .models import Letter, LetterSettings, NumberPrefix


@admin.register(NumberPrefix)
class NumberPrefixAdmin(admin.ModelAdmin):
    list_display = ("agency", "kind", "prefix")
    list_filter = ("kind",)


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    list_display = ("agency", "reconsideration_body")


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    """Read-only: letters are drafted and issued from the staff pages, with their checks."""

    list_display = ("__str__", "application", "kind", "issued_on")
    list_filter = ("kind",)

