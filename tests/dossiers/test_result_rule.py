"""One rule, one answer: the API's `result_available` says exactly whether the download is allowed,
for every status, fee state and caller."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers import rules
from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from portal.accounts.constants import Role
from tests import factories
from tests.dossiers import files
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db

FEE_STATES = {"no_fee": (0, 0), "fee_owed": (50_000, 0), "part_paid": (50_000, 20_000), "fee_paid": (50_000, 50_000)}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(scope="module")
def result_pdf() -> bytes:
    return files.pdf_bytes()


@pytest.mark.parametrize("fee_state", sorted(FEE_STATES))
@pytest.mark.parametrize("status", sorted(DossierStatus.values))
@pytest.mark.parametrize("caller", ["applicant", "official"])
def test_result_available_matches_the_download(status, fee_state, caller, result_pdf):
    dossier = make_dossier("draft")
    amount_due, amount_paid = FEE_STATES[fee_state]
    dossier.result_file.save("ket-qua.pdf", ContentFile(result_pdf), save=False)
    Dossier.objects.filter(pk=dossier.pk).update(
        result_file=dossier.result_file.name,
        status=status,
        code="000.00.90.H26-261201-0001",
        amount_due=amount_due,
        amount_paid=amount_paid,
    )
    user = (
        dossier.applicant
        if caller == "applicant"
        else factories.make_official(role=Role.RECEIVER, agency=dossier.agency)
    )
    client = _client(user)
    detail = client.get(reverse("dossiers-api:detail", args=[dossier.pk]))
    download = client.get(reverse("dossier_files:result", args=[dossier.pk]))
    if caller == "official" and status == DossierStatus.DRAFT:
        # A citizen's unsent draft is invisible to officials: both answers are 404.
        assert (detail.status_code, download.status_code) == (404, 404)
        return
    assert detail.status_code == 200
    assert download.status_code in (200, 404)
    assert detail.json()["result_available"] is (download.status_code == 200)
    if caller == "applicant":
        dossier.refresh_from_db()
        expected = status in rules.RESULT_VISIBLE_STATUSES and amount_paid >= amount_due
        assert detail.json()["result_available"] is expected


def test_without_a_result_file_nothing_is_available():
    dossier = make_dossier("completed")
    Dossier.objects.filter(pk=dossier.pk).update(result_file="")
    client = _client(dossier.applicant)
    assert client.get(reverse("dossiers-api:detail", args=[dossier.pk])).json()["result_available"] is False
    assert client.get(reverse("dossier_files:result", args=[dossier.pk])).status_code == 404


@pytest.mark.parametrize(
    ("delivery_method", "status", "awaits"),
    [
        ("postal", DossierStatus.IN_DELIVERY, False),
        ("postal", DossierStatus.RESULT_READY, True),
        ("counter", DossierStatus.RESULT_READY, True),
        ("counter", DossierStatus.COMPLETED, True),
    ],
)
def test_the_fee_is_asked_for_unless_the_postman_collects_it(delivery_method, status, awaits):
    dossier = Dossier(
        delivery_method=delivery_method, status=status, amount_due=50_000, amount_paid=0, result_file="r.pdf"
    )
    assert rules.result_awaits_fee(dossier) is awaits
    dossier.amount_paid = 50_000
    assert rules.result_awaits_fee(dossier) is False
