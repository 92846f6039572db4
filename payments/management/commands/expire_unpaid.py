from django.core.management.base import BaseCommand

from payments.services import dossiers_expire_unpaid, payments_poll_pending


class Command(BaseCommand):
    help = "Hỏi cổng thanh toán về giao dịch còn treo, rồi rút các hồ sơ quá hạn thanh toán (như tác vụ định kỳ)."

    def handle(self, *args, **options):
        moved = payments_poll_pending()
        expired = dossiers_expire_unpaid()
        self.stdout.write(f"{moved} giao dịch cập nhật, {expired} hồ sơ hết hạn thanh toán")
