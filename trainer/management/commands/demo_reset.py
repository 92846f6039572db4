from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trainer.reset import demo_reset


class Command(BaseCommand):
    help = "Đặt lại dữ liệu trình diễn về trạng thái ban đầu (chỉ khi bật DEMO_MODE)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("DEMO_MODE đang tắt: không có dữ liệu trình diễn để đặt lại.")
        counts = demo_reset(log=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS(f"Đã đặt lại dữ liệu trình diễn ({sum(counts.values())} bản ghi)."))
