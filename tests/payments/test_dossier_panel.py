"""The dossier page shows the deadline to pay online and the e-receipts; a dossier paid online is never
sent to the counter to pay."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers import workflow
from dossiers.roles import actor_roles
from dossiers.services.review import ActionInput, dossier_act
from payments.services.core import payment_expiry_for
from tests import factories
from tests.dossiers.builders import Staff, make_dossier
from tests.payments.helpers import paid

pytestmark = pytest.mark.django_db


def page(user, dossier) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()


def test_a_dossier_waiting_for_payment_shows_the_deadline(awaiting):
    html = page(awaiting.applicant, awaiting)
    deadline = timezone.localtime(payment_expiry_for(awaiting))
    assert "Hạn thanh toán trực tuyến" in html and deadline.strftime("%H:%M, %d/%m/%Y") in html
    assert deadline - timezone.localtime(awaiting.submitted_at) == timedelta(minutes=24 * 60)
    assert "nộp tại bộ phận một cửa" not in html


def test_a_paid_dossier_links_its_e_receipt_and_never_offers_the_counter(awaiting, django_capture_on_commit_callbacks):
    payment = paid(awaiting, django_capture_on_commit_callbacks)
    html = page(awaiting.applicant, awaiting)
    assert reverse("payments:receipt", args=[payment.public_id]) in html and payment.receipt_number in html
    assert "Hạn thanh toán trực tuyến" not in html
    assert "Đã nộp đủ" in html and "nộp tại bộ phận một cửa" not in html and "Thanh toán trực tuyến" not in html

    staff = Staff(awaiting.agency)
    # An official sees the receipt number, not the applicant's download link.
    official_html = Client()
    official_html.force_login(staff.receiver)
    office = official_html.get(reverse("office:detail", args=[awaiting.pk])).content.decode()
    assert payment.receipt_number in office
    assert reverse("payments:receipt", args=[payment.public_id]) not in office


def test_the_counter_is_offered_the_fee_only_while_some_is_owed():
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()], fee=20_000)
    dossier = make_dossier("result_ready", procedure=procedure)
    receiver = dossier.staff.receiver

    def offered():
        dossier.refresh_from_db()
        return {t.action for t in workflow.available_actions(dossier, actor_roles(user=receiver, dossier=dossier))}

    assert "record_counter_payment" in offered() and "hand_over" not in offered()
    dossier_act(dossier_id=dossier.pk, user=receiver, action="record_counter_payment", data=ActionInput(amount=20_000))
    assert "record_counter_payment" not in offered() and "hand_over" in offered()
