import pytest
from django.test import Client
from knox.models import AuthToken

from procedures.constants import GovLevel
from tests.factories import AgencyFactory, CitizenFactory, FieldFactory, ProcedureFactory


def test_search_acceptance_driving_licence(seeded, api_client):
    response = api_client.get("/api/v1/procedures/", {"search": "giay phep lai xe"})
    assert response.status_code == 200
    assert "Cấp đổi giấy phép lái xe" in [row["name"] for row in response.json()["results"]]


def test_search_acceptance_birth_registration_first(seeded, api_client):
    response = api_client.get("/api/v1/procedures/", {"search": "dang ky khai sinh"})
    first = response.json()["results"][0]
    assert (first["code"], first["name"]) == ("1.001193", "Thủ tục đăng ký khai sinh")


def test_list_shape_and_pagination(seeded, api_client):
    body = api_client.get("/api/v1/procedures/", {"page_size": 5}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] >= 40 and len(body["results"]) == 5
    assert body["previous"] is None and "page=2" in body["next"]
    row = body["results"][0]
    for key in ("code", "name", "online_level", "online_level_label", "processing_days", "fee", "charge", "agencies"):
        assert key in row


def test_ranked_search_pages_stay_in_rank_order(seeded, api_client):
    everything = api_client.get("/api/v1/procedures/", {"search": "dang ky", "page_size": 100}).json()["results"]
    paged = []
    for page in (1, 2, 3):
        response = api_client.get("/api/v1/procedures/", {"search": "dang ky", "page_size": 5, "page": page})
        paged += [row["code"] for row in response.json()["results"]]
    assert paged == [row["code"] for row in everything][:15]


def test_list_filters_by_agency_field_level_and_gov_level(seeded, api_client):
    police = api_client.get("/api/v1/procedures/", {"agency": "000.00.09.H26", "page_size": 100}).json()["results"]
    assert police and all("000.00.09.H26" in [a["code"] for a in row["agencies"]] for row in police)
    level2 = api_client.get("/api/v1/procedures/", {"online_level": 2, "page_size": 100}).json()["results"]
    assert level2 and {row["online_level"] for row in level2} == {2}
    ho_tich = api_client.get("/api/v1/procedures/", {"field": "ho-tich", "page_size": 100}).json()["results"]
    assert ho_tich and {row["field"]["code"] for row in ho_tich} == {"ho-tich"}
    district = api_client.get("/api/v1/procedures/", {"gov_level": "district", "page_size": 100}).json()["results"]
    assert district and {row["gov_level"] for row in district} == {"district"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"online_level": 9}, "online_level"),
        ({"online_level": "bon"}, "online_level"),
        ({"gov_level": "ward"}, "gov_level"),
        ({"agency": "999.99.99.H99"}, "agency"),
        ({"field": "khong-co"}, "field"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(seeded, api_client, params, field):
    response = api_client.get("/api/v1/procedures/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_detail_fields(seeded, api_client):
    response = api_client.get("/api/v1/procedures/3.000333/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "3.000333"
    assert body["online_level"] == 4
    assert body["online_level_name"] == "Mức độ 4"
    assert body["online_service_kind"] == "toàn trình"
    assert body["processing_days"] == 10
    assert body["fee"] == 200000 and isinstance(body["fee"], int)
    assert body["online_discount_percent"] == 50 and body["online_total_fee"] == 100000
    assert body["agencies"] == [
        {"code": "000.00.01.H26", "name": "Sở Tư pháp tỉnh Hải Dương"},
        {"code": "000.00.09.H26", "name": "Công an tỉnh Hải Dương"},
    ]
    assert body["field"] == {"code": "ly-lich-tu-phap", "name": "Lý lịch tư pháp"}
    assert body["gov_level"] == "province"
    assert body["delivery_methods"] == ["online", "counter", "postal"]
    assert body["form_schema"]["type"] == "object" and "ho_ten" in body["form_schema"]["required"]
    documents = body["required_documents"]
    assert documents[0] == {
        "key": "to-khai",
        "name": documents[0]["name"],
        "mandatory": True,
        "accepted_types": ["pdf", "jpeg", "png"],
    }
    assert any(not document["mandatory"] for document in documents)
    for key in ("charge", "result_name", "legal_basis", "description"):
        assert key in body


def test_detail_level_3_is_partial(seeded, api_client):
    body = api_client.get("/api/v1/procedures/1.000894/").json()
    assert body["online_level"] == 3
    assert body["online_level_label"] == "Mức độ 3 — một phần"
    assert body["online_service_kind"] == "một phần"


def test_detail_unknown_code_is_json_404(db, api_client):
    response = api_client.get("/api/v1/procedures/0.000000/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_agencies_filter_by_gov_level(seeded, api_client):
    body = api_client.get("/api/v1/agencies/", {"gov_level": "district"}).json()
    assert body["count"] >= 3
    assert {row["gov_level"] for row in body["results"]} == {"district"}
    assert all(row["parent"] == "000.00.00.H26" for row in body["results"])
    communes = api_client.get("/api/v1/agencies/", {"gov_level": "commune", "page_size": 100}).json()["results"]
    trần_phú = next(row for row in communes if row["code"] == "000.01.15.H26")
    assert trần_phú["parent"] == "000.00.15.H26"
    province = api_client.get("/api/v1/agencies/", {"gov_level": "province"}).json()["results"]
    assert next(row for row in province if row["code"] == "000.00.00.H26")["parent"] is None


def test_agencies_bad_gov_level_is_400(db, api_client):
    response = api_client.get("/api/v1/agencies/", {"gov_level": "ward"})
    assert response.status_code == 400
    assert "gov_level" in response.json()


def test_fields_list(seeded, api_client):
    body = api_client.get("/api/v1/fields/", {"page_size": 100}).json()
    assert body["count"] >= 8
    assert {"code": "ho-tich", "name": "Hộ tịch"} in body["results"]


@pytest.fixture
def many_procedures(db):
    fields = [FieldFactory() for _ in range(3)]
    agencies = [AgencyFactory(gov_level=GovLevel.COMMUNE) for _ in range(4)]
    for n in range(30):
        ProcedureFactory(field=fields[n % 3], agencies=agencies[: 1 + n % 4])


@pytest.mark.parametrize(
    "params", [{}, {"search": "thu nghiem"}, {"search": "thu", "online_level": 3, "gov_level": "commune"}]
)
def test_procedure_list_query_count_is_bounded(many_procedures, api_client, django_assert_max_num_queries, params):
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/v1/procedures/", {**params, "page_size": 100})
    assert response.json()["count"] == 30


def test_procedure_detail_query_count_is_bounded(many_procedures, api_client, django_assert_max_num_queries):
    procedure = ProcedureFactory(agencies=[AgencyFactory()])
    with django_assert_max_num_queries(4):
        assert api_client.get(f"/api/v1/procedures/{procedure.code}/").status_code == 200


def test_agency_and_field_lists_query_count_is_bounded(seeded, api_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert api_client.get("/api/v1/agencies/", {"page_size": 100}).status_code == 200
    with django_assert_max_num_queries(2):
        assert api_client.get("/api/v1/fields/", {"page_size": 100}).status_code == 200


@pytest.mark.parametrize("size", [3, 50])
def test_catalog_lists_run_fixed_queries_at_any_length_with_a_token(db, size, django_assert_max_num_queries):
    field = FieldFactory()
    agencies = [AgencyFactory(gov_level=GovLevel.COMMUNE) for _ in range(size)]
    for n in range(size):
        ProcedureFactory(field=field, agencies=agencies[: 1 + n % 4], name=f"Thủ tục thử nghiệm số {n}")
    for _ in range(size - 1):
        FieldFactory()
    _, key = AuthToken.objects.create(CitizenFactory())
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    # token; count; page; the page's agencies (prefetched)
    for path, params, rows in (
        ("/api/v1/procedures/", {"search": "thu nghiem"}, size),
        ("/api/v1/agencies/", {"gov_level": "commune"}, size),
        ("/api/v1/fields/", {}, size),
    ):
        with django_assert_max_num_queries(4):
            body = client.get(path, {**params, "page_size": 100}).json()
        assert body["count"] == rows and len(body["results"]) == rows
