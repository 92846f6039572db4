from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from figures.history import HistoryInputError, HistoryRefused, history_generate, history_request
from figures.history.params import DEFAULT_ON_TIME_RATIO


class Command(BaseCommand):
    help = (
        "Sinh lịch sử hồ sơ mô phỏng cho một cơ quan trong một năm (hoặc vài tháng): đúng N hồ sơ, M hồ sơ trực tuyến, "
        "ghi như quy trình thật (sự kiện, thanh toán, hoàn tiền, đánh giá), nạp hàng loạt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Mã định danh cơ quan, ví dụ 000.00.01.H26.")
        parser.add_argument("--year", required=True, type=int, help="Năm, ví dụ 2020.")
        parser.add_argument(
            "--months", default="1-12", help="Tháng hoặc khoảng tháng trong năm, ví dụ 1-6 (mặc định cả năm)."
        )
        parser.add_argument("--dossiers", required=True, type=int, help="Số hồ sơ tiếp nhận trong kỳ (N).")
        parser.add_argument("--online", required=True, type=int, help="Số hồ sơ nộp trực tuyến trong N hồ sơ (M).")
        parser.add_argument(
            "--on-time-ratio",
            type=float,
            default=None,
            help=f"Tỉ lệ hồ sơ giải quyết đúng hạn, từ 0 đến 1 (mặc định {DEFAULT_ON_TIME_RATIO}).",
        )
        parser.add_argument("--level4", type=int, default=None, help="Số thủ tục của cơ quan cung cấp ở mức độ 4 (K).")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu.")
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ.")

    def handle(self, *args, **options):
        try:
            request = history_request(
                agency_code=options["agency"],
                year=options["year"],
                months=options["months"],
                dossiers=options["dossiers"],
                online=options["online"],
                on_time_ratio=options["on_time_ratio"],
                level4=options["level4"],
                seed=options["seed"],
            )
        except HistoryInputError as exc:
            raise CommandError(str(exc)) from exc
        console = Console(stderr=True)
        bar = Progress(
            TextColumn("Sinh hồ sơ"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=options["no_progress"],
        )
        with bar:
            task = bar.add_task("history", total=request.dossiers)
            try:
                result = history_generate(
                    request, progress=lambda done, total: bar.update(task, completed=done, total=total)
                )
            except HistoryRefused as exc:
                raise CommandError(str(exc)) from exc
        self._report(request, result)

    def _report(self, request, result):
        write = self.stdout.write
        catalog = result.catalog
        for label, codes in (
            ("Đã tạo thủ tục mô phỏng (cơ quan có quá ít thủ tục)", catalog.created),
            ("Đã nâng lên mức độ 4", catalog.promoted),
            ("Đã hạ xuống mức độ 3", catalog.demoted),
            (
                "Bỏ qua thủ tục (không lập được tờ khai, hoặc không trả kết quả tại quầy hay trực tuyến)",
                catalog.skipped,
            ),
        ):
            if codes:
                write(f"{label}: {', '.join(codes)}")
        for line in result.officials_created:
            write(f"Đã tạo cán bộ mô phỏng — {line}")
        received = result.received
        period = f"{request.first_month:02d}–{request.last_month:02d}/{request.year}"
        channels = f"trực tuyến {received['online']:,}, tại quầy {received['counter']:,}"
        write(
            f"{request.agency.code} {request.agency.name}, tháng {period}: tiếp nhận {sum(received.values()):,} hồ sơ "
            f"({channels}, qua bưu chính {received['postal']:,})."
        )
        others = {fate: n for fate, n in result.fates.items() if fate != "received"}
        if others:
            shown = ", ".join(f"{EXTRA_LABELS[fate]} {n:,}" for fate, n in sorted(others.items()))
            write(f"Thêm {sum(others.values()):,} hồ sơ trực tuyến không được tiếp nhận: {shown}.")
        write(
            f"{result.events:,} sự kiện, {result.attachments:,} giấy tờ đính kèm, "
            f"{result.supplements:,} lần yêu cầu bổ sung, {sum(result.payments.values()):,} giao dịch thanh toán "
            f"trực tuyến ({result.payments['refunded']:,} đã hoàn tiền), {result.ratings:,} đánh giá; "
            f"{result.citizens:,} tài khoản công dân ({result.citizens_created:,} mới tạo)."
        )
        statuses = ", ".join(f"{status} {count:,}" for status, count in sorted(result.statuses.items()))
        write(f"Trạng thái: {statuses}.")
        if result.on_time_ratio is not None:
            write(
                f"Hồ sơ hoàn thành có kết quả đúng hạn: {result.on_time:,}/{result.on_time + result.late:,} "
                f"= {result.on_time_ratio:.2%}."
            )
        write(
            f"Đã dựng lại {result.rollup_rows:,} dòng số liệu tổng hợp theo ngày "
            f"({result.date_from:%d/%m/%Y}–{result.date_to:%d/%m/%Y}) trong {result.rollup_seconds:.1f} giây."
        )
        write(
            self.style.SUCCESS(
                f"Xong trong {result.seconds:.1f} giây (nạp hồ sơ {result.load_seconds:.1f} giây, "
                f"dựng lại số liệu tổng hợp {result.rollup_seconds:.1f} giây)."
            )
        )


EXTRA_LABELS = {"rejected": "bị từ chối tiếp nhận", "withdrawn": "người nộp rút", "unpaid": "quá hạn thanh toán"}
