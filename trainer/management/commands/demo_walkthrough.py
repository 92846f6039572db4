from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import portal.clock as clock
from trainer.cast import MissingCast
from trainer.steps import StoryError
from trainer.walkthrough import walkthrough_run


class Command(BaseCommand):
    help = (
        "Chạy mọi kịch bản trình diễn đến cuối qua các dịch vụ của cổng, in từng bước: ai làm, "
        "hồ sơ sang trạng thái nào (chỉ khi bật DEMO_MODE; cần tài khoản demo đã nạp)."
    )

    def handle(self, *args, **options):
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

        try:
            stories = walkthrough_run(on_scenario=on_scenario, echo=echo)
        except (StoryError, MissingCast) as exc:
            raise CommandError(f"Kịch bản dừng lại: {exc}") from exc
        steps = sum(len(story.steps) for story in stories)
        write(self.style.SUCCESS(f"\nXong {len(stories)} kịch bản, {steps} bước."))
        if not clock.is_real_time():
            write(f"Đồng hồ trình diễn đang chạy trước giờ thực {clock.offset()} (đặt lại: demo_reset).")
