"""The dossier pages show the shipment and its steps (a panel postal contributes to dossiers' pages)."""

import pytest
from django.urls import reverse

from portal.accounts.constants import Role
from tests import factories
from tests.dossiers.builders import make_dossier
from tests.postal.helpers import step

pytestmark = pytest.mark.django_db


def test_the_citizen_sees_the_tracking_number_and_each_step(client, shipment, django_capture_on_commit_callbacks):
    step(shipment, django_capture_on_commit_callbacks)
    client.force_login(shipment.dossier.applicant)
    page = client.get(reverse("dossiers:detail", args=[shipment.dossier_id])).content.decode()
    assert "Bưu chính công ích" in page and shipment.tracking_number in page
    assert "Bưu tá đã nhận gửi" in page and "Đã tạo đơn gửi" in page
    assert "Trả cho bưu tá khi nhận" in page


def test_the_office_page_shows_it_too(client, shipment):
    client.force_login(factories.make_official(role=Role.RECEIVER, agency=shipment.dossier.agency))
    page = client.get(reverse("office:detail", args=[shipment.dossier_id])).content.decode()
    assert shipment.tracking_number in page


def test_no_panel_without_a_shipment(client, procedure3):
    dossier = make_dossier("result_ready", procedure=procedure3, delivery_method="postal")
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Chuyển phát kết quả qua bưu chính" not in page


FEE_NOTICE = "Vui lòng nộp phí, lệ phí còn lại để nhận kết quả"


def test_a_dossier_in_delivery_is_not_asked_for_the_fee_the_postman_collects(client, shipment):
    dossier = shipment.dossier
    assert dossier.status == "in_delivery" and dossier.amount_paid < dossier.amount_due
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert FEE_NOTICE not in page
    assert "Trả cho bưu tá khi nhận" in page


def test_a_result_waiting_at_the_counter_still_asks_for_the_fee(client, procedure3):
    dossier = make_dossier("result_ready", procedure=procedure3)
    assert dossier.amount_paid < dossier.amount_due
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert FEE_NOTICE in page
