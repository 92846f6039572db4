"""My dossiers: search by code or procedure name (diacritics ignored), filter by status; the API too."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine():
    citizen = factories.CitizenFactory()
    agency = factories.AgencyFactory()
    licence = factories.ProcedureFactory(agencies=[agency], name="Cấp đổi giấy phép lái xe")
    birth = factories.ProcedureFactory(agencies=[agency], name="Đăng ký khai sinh")
    dossiers = {
        "licence": make_dossier("submitted", procedure=licence, applicant=citizen),
        "birth": make_dossier("processing", procedure=birth, applicant=citizen),
        "draft": make_dossier("draft", procedure=birth, applicant=citizen),
    }
    make_dossier("submitted", procedure=licence)  # someone else's
    return citizen, dossiers


def listed(citizen, **query) -> str:
    client = Client()
    client.force_login(citizen)
    return client.get(reverse("dossiers:list"), query).content.decode()


def test_search_by_procedure_name_without_diacritics(mine):
    citizen, dossiers = mine
    html = listed(citizen, search="giay phep lai xe")
    assert dossiers["licence"].code in html and dossiers["birth"].code not in html


def test_search_by_part_of_the_code_and_filter_by_status(mine, django_assert_max_num_queries):
    citizen, dossiers = mine
    code = dossiers["birth"].code
    found = listed(citizen, search=code.lower())
    assert code in found and dossiers["licence"].code not in found
    client = Client()
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("dossiers:list"), {"status": "processing"}).content.decode()
    assert code in html and dossiers["licence"].code not in html and "Tiếp tục soạn" not in html
    assert 'option value="processing" selected' in html
    assert "Không có hồ sơ nào khớp" in listed(citizen, status="completed")
    # An unknown status is ignored rather than an error.
    assert dossiers["licence"].code in listed(citizen, status="bogus")


def test_the_api_filters_the_same_way(mine):
    citizen, dossiers = mine
    api = APIClient()
    api.force_authenticate(citizen)
    rows = api.get("/api/v1/dossiers/", {"search": "khai sinh"}).json()["results"]
    assert {row["id"] for row in rows} == {dossiers["birth"].pk, dossiers["draft"].pk}
    rows = api.get("/api/v1/dossiers/", {"status": "submitted"}).json()["results"]
    assert [row["id"] for row in rows] == [dossiers["licence"].pk]
    assert api.get("/api/v1/dossiers/", {"status": "nope"}).status_code == 400
    assert api.get("/api/v1/dossiers/", {"search": "x" * 101}).status_code == 400
