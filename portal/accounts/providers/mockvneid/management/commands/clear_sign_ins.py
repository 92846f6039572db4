from django.core.management.base import BaseCommand

from portal.accounts.providers.mockvneid.housekeeping import sign_ins_clear


class Command(BaseCommand):
    help = "VNeID mô phỏng xoá mã cấp quyền, token đã hết hạn và các lượt đăng nhập cũ (như tác vụ định kỳ)."

    def handle(self, *args, **options):
        count = sign_ins_clear()
        self.stdout.write(f"{count} lượt đăng nhập cũ đã được xoá")
