from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

import portal.clock as clock
from trainer.cast import MissingCast
from trainer.steps import StoryError
from trainer.walkthrough import walkthrough_run


class Command(BaseCommand):
    help = (
        "Chạy mọi kịch bản trình diễn đến cuối qua các dịch vụ của cổng, in từng bước: ai làm, "
        "hồ sơ sang trạng thái nào (chỉ khi bật DEMO_MODE; cần tài khoản demo đã nạp)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--restore-clock",
            action="store_true",
            help="Đưa đồng hồ trình diễn về như trước khi chạy (khi chạy trong CI hoặc bên cạnh một buổi trình diễn).",
        )

    def handle(self, *args, **options):
        # The script reads in Vietnamese whatever language the process was last switched to.
        with translation.override(settings.LANGUAGE_CODE):
            self._walk(**options)

    def _walk(self, *, restore_clock=False, **options):
        if not settings.DEMO_MODE:
            raise CommandError("DEMO_MODE đang tắt: kịch bản trình diễn chỉ chạy ở chế độ trình diễn.")
        write = self.stdout.write
        counter = {"n": 0}

        def on_scenario(scenario):
            counter["n"] = 0
            write(self.style.MIGRATE_HEADING(f"\n== {scenario.key}: {scenario.title}"))

        def echo(step):
            counter["n"] += 1
            code = step.code or ""
            write(f"  {counter['n']:>2}. {step.title} — {step.who} → {step.status_label} [{step.status}] {code}")

        offset_before = clock.offset()
        try:
            stories = walkthrough_run(on_scenario=on_scenario, echo=echo)
        except (StoryError, MissingCast) as exc:
            raise CommandError(f"Kịch bản dừng lại: {exc}") from exc
        finally:
            if restore_clock:
                clock.restore(offset_before)
        steps = sum(len(story.steps) for story in stories)
        write(self.style.SUCCESS(f"\nXong {len(stories)} kịch bản, {steps} bước."))
        if restore_clock:
            write("Đồng hồ trình diễn đã trở lại như trước khi chạy.")
        elif not clock.is_real_time():
            lead = clock.offset()
            write(
                f"Đồng hồ trình diễn đang chạy trước giờ thực {lead.days} ngày {lead.seconds // 3600} giờ "
                "(đặt lại: demo_reset)."
            )
