from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.seeding import SEEDS_DIR, SeedError, load_seeds


class Command(BaseCommand):
    help = "Nạp dữ liệu khởi tạo từ seeds/ (cơ quan, lịch làm việc, thủ tục; tài khoản demo khi bật DEMO_MODE)."

    def add_arguments(self, parser):
        demo = parser.add_mutually_exclusive_group()
        demo.add_argument("--demo", dest="demo", action="store_true", default=None, help="Nạp cả dữ liệu demo.")
        demo.add_argument("--no-demo", dest="demo", action="store_false", help="Không nạp dữ liệu demo.")
        parser.set_defaults(demo=None)
        parser.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help="Thư mục chứa các tệp seed.")
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            metavar="FILE",
            help="Bỏ qua một tệp seed, ví dụ demo_world.json (nhắc lại để bỏ qua nhiều tệp).",
        )

    def handle(self, *args, demo=None, seeds_dir=SEEDS_DIR, skip=(), **options):
        try:
            counts = load_seeds(
                seeds_dir=seeds_dir, demo=demo, log=lambda line: self.stdout.write(line), skip=frozenset(skip)
            )
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {sum(counts.values())} bản ghi từ {len(counts)} tệp."))
