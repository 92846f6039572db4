"""Paying a level-4 fee on the gateway simulator page, in a real browser."""

import pytest

from dossiers.models import Dossier
from payments.models import Payment
from tests.browser.helpers import no_horizontal_overflow, sign_in
from tests.dossiers.builders import make_dossier
from tests.payments.helpers import level4_procedure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def payment_settings(settings, tmp_path):
    settings.PAYMENT_SETTLEMENT_DIR = str(tmp_path)
    settings.MOCKPAY_NOTICE_URL = ""


def test_citizen_pays_on_the_simulator_and_the_dossier_is_submitted(page, live_server, shoot):
    dossier = make_dossier("submitted", procedure=level4_procedure())
    sign_in(page, live_server, dossier.applicant)
    page.goto(f"{live_server.url}/payments/dossier/{dossier.pk}/")
    assert "135.000" in page.inner_text("main")
    page.get_by_role("button", name="Thanh toán 135.000 đồng").click()
    page.wait_for_url("**/payments/gateway/pay/**")
    page.get_by_label("Quét mã QR").check()
    assert no_horizontal_overflow(page)
    shoot(page, "mockpay-checkout")
    page.get_by_role("button", name="Thanh toán thành công").click()
    page.wait_for_url("**/result/")
    assert page.locator("#payment-status").get_attribute("data-status") == "succeeded"
    shoot(page, "payment-result")
    assert Dossier.objects.get(pk=dossier.pk).status == "submitted"
    assert Payment.objects.get(dossier=dossier).method == "qr"


def test_cancel_leaves_the_dossier_payable(page, live_server):
    dossier = make_dossier("submitted", procedure=level4_procedure())
    sign_in(page, live_server, dossier.applicant)
    page.goto(f"{live_server.url}/payments/dossier/{dossier.pk}/")
    page.get_by_role("button", name="Thanh toán 135.000 đồng").click()
    page.get_by_role("button", name="Hủy giao dịch").click()
    page.wait_for_url("**/result/")
    assert page.locator("#payment-status").get_attribute("data-status") == "cancelled"
    page.get_by_role("link", name="Thanh toán lại").click()
    assert page.get_by_role("button", name="Thanh toán 135.000 đồng").is_visible()
    assert Dossier.objects.get(pk=dossier.pk).status == "awaiting_payment"
