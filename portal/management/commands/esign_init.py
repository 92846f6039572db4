from django.core.management.base import BaseCommand

from portal.esign import ca
from procedures.models import Agency


class Command(BaseCommand):
    help = (
        "Tạo tổ chức chứng thực mô phỏng của Cổng (nếu chưa có) và cấp chứng thư số ký kết quả cho mọi cơ quan. "
        "Chạy lại bao nhiêu lần cũng được."
    )

    def handle(self, *args, **options):
        root, created = ca.root_ensure()
        where = ca.root_path()
        self.stdout.write(f"{'Đã tạo' if created else 'Đã có'} chứng thư gốc {root.serial_hex} tại {where}.")
        issued = 0
        for code, name in Agency.objects.order_by("code").values_list("code", "name"):
            ca.agency_signer(agency_code=code, agency_name=name, create_root=True)
            issued += 1
        self.stdout.write(self.style.SUCCESS(f"Chứng thư số của {issued} cơ quan sẵn sàng."))
