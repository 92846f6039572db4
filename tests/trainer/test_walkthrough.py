"""Acceptance 3: demo_walkthrough carries every scenario to its end and prints every step."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

import portal.clock as clock
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from trainer.scenarios import SCENARIOS

pytestmark = pytest.mark.django_db


def test_the_walkthrough_runs_every_scenario_to_its_end_naming_each_step(demo_people):
    out = io.StringIO()
    with translation.override("en"):  # the script is in Vietnamese whatever the process was switched to
        call_command("demo_walkthrough", stdout=out)
    text = out.getvalue()
    with translation.override("vi"):
        for scenario in SCENARIOS:
            assert f"== {scenario.key}: {scenario.title}" in text
    for words in (
        "Nộp hồ sơ",
        "Thanh toán thành công",
        "Tiếp nhận hồ sơ",
        "Yêu cầu bổ sung hồ sơ",
        "Đã bổ sung hồ sơ",
        "Dời đồng hồ 3 ngày làm việc",
        "Xin lỗi và hẹn lại ngày trả kết quả",
        "Không giải quyết",
        "hoàn tiền",
        "Tiếp nhận hồ sơ giấy tại bộ phận một cửa",
        "Bưu điện: ",
        "Trả kết quả",
        "Vũ Thị Lan (0914000001)",
    ):
        assert words in text, words
    assert f"Xong {len(SCENARIOS)} kịch bản" in text
    ends = dict(Dossier.objects.values_list("status").order_by().distinct().values_list("status", "status"))
    assert set(ends) == {DossierStatus.COMPLETED, DossierStatus.REFUSED}


def test_the_walkthrough_can_put_the_clock_back_where_it_was(demo_people):
    clock.advance(timedelta(hours=2))
    call_command("demo_walkthrough", "--restore-clock", stdout=io.StringIO())
    assert clock.offset() == timedelta(hours=2)


def test_the_walkthrough_refuses_to_run_outside_demo_mode(demo_people, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("demo_walkthrough", stdout=io.StringIO())
