"""The other postal journeys, in a real browser: a level-3 result paid to the postman (cash on delivery),
a failed delivery that brings the result back to the counter with an SMS to the citizen, and a paper
dossier collected from home by the post and registered at the counter."""

import pytest
from playwright.sync_api import expect

from dossiers.models import Dossier
from portal.accounts.constants import Role
from portal.formatting import vnd
from portal.notifications.models import OutboundMessage
from postal.models import Shipment
from procedures.constants import OnlineLevel
from procedures.fees import POSTAGE_BY_ZONE
from tests import factories
from tests.browser.helpers import no_horizontal_overflow, sign_in
from tests.browser.test_office_journey import act, switch_user
from tests.dossiers.builders import make_dossier
from tests.postal.helpers import FEE, commune_of_hai_duong, procedure_at

pytestmark = pytest.mark.django_db(transaction=True)

SAME_PROVINCE = POSTAGE_BY_ZONE["same_province"]


@pytest.fixture(autouse=True)
def simulators_in_process(settings, tmp_path):
    settings.PAYMENT_SETTLEMENT_DIR = str(tmp_path)
    settings.MOCKPAY_NOTICE_URL = ""
    settings.MOCKPOST_NOTICE_URL = ""
    settings.MOCKPOST_FAILED_DELIVERY_PERCENT = 0


def push(page, live_server, shipment, *steps: str):
    """Work the post office's handheld: each step is the next status's label, or None to fail the delivery."""
    page.goto(f"{live_server.url}/postal/handheld/{shipment.tracking_number}/")
    for status in steps:
        if status is None:
            page.get_by_role("button", name="Phát không thành công").click()
            expect(page.locator(".summary")).to_contain_text("Phát không thành công")
        else:
            page.get_by_role("button", name=f"Chuyển bước tiếp theo: {status}").click()
            expect(page.locator(".summary")).to_contain_text(status)


def ship_from_the_counter(page, live_server, dossier) -> Shipment:
    switch_user(page, live_server, dossier.staff.receiver)
    page.goto(f"{live_server.url}/office/dossiers/{dossier.pk}/")
    act(page, "ship")
    return Shipment.objects.get(dossier=dossier)


def test_a_level3_result_is_paid_to_the_postman_and_the_payment_recorded(page, live_server):
    procedure = procedure_at(commune_of_hai_duong(), level=OnlineLevel.LEVEL_3)
    dossier = make_dossier("result_ready", procedure=procedure, delivery_method="postal")
    assert (dossier.amount_due, dossier.amount_paid) == (FEE, 0)
    sign_in(page, live_server, dossier.applicant)
    shipment = ship_from_the_counter(page, live_server, dossier)
    assert shipment.cod_amount == FEE + SAME_PROVINCE

    switch_user(page, live_server, dossier.applicant)
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    cod = page.locator(".shipments").get_by_text("Trả cho bưu tá khi nhận").locator("..")
    expect(cod).to_contain_text(vnd(FEE + SAME_PROVINCE))

    switch_user(page, live_server, dossier.staff.receiver)
    push(page, live_server, shipment, "Bưu tá đã nhận gửi", "Đang vận chuyển", "Đang phát", "Đã phát thành công")
    dossier.refresh_from_db()
    assert dossier.status == "completed" and dossier.amount_paid == FEE

    switch_user(page, live_server, dossier.applicant)
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    main = page.get_by_role("main")
    expect(main.get_by_text("Đã hoàn thành").first).to_be_visible()
    expect(main).to_contain_text("Bưu tá đã thu của người nhận")
    expect(main).to_contain_text(vnd(FEE + SAME_PROVINCE))
    assert no_horizontal_overflow(page)


def test_a_failed_delivery_brings_the_result_back_and_the_citizen_gets_an_sms(page, live_server):
    commune = commune_of_hai_duong()
    procedure = procedure_at(commune, level=OnlineLevel.LEVEL_3)
    dossier = make_dossier("result_ready", procedure=procedure, delivery_method="postal")
    sign_in(page, live_server, dossier.staff.receiver)
    shipment = ship_from_the_counter(page, live_server, dossier)
    push(page, live_server, shipment, "Bưu tá đã nhận gửi", "Đang vận chuyển", "Đang phát", None, "Đã hoàn trả")
    dossier.refresh_from_db()
    assert dossier.status == "result_ready" and dossier.amount_paid == 0

    page.goto(f"{live_server.url}/postal/shipments/?state=returned")
    expect(page.get_by_role("main")).to_contain_text(shipment.tracking_number)

    sms = OutboundMessage.objects.filter(channel="sms", recipient=dossier.applicant.phone).latest("created_at")
    assert "hoàn trả" in sms.body and commune.name in sms.body

    switch_user(page, live_server, dossier.applicant)
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Số 2 Nguyễn Du")  # where to collect it, on the public timeline
    expect(page.locator(".shipment-steps")).to_contain_text("Đã hoàn trả")
    assert no_horizontal_overflow(page)


def test_a_pickup_from_home_becomes_a_counter_dossier(page, live_server, shoot):
    commune = commune_of_hai_duong()
    procedure = procedure_at(commune, level=OnlineLevel.LEVEL_3)
    citizen = factories.CitizenFactory(full_name="Lê Thị Hoa")
    receiver = factories.make_official(role=Role.RECEIVER, agency=commune)

    sign_in(page, live_server, citizen)
    page.goto(f"{live_server.url}/procedures/{procedure.code}/")
    page.get_by_role("link", name="Nhờ bưu điện nhận hồ sơ giấy tại nhà").click()
    expect(page.get_by_label("Người gửi hồ sơ")).to_have_value("Lê Thị Hoa")
    page.wait_for_load_state()  # the picker's deferred script listens for the province change only once it ran
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hải Phòng")
    # Choosing the province reloads its communes.
    expect(page.get_by_label("Xã/phường/đặc khu").locator("option", has_text="Phường Trần Hưng Đạo")).to_have_count(1)
    page.get_by_label("Xã/phường/đặc khu").select_option(label="Phường Trần Hưng Đạo")
    page.get_by_label("Số nhà, đường, thôn/xóm").fill("12 Quang Trung")
    assert no_horizontal_overflow(page)
    shoot(page, "postal-pickup-request")
    page.get_by_role("button", name="Đặt bưu điện đến nhận").click()
    page.wait_for_url("**/postal/pickups/")
    shipment = Shipment.objects.get(applicant=citizen)
    expect(page.get_by_role("main")).to_contain_text(shipment.tracking_number)
    expect(page.locator(".alert-success")).to_contain_text(vnd(SAME_PROVINCE))

    switch_user(page, live_server, receiver)
    push(page, live_server, shipment, "Bưu tá đã nhận gửi", "Đang vận chuyển", "Đang phát", "Đã phát thành công")
    page.goto(f"{live_server.url}/postal/shipments/?state=arrived")
    page.get_by_role("link", name=f"Tiếp nhận hồ sơ {shipment.tracking_number}").click()
    expect(page.get_by_role("main")).to_contain_text("Lê Thị Hoa")
    page.get_by_label("Lý do").fill("Cấp bản sao")
    assert no_horizontal_overflow(page)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận hồ sơ")
    dossier = Dossier.objects.get(shipments=shipment)
    assert dossier.channel == "postal" and dossier.applicant == citizen and dossier.code

    switch_user(page, live_server, citizen)
    page.goto(f"{live_server.url}/postal/pickups/")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("main")).to_contain_text(shipment.tracking_number)
