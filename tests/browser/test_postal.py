"""A level-4 result sent by post, in a real browser: paid online with its postage, shipped by the office,
moved to delivered on the post office's handheld, then shown completed with its steps to the citizen."""

import pytest
from playwright.sync_api import expect

from dossiers.models import Dossier
from portal.formatting import vnd
from postal.models import Shipment
from procedures.constants import OnlineLevel
from procedures.fees import POSTAGE_BY_ZONE
from tests.browser.helpers import no_horizontal_overflow, sign_in
from tests.browser.test_office_journey import act, switch_user
from tests.dossiers.builders import make_dossier
from tests.postal.helpers import FEE, commune_of_hai_duong, procedure_at

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERY_STEPS = ("Bưu tá đã nhận gửi", "Đang vận chuyển", "Đang phát", "Đã phát thành công")


@pytest.fixture(autouse=True)
def simulators_in_process(settings, tmp_path):
    settings.PAYMENT_SETTLEMENT_DIR = str(tmp_path)
    settings.MOCKPAY_NOTICE_URL = ""
    settings.MOCKPOST_NOTICE_URL = ""
    settings.MOCKPOST_FAILED_DELIVERY_PERCENT = 0


def test_a_level4_result_paid_online_is_shipped_delivered_and_shown_completed(page, live_server, shoot):
    procedure = procedure_at(commune_of_hai_duong(), level=OnlineLevel.LEVEL_4)
    dossier = make_dossier("submitted", procedure=procedure, delivery_method="postal")
    assert dossier.status == "awaiting_payment"
    assert dossier.amount_due >= FEE + POSTAGE_BY_ZONE["same_province"]
    staff = dossier.staff
    detail = f"{live_server.url}/office/dossiers/{dossier.pk}/"

    sign_in(page, live_server, dossier.applicant)
    page.goto(f"{live_server.url}/payments/dossier/{dossier.pk}/")
    postage_row = page.get_by_role("row", name="Cước bưu chính trả kết quả")
    expect(postage_row).to_contain_text(vnd(POSTAGE_BY_ZONE["same_province"]))
    page.get_by_role("button", name=f"Thanh toán {vnd(dossier.amount_due)} đồng").click()
    page.wait_for_url("**/payments/gateway/pay/**")
    page.get_by_role("button", name="Thanh toán thành công").click()
    page.wait_for_url("**/result/")
    assert page.locator("#payment-status").get_attribute("data-status") == "succeeded"

    switch_user(page, live_server, staff.receiver)
    page.goto(detail)
    act(page, "receive")
    act(page, "assign", choose={"Chuyên viên xử lý": staff.processor.full_name})
    switch_user(page, live_server, staff.processor)
    page.goto(detail)
    act(page, "forward")
    switch_user(page, live_server, staff.approver)
    page.goto(detail)
    act(page, "approve", upload="Tệp kết quả giải quyết (PDF)")
    switch_user(page, live_server, staff.receiver)
    page.goto(detail)
    act(page, "ship")
    shipment = Shipment.objects.get(dossier=dossier)
    assert shipment.cod_amount == 0  # fee and postage were both paid online

    page.goto(f"{live_server.url}/office/?tab=delivery")
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
    page.get_by_role("link", name="Bưu gửi của cơ quan").click()
    expect(page.get_by_role("main")).to_contain_text(shipment.tracking_number)
    assert no_horizontal_overflow(page)
    shoot(page, "postal-shipments")

    page.goto(f"{live_server.url}/postal/handheld/{shipment.tracking_number}/")
    for status in DELIVERY_STEPS:
        page.get_by_role("button", name=f"Chuyển bước tiếp theo: {status}").click()
        expect(page.locator(".summary")).to_contain_text(status)
    assert no_horizontal_overflow(page)
    assert Dossier.objects.get(pk=dossier.pk).status == "completed"

    switch_user(page, live_server, dossier.applicant)
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    main = page.get_by_role("main")
    expect(main.get_by_text("Đã hoàn thành").first).to_be_visible()
    steps = page.locator(".shipment-steps")
    for status in ("Đã tạo đơn gửi", *DELIVERY_STEPS):
        expect(steps).to_contain_text(status)
    expect(main).to_contain_text(shipment.tracking_number)
    assert no_horizontal_overflow(page)
    shoot(page, "postal-delivered")
