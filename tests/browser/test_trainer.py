"""Acceptance 2 in a real browser: the trainer resets the demo, starts the overdue scenario, moves the
clock, sees the dossier overdue with the apology action; starts the level-4 scenario, moves the clock past
the payment time, sees the payment expired and the dossier withdrawn."""

import json
import shutil

import pytest
from django.utils import translation
from playwright.sync_api import expect

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from payments.models import Payment
from portal.accounts.models import User
from portal.seeding import SEEDS_DIR, load_seeds, read_seed_file
from tests.browser.helpers import no_horizontal_overflow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
RESET_TIMEOUT_MS = 120_000


@pytest.fixture
def small_world(settings, tmp_path, monkeypatch):
    """Demo mode with the demo world cut to the two agencies of demo_accounts.json and no history."""
    settings.DEMO_MODE = True
    settings.MOCKPAY_NOTICE_URL = ""
    settings.MOCKPOST_NOTICE_URL = ""
    settings.PAYMENT_SETTLEMENT_DIR = str(tmp_path)
    for path in SEEDS_DIR.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(SEEDS_DIR / "forms", tmp_path / "forms")  # the level-2 form templates procedures.json names
    world = read_seed_file(SEEDS_DIR / "demo_world.json")
    world.update(accounts=[a for a in world["accounts"] if a["role"] == "citizen"], history=[])
    (tmp_path / "demo_world.json").write_text(json.dumps(world, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr("trainer.reset.SEEDS_DIR", tmp_path)
    monkeypatch.setattr("trainer.reset.load_seeds", lambda **kw: load_seeds(seeds_dir=tmp_path, **kw))
    load_seeds(seeds_dir=tmp_path, demo=True, log=lambda *_: None)


def start_scenario(page, key) -> str:
    page.locator(f'[data-scenario="{key}"]').get_by_role("button", name="Bắt đầu kịch bản").click()
    page.wait_for_load_state()
    link = page.locator(".messages a").first
    expect(link).to_be_visible()
    return link.get_attribute("href")


def move_clock(page, working_days: int) -> None:
    page.get_by_label("Dời đồng hồ thêm").fill(str(working_days))
    page.get_by_label("Đơn vị").select_option("working_days")
    page.get_by_role("button", name="Dời đồng hồ", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("[data-demo-clock]")).to_be_visible()


def sign_in_as(page, name: str) -> None:
    """People are grouped by agency, each group folded away but the first few: open theirs first."""
    button = page.get_by_role("button", name=f"Đăng nhập là {name}", include_hidden=True)
    group = page.locator("details.people-group", has=button)
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    page.get_by_role("button", name=f"Đăng nhập là {name}").click()
    page.wait_for_load_state()


def test_the_trainer_shows_overdue_and_payment_expiry_by_moving_the_clock(page, live_server, small_world):
    trainer = User.objects.get(phone="0916000001")
    sign_in(page, live_server, trainer, password="Demo@2026")
    page.goto(live_server.url + "/trainer/")
    # A reset rebuilds the (small) demo world through the services: seconds, more on a busy machine.
    with page.expect_navigation(timeout=RESET_TIMEOUT_MS):
        page.get_by_role("button", name="Đặt lại dữ liệu trình diễn").click()
    expect(page.get_by_text("Đã đặt lại dữ liệu trình diễn")).to_be_visible()
    assert no_horizontal_overflow(page)

    overdue_href = start_scenario(page, "overdue")
    move_clock(page, 3)
    sign_in_as(page, "Vũ Thị Lan")
    page.goto(live_server.url + overdue_href)
    expect(page.locator(".badge-overdue").first).to_be_visible()
    expect(page.get_by_text("Xin lỗi và hẹn lại ngày trả kết quả").first).to_be_visible()
    page.get_by_role("button", name="Quay lại tài khoản người hướng dẫn").click()
    page.wait_for_load_state()

    level4_href = start_scenario(page, "criminal_record")
    dossier = Dossier.objects.get(pk=int(level4_href.rstrip("/").split("/")[-1]))
    assert dossier.status == DossierStatus.AWAITING_PAYMENT
    move_clock(page, 2)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    assert not Payment.objects.filter(dossier=dossier, status="succeeded").exists()
    sign_in_as(page, "Nguyễn Văn An")
    page.goto(live_server.url + f"/dossiers/{dossier.pk}/")
    expect(page.get_by_text("Hết hạn thanh toán").first).to_be_visible()
    with translation.override("vi"):  # the page's language, whatever an earlier test left active here
        withdrawn = str(dossier.get_status_display())
    expect(page.get_by_text(withdrawn).first).to_be_visible()
