from django.core.management.base import BaseCommand

from gongkai.applications.tasks import remind_handlers


class Command(BaseCommand):
    help = "Enqueue the daily reminder of due-soon and overdue applications (run once a day)."

    def handle(self, *args, **options):
        result = remind_handlers.enqueue()
        self.stdout.write(f"已提交提醒任务 {result.id}（enqueued reminder task {result.id}）")
