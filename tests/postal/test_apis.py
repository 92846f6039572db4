"""GET /api/v1/dossiers/{id}/shipments/: the applicant and officials of the agency; 404 for anyone else."""

import pytest
from rest_framework.test import APIClient

from portal.accounts.constants import Role
from tests import factories

pytestmark = pytest.mark.django_db


def url(shipment):
    return f"/api/v1/dossiers/{shipment.dossier_id}/shipments/"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_applicant_sees_the_shipment_and_its_steps(shipment, django_assert_max_num_queries):
    client = as_user(shipment.dossier.applicant)
    with django_assert_max_num_queries(8):
        response = client.get(url(shipment))
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert set(row) >= {"tracking_number", "direction", "status", "fee", "cod_amount", "events"}
    assert row["tracking_number"] == shipment.tracking_number and row["cod_amount"] == shipment.cod_amount
    assert [set(e) >= {"status", "occurred_at", "location"} for e in row["events"]] == [True]


def test_an_official_of_the_agency_sees_it(shipment):
    official = factories.make_official(role=Role.PROCESSOR, agency=shipment.dossier.agency)
    assert as_user(official).get(url(shipment)).status_code == 200


@pytest.mark.parametrize("who", ["stranger", "other_agency"])
def test_anyone_else_gets_404(shipment, who):
    user = (
        factories.CitizenFactory()
        if who == "stranger"
        else factories.make_official(role=Role.RECEIVER, agency=factories.AgencyFactory())
    )
    assert as_user(user).get(url(shipment)).status_code == 404


def test_a_missing_dossier_is_404_and_no_login_is_401(shipment, api_client):
    assert as_user(shipment.dossier.applicant).get("/api/v1/dossiers/999999/shipments/").status_code == 404
    assert api_client.get(url(shipment)).status_code == 401


def test_the_schema_documents_both_endpoints_and_their_errors(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    shipments = schema["paths"]["/api/v1/dossiers/{dossier_id}/shipments/"]["get"]["responses"]
    webhook = schema["paths"]["/api/v1/postal/webhook/"]["post"]["responses"]
    assert {"200", "401", "404"} <= set(shipments) and {"200", "400"} <= set(webhook)
