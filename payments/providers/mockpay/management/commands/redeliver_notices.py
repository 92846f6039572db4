from django.core.management.base import BaseCommand

from payments.providers.mockpay.simulator import notices_redeliver


class Command(BaseCommand):
    help = "Cổng mô phỏng gửi lại các thông báo giao dịch chưa được cổng dịch vụ công nhận (như tác vụ định kỳ)."

    def handle(self, *args, **options):
        count = notices_redeliver()
        self.stdout.write(f"{count} thông báo được gửi lại")
