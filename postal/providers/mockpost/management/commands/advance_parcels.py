from django.core.management.base import BaseCommand

from postal.providers.mockpost.simulator import parcels_advance_due


class Command(BaseCommand):
    help = "Bưu cục mô phỏng chuyển các bưu gửi đến hạn sang bước tiếp theo (như tác vụ định kỳ)."

    def handle(self, *args, **options):
        count = parcels_advance_due()
        self.stdout.write(f"{count} bưu gửi được chuyển bước")
