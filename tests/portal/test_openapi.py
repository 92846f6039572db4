import re

import jsonschema
import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from portal.api.errors import exception_handler
from portal.errors import NotFoundError, ServiceError, UnsafeInputError


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/v1/auth/register/", "/api/v1/procedures/", "/api/v1/dossiers/{dossier_id}/submit/"):
        assert path in text


@pytest.mark.django_db
def test_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    external = [url for url in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html) if "testserver" not in url]
    assert external == []


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def responses_of(schema, method: str, path: str) -> dict:
    return schema["paths"][path][method.lower()]["responses"]


def test_every_error_answer_is_documented_with_the_error_body(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, code)


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        # Signed in to read: no body, no path object, no throttle.
        ("GET", "/api/v1/me/", {"200", "400", "401"}),
        # Public and throttled, no authentication at all: no 401.
        ("GET", "/api/v1/lookup/", {"200", "400", "404", "429"}),
        ("POST", "/api/v1/auth/login/", {"200", "400", "403", "413", "415", "429"}),
        # A write by a signed-in caller on a dossier, with no body to parse: no 415.
        ("POST", "/api/v1/dossiers/{dossier_id}/submit/", {"200", "400", "401", "403", "404", "409", "413"}),
        # A public paginated list still authenticates a token when one is sent, and pages can run out.
        ("GET", "/api/v1/agencies/", {"200", "400", "401", "404"}),
        ("GET", "/api/v1/dossiers/{dossier_id}/payments/", {"200", "400", "401", "404"}),
    ],
)
def test_standard_answers_follow_what_the_view_is(schema, method, path, codes):
    assert set(responses_of(schema, method, path)) == codes


def test_a_top_level_agency_has_no_parent_and_the_schema_says_so(schema):
    parent = schema["components"]["schemas"]["Agency"]["properties"]["parent"]
    assert parent["nullable"] is True


@pytest.mark.parametrize(
    "body",
    [
        NotFoundError("Không tìm thấy hồ sơ.").as_dict(),
        ServiceError("Số điện thoại không hợp lệ.", field="phone").as_dict(),
        UnsafeInputError("Dữ liệu có ký tự không hợp lệ.", field="form_data.ho_ten").as_dict(),
        {"detail": "Authentication credentials were not provided."},
        {"form_data": {"ho_ten": ["Trường này là bắt buộc."]}, "delivery_method": ["Lựa chọn không hợp lệ."]},
        {"field": ["Hãy chọn một lựa chọn hợp lệ."]},
    ],
)
def test_the_error_bodies_the_api_sends_match_the_error_component(schema, body):
    validator = jsonschema.Draft202012Validator(schema["components"]["schemas"]["ErrorBody"])
    assert list(validator.iter_errors(body)) == []


def test_a_bare_django_validation_error_answers_one_reason_with_its_code():
    response = exception_handler(DjangoValidationError(["Ngày không hợp lệ.", "Hãy nhập lại."]), context={})
    assert response.status_code == 400
    assert response.data == {"detail": "Ngày không hợp lệ. Hãy nhập lại.", "code": "invalid"}
