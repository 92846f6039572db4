from django.core.management.base import BaseCommand

from payments.services import payments_poll_pending


class Command(BaseCommand):
    help = "Hỏi cổng thanh toán về các giao dịch còn treo (như tác vụ định kỳ)."

    def handle(self, *args, **options):
        count = payments_poll_pending()
        self.stdout.write(f"{count} giao dịch cập nhật")
