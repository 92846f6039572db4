from django.core.management.base import BaseCommand, CommandError

from portal.accounts.constants import CITIZEN_ROLE, Role
from portal.accounts.services import user_create_official
from portal.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Tạo (hoặc cập nhật, theo số điện thoại) một tài khoản đã xác thực với đúng một vai trò. "
        "receiver/processor/approver/leader cần --agency; trainer/admin không gắn cơ quan; "
        "citizen tạo tài khoản công dân."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=[CITIZEN_ROLE, *Role.values])
        parser.add_argument("--agency", default=None, help="Mã định danh cơ quan, ví dụ 000.00.15.H26")
        parser.add_argument("--phone", required=True)
        parser.add_argument("--national-id", default="", dest="national_id")
        parser.add_argument("--full-name", required=True, dest="full_name")
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args, role, agency, phone, national_id, full_name, password, email, **options):
        try:
            user = user_create_official(
                role=role,
                agency_code=agency,
                phone=phone,
                national_id=national_id,
                full_name=full_name,
                password=password,
                email=email,
            )
        except ServiceError as exc:
            option = {"agency_code": "agency", "national_id": "national-id", "full_name": "full-name"}.get(
                exc.field or "", exc.field
            )
            raise CommandError(f"--{option}: {exc.message}" if option else exc.message) from exc
        where = f" @ {agency}" if agency else ""
        self.stdout.write(self.style.SUCCESS(f"{user.full_name} ({user.phone}): {role}{where}"))
