from datetime import date

from django.core.management.base import BaseCommand, CommandError

from payments.services import reconcile


class Command(BaseCommand):
    help = "Đối soát file quyết toán của cổng thanh toán với giao dịch trên cổng cho một ngày; in mọi chênh lệch."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")

    def handle(self, *args, date: str, **options):
        try:
            day = _parse(date)
        except ValueError as exc:
            raise CommandError("--date phải có dạng YYYY-MM-DD") from exc
        mismatches = reconcile(day=day)
        for m in mismatches:
            self.stdout.write(
                f"{m.kind}\t{m.provider_ref}\tpayment={m.payment_id or '-'}"
                f"\tportal={_show(m.portal_amount)}/{m.portal_status or '-'}"
                f"\tgateway={_show(m.gateway_amount)}/{m.gateway_status or '-'}"
            )
        self.stdout.write(f"{day:%Y-%m-%d}: {len(mismatches)} chênh lệch")


def _parse(value: str):
    return date.fromisoformat(value)


def _show(amount) -> str:
    return "-" if amount is None else str(amount)
