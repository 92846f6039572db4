from datetime import date

from django.core.management.base import BaseCommand, CommandError

from payments.providers.mockpay.settlement import settlement_write, settlement_yesterday


class Command(BaseCommand):
    help = "Cổng mô phỏng ghi file quyết toán của một ngày (mặc định hôm qua, như tác vụ hằng ngày)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (mặc định: hôm qua)")

    def handle(self, *args, date: str | None = None, **options):
        try:
            day = _parse(date) if date else settlement_yesterday()
        except ValueError as exc:
            raise CommandError("--date phải có dạng YYYY-MM-DD") from exc
        self.stdout.write(str(settlement_write(day=day)))


def _parse(value: str):
    return date.fromisoformat(value)
