import pytest

from payments.constants import PaymentStatus
from payments.models import Payment
from tests.payments.helpers import TOTAL, pay_on_gateway, start

pytestmark = pytest.mark.django_db


def url(dossier):
    return f"/api/v1/dossiers/{dossier.pk}/payments/"


def test_pay_opens_a_payment_with_a_gateway_url(owner_client, awaiting):
    response = owner_client.post(url(awaiting))
    assert response.status_code == 201
    body = response.json()
    assert body["amount"] == TOTAL and body["status"] == "pending"
    assert body["pay_url"].startswith("http://testserver/payments/gateway/pay/MP")
    assert body["breakdown"] == {
        "fee": 100_000,
        "charge": 35_000,
        "subtotal": 135_000,
        "discount_name": "",
        "discount_percent": 0,
        "discount_amount": 0,
        "total": 135_000,
    }


def test_pressing_pay_twice_gives_one_payment(owner_client, awaiting):
    first = owner_client.post(url(awaiting)).json()
    second = owner_client.post(url(awaiting)).json()
    assert first["id"] == second["id"]
    assert Payment.objects.filter(dossier=awaiting).count() == 1


def test_an_idempotency_key_replays_the_same_payment_even_after_it_ended(
    owner_client, awaiting, django_capture_on_commit_callbacks
):
    first = owner_client.post(url(awaiting), HTTP_IDEMPOTENCY_KEY="k-1").json()
    with django_capture_on_commit_callbacks(execute=True):
        pay_on_gateway(Payment.objects.get(public_id=first["id"]), outcome="failed")
    replay = owner_client.post(url(awaiting), HTTP_IDEMPOTENCY_KEY="k-1").json()
    assert replay["id"] == first["id"] and replay["status"] == "failed"
    fresh = owner_client.post(url(awaiting), HTTP_IDEMPOTENCY_KEY="k-2").json()
    assert fresh["id"] != first["id"] and fresh["status"] == "pending"


def test_failure_and_cancel_leave_the_dossier_payable(owner_client, owner_web, awaiting):
    for outcome in ("failed", "cancelled"):
        payment = start(awaiting)
        pay_on_gateway(payment, outcome=outcome)
        owner_web.get(f"/payments/{payment.public_id}/result/")  # the return page asks the gateway
        payment.refresh_from_db()
        assert payment.status == outcome
        awaiting.refresh_from_db()
        assert awaiting.status == "awaiting_payment"
    assert owner_client.post(url(awaiting)).status_code == 201


def test_someone_elses_dossier_is_404(api_client, awaiting, stranger):
    api_client.force_authenticate(stranger)
    response = api_client.post(url(awaiting))
    assert response.status_code == 404 and "detail" in response.json()


def test_paying_a_dossier_that_is_not_waiting_is_409(owner_client, awaiting, django_capture_on_commit_callbacks):
    payment = start(awaiting)
    with django_capture_on_commit_callbacks(execute=True):
        pay_on_gateway(payment)
    response = owner_client.post(url(awaiting))
    assert response.status_code == 409 and response.json()["code"] == "wrong_status"


def test_unauthenticated_is_401(api_client, awaiting):
    assert api_client.post(url(awaiting)).status_code == 401


def test_detail_and_receipt(owner_client, awaiting, django_capture_on_commit_callbacks):
    payment = start(awaiting)
    assert owner_client.get(f"/api/v1/payments/{payment.public_id}/receipt/").status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        pay_on_gateway(payment)
    body = owner_client.get(f"/api/v1/payments/{payment.public_id}/").json()
    assert body["status"] == PaymentStatus.SUCCEEDED and body["receipt_number"].startswith("BL")
    assert body["pay_url"] is None
    receipt = owner_client.get(f"/api/v1/payments/{payment.public_id}/receipt/")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_someone_elses_payment_is_404(api_client, awaiting, stranger):
    payment = start(awaiting)
    api_client.force_authenticate(stranger)
    assert api_client.get(f"/api/v1/payments/{payment.public_id}/").status_code == 404
    assert api_client.get(f"/api/v1/payments/{payment.public_id}/receipt/").status_code == 404


def test_list_of_a_dossiers_payments_has_bounded_queries(
    owner_client, owner_web, awaiting, django_assert_max_num_queries
):
    for outcome in ("failed", "cancelled", "failed"):
        payment = start(awaiting)
        pay_on_gateway(payment, outcome=outcome)
        owner_web.get(f"/payments/{payment.public_id}/result/")
    start(awaiting)
    with django_assert_max_num_queries(4):
        response = owner_client.get(url(awaiting))
    assert response.json()["count"] == 4


def test_the_payments_of_someone_elses_or_a_missing_dossier_are_not_found(api_client, awaiting, stranger):
    start(awaiting)
    api_client.force_authenticate(stranger)
    for dossier_url in (url(awaiting), "/api/v1/dossiers/999999/payments/"):
        response = api_client.get(dossier_url)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
