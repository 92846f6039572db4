import pytest
from django.core.management import call_command

from payments.models import Payment
from portal.accounts.constants import Role
from tests import factories
from tests.payments.helpers import pay_on_gateway, start

pytestmark = pytest.mark.django_db


def test_pay_page_shows_the_breakdown_and_goes_to_the_gateway(owner_web, awaiting, django_capture_on_commit_callbacks):
    page = owner_web.get(f"/payments/dossier/{awaiting.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "100.000" in html and "35.000" in html and "135.000" in html
    response = owner_web.post(f"/payments/dossier/{awaiting.pk}/")
    payment = Payment.objects.get(dossier=awaiting)
    assert response.status_code == 302 and response["Location"] == payment.pay_url
    checkout = owner_web.get(payment.pay_url)
    assert checkout.status_code == 200 and "135.000" in checkout.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        back = owner_web.post(payment.pay_url, {"method": "qr", "outcome": "succeeded"})
    assert back["Location"] == f"/payments/{payment.public_id}/result/"
    result = owner_web.get(back["Location"])
    assert 'data-status="succeeded"' in result.content.decode()
    awaiting.refresh_from_db()
    assert awaiting.status == "submitted"
    receipt = owner_web.get(f"/payments/{payment.public_id}/receipt/")
    assert receipt["Content-Type"] == "application/pdf"


def test_cancel_on_the_gateway_returns_to_a_payable_dossier(owner_web, awaiting):
    payment = start(awaiting)
    back = owner_web.post(payment.pay_url, {"method": "wallet", "outcome": "cancelled"})
    html = owner_web.get(back["Location"]).content.decode()
    assert 'data-status="cancelled"' in html and f"/payments/dossier/{awaiting.pk}/" in html


def test_pages_of_someone_elses_payment_are_404(client, awaiting):
    payment = start(awaiting)
    client.force_login(factories.CitizenFactory())
    assert client.get(f"/payments/{payment.public_id}/result/").status_code == 404
    assert client.get(f"/payments/dossier/{awaiting.pk}/").status_code == 404


def test_office_desk_is_for_staff_and_bounded(client, awaiting, django_assert_max_num_queries):
    pay_on_gateway(start(awaiting), outcome="failed")
    client.force_login(factories.CitizenFactory())
    assert client.get("/payments/office/").status_code == 403
    client.force_login(factories.make_official(role=Role.ADMIN))
    with django_assert_max_num_queries(12):
        response = client.get("/payments/office/")
    assert response.status_code == 200 and "Đối soát thanh toán" in response.content.decode()
    assert client.get("/payments/office/?date=hôm-qua").status_code == 200


def test_expire_unpaid_command(awaiting, settings):
    settings.PAYMENT_EXPIRY_MINUTES = 0
    call_command("expire_unpaid")
    awaiting.refresh_from_db()
    assert awaiting.status == "withdrawn"
