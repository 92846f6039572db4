from django.core.management.base import BaseCommand

from postal.providers.mockpost.simulator import notices_redeliver


class Command(BaseCommand):
    help = "Bưu cục mô phỏng gửi lại các thông báo trạng thái bưu gửi chưa được cổng nhận (như tác vụ định kỳ)."

    def handle(self, *args, **options):
        count = notices_redeliver()
        self.stdout.write(f"{count} thông báo được gửi lại")
