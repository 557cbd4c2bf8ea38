"""Load a holiday-arrangement file (CSV or JSON, as gongkai.workdays.load_overrides reads it)
into the CalendarDay/CalendarYear tables the deadlines are counted with."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gongkai.applications.models import CalendarDay, CalendarYear
from gongkai.audit.services import record
from gongkai.workdays import OverrideError, load_overrides


class Command(BaseCommand):
    help = ("Import holidays and make-up working days from a CSV (date,kind,name) or JSON file. "
            "A year marked complete in the file replaces that year's rows.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV or JSON override file")
        parser.add_argument("--source", default="",
                            help="the notice the arrangement comes from, stored with each year")

    def handle(self, *args, path, source, **options):
        try:
            overrides = load_overrides(path)
        except OverrideError as e:
            raise CommandError(f"{e.zh}（{e}）") from None
        years = sorted(overrides.complete_years)
        with transaction.atomic():
            # A complete year in the file is the whole arrangement: rows no longer in it go.
            stale = (CalendarDay.objects.filter(day__year__in=years)
                     .exclude(day__in=list(overrides.days)))
            removed = stale.count()
            stale.delete()
            for o in overrides.days.values():
                CalendarDay.objects.update_or_create(
                    day=o.day, defaults={"workday": o.workday, "name": o.name})
            for year in years:
                CalendarYear.objects.update_or_create(
                    year=year, defaults={"source": source[:200] or f"导入自 {path}"[:200]})
            record(None, "calendar.imported", ("applications.calendarday", "import"),
                   file=str(path)[-200:], days=len(overrides.days), complete_years=years,
                   removed=removed)
        self.stdout.write(f"已导入 {len(overrides.days)} 天，完整年份 {years or '无'}，"
                          f"删除 {removed} 天（imported {len(overrides.days)} days, "
                          f"complete years {years}, removed {removed}）")
