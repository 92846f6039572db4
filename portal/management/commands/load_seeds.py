from django.core.management.base import BaseCommand, CommandError

from portal.seeding import SeedError, load_seeds


class Command(BaseCommand):
    help = "Nạp dữ liệu khởi tạo từ seeds/ (cơ quan, lịch làm việc, thủ tục; tài khoản demo khi bật DEMO_MODE)."

    def add_arguments(self, parser):
        demo = parser.add_mutually_exclusive_group()
        demo.add_argument("--demo", dest="demo", action="store_true", default=None, help="Nạp cả dữ liệu demo.")
        demo.add_argument("--no-demo", dest="demo", action="store_false", help="Không nạp dữ liệu demo.")

    def handle(self, *args, demo=None, **options):
        try:
            counts = load_seeds(demo=demo, log=lambda line: self.stdout.write(line))
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {sum(counts.values())} bản ghi từ {len(counts)} tệp."))
