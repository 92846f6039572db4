from django.core.management.base import BaseCommand

from payments.services import refunds_sweep


class Command(BaseCommand):
    help = "Gửi lại các yêu cầu hoàn tiền bị treo hoặc thất bại tới cổng thanh toán (như tác vụ định kỳ)."

    def handle(self, *args, **options):
        count = refunds_sweep()
        self.stdout.write(f"{count} khoản hoàn tiền thất bại được gửi lại")
