"""Hostile input, as an attack run sent it: every request gets a 4xx answer (JSON under /api/, the
400 page elsewhere), never a 500. The test client raises a view's exception instead of answering
500, so a crash fails these tests loudly."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from dossiers.models import Dossier
from portal.accounts.constants import Role
from portal.api.parsers import MAX_JSON_DEPTH, json_nesting_exceeds
from portal.api.refusals import (
    ERR_BODY_TOO_LARGE,
    ERR_JSON_TOO_DEEP,
    ERR_TOO_MANY_FIELDS,
    ERR_TOO_MANY_FILES,
    ERR_UNSAFE_CHARACTERS,
)
from portal.errors import too_long_message
from procedures.form_schema import TEXT_MAX_LENGTH
from tests import factories
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
LONE_SURROGATE = "\ud800"
THIRTY_MB = 30 * 1024 * 1024


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen_session(citizen):
    """A logged-in browser session: the whole middleware stack runs, as for a real client."""
    client = Client()
    client.force_login(citizen)
    return client


def refused(response, status=400, code=None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    if code is not None:
        assert body["code"] == code
    return body


def unsafe(response, field: str) -> None:
    body = refused(response, code="invalid_characters")
    assert body == {"detail": ERR_UNSAFE_CHARACTERS, "code": "invalid_characters", "field": field}


def post_json(client, url, payload, **extra):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(url, body, content_type="application/json", **extra)


def draft_payload(procedure, **fields):
    return {"procedure": procedure.code, "agency": procedure.agencies.first().code, **fields}


# --- NUL bytes and broken Unicode in paths and query strings ----------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/lookup/?code=%00&id_last4=1234", "code"),
        ("/api/v1/lookup/?code=ABC&id_last4=12%0034", "id_last4"),
        ("/api/v1/procedures/?search=%ED%A0%80", "search"),
        ("/api/v1/procedures/?%00=1", "\ufffd"),
        ("/api/v1/procedures/%00/", "path"),
        ("/api/v1/procedures/%ED%A0%80/", "path"),
    ],
)
def test_api_refuses_nul_and_surrogates_in_the_url_naming_where(url, field):
    unsafe(Client().get(url), field)


def test_file_downloads_refuse_a_nul_in_json_like_the_rest_of_the_api():
    unsafe(Client().get("/files/attachments/1/?q=%00"), "q")


@pytest.mark.parametrize(
    "url", ["/procedures/%00/", "/procedures/%ED%A0%80/", "/procedures/?search=%00", "/dossiers/lookup/?code=%00"]
)
def test_pages_answer_the_400_page_for_nul_and_surrogates(url):
    response = Client().get(url)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_office_queue_search_with_a_nul_is_a_400_page(agency):
    client = Client()
    client.force_login(factories.make_official(role=Role.RECEIVER, agency=agency))

    assert client.get("/office/?search=%00").status_code == 400
    assert client.get("/office/?search=Nguy%E1%BB%85n").status_code == 200


def test_ordinary_vietnamese_in_paths_and_queries_passes(procedure):
    client = Client()

    assert client.get(f"/api/v1/procedures/{procedure.code}/").status_code == 200
    assert client.get("/api/v1/procedures/?search=gi%E1%BA%A5y+ph%C3%A9p").status_code == 200
    assert client.get("/procedures/?search=gi%E1%BA%A5y").status_code == 200


def test_nul_in_a_header_or_a_cookie_is_refused():
    unsafe(Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token abc\x00def"), "Authorization")
    unsafe(Client().get("/api/v1/procedures/", HTTP_COOKIE='sessionid="abcdefgh\\000"'), "Cookie")


# --- Bodies: form, JSON, multipart ---------------------------------------------------------------


def test_nul_in_a_form_body_is_refused_on_the_api_and_on_pages():
    form = "application/x-www-form-urlencoded"
    unsafe(Client().post("/api/v1/auth/login/", "username=a%00&password=b", content_type=form), "username")

    page = Client().post("/accounts/login/", "username=a%00&password=b", content_type=form)
    assert page.status_code == 400
    assert "Yêu cầu không hợp lệ" in page.content.decode()


@pytest.mark.parametrize("bad", ["\x00", LONE_SURROGATE, f"Nguyễn Văn A{LONE_SURROGATE}"])
def test_nul_or_lone_surrogate_in_form_data_is_a_400_naming_the_field(procedure, citizen_session, bad):
    response = post_json(citizen_session, "/api/v1/dossiers/", draft_payload(procedure, form_data={"ly_do": bad}))

    unsafe(response, "form_data.ly_do")
    assert not Dossier.objects.exists()


def test_unsafe_key_or_list_item_is_named_by_its_path(procedure, citizen_session):
    bad_key = draft_payload(procedure, form_data={"ly\x00do": "x"})
    unsafe(post_json(citizen_session, "/api/v1/dossiers/", bad_key), "form_data")

    bad_item = draft_payload(procedure, delivery_address={"street": ["ok", LONE_SURROGATE]})
    unsafe(post_json(citizen_session, "/api/v1/dossiers/", bad_item), "delivery_address.street.1")

    unsafe(post_json(citizen_session, "/api/v1/dossiers/", b'"\\u0000"'), "body")


def test_nul_in_a_multipart_field_is_refused(citizen_session):
    unsafe(citizen_session.post("/api/v1/dossiers/", {"procedure": "1.001\x00"}), "procedure")


def test_json_nested_5000_deep_is_a_400_on_every_json_endpoint(procedure, citizen_session):
    deep = b"[" * 5000 + b"]" * 5000
    dossier = make_dossier("submitted", procedure=procedure)

    for client, url in [
        (Client(), "/api/v1/auth/login/"),
        (citizen_session, "/api/v1/dossiers/"),
        (citizen_session, f"/api/v1/dossiers/{dossier.pk}/actions/receive/"),
    ]:
        body = refused(post_json(client, url, deep), code="too_deep")
        assert body["detail"] == ERR_JSON_TOO_DEEP.format(limit=MAX_JSON_DEPTH)


def nested_objects(levels: int) -> dict:
    nested = {}
    for _ in range(levels - 1):
        nested = {"x": nested}
    return nested


def test_json_as_deep_as_the_limit_is_parsed_one_more_level_is_not(procedure, citizen_session):
    # The body and form_data are two levels; the unknown field "x" holds the rest.
    at_limit = draft_payload(procedure, form_data={"ly_do": "x", "x": nested_objects(MAX_JSON_DEPTH - 2)})
    too_deep = draft_payload(procedure, form_data={"ly_do": "x", "x": nested_objects(MAX_JSON_DEPTH - 1)})

    response = post_json(citizen_session, "/api/v1/dossiers/", at_limit)
    assert response.status_code == 400
    assert response.json() == {"form_data": {"x": ["Trường 'x' không có trong biểu mẫu"]}}
    refused(post_json(citizen_session, "/api/v1/dossiers/", too_deep), code="too_deep")


@pytest.mark.parametrize(
    ("raw", "deeper_than_three"),
    [
        (b"[[[]]]", False),
        (b"[[[[]]]]", True),
        (b'{"a": {"b": {"c": 1}}}', False),
        (b'{"a": {"b": {"c": {}}}}', True),
        (b'["[[[[[[", "{{{{{{"]', False),  # brackets inside strings do not nest
        (b'["\\"[[[[", [[]]]', False),  # nor after an escaped quote
        (b"[]" * 1000, False),
    ],
)
def test_nesting_is_measured_outside_strings(raw, deeper_than_three):
    assert json_nesting_exceeds(raw, 3) is deeper_than_three


# --- Size and count limits answer JSON under /api/ ------------------------------------------------


def test_a_30_mb_json_body_is_a_413_json(citizen_session):
    body = refused(post_json(citizen_session, "/api/v1/dossiers/", b"[" + b"1," * (THIRTY_MB // 2) + b"1]"), 413)
    assert body == {"detail": ERR_BODY_TOO_LARGE, "code": "too_large"}


def test_a_30_mb_form_body_is_a_413_json_on_the_api_and_a_400_page_elsewhere():
    form = "application/x-www-form-urlencoded"
    huge = b"username=" + b"x" * THIRTY_MB

    refused(Client().post("/api/v1/auth/login/", huge, content_type=form), 413, code="too_large")
    page = Client().post("/accounts/login/", huge, content_type=form)
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


def test_a_30_mb_multipart_field_is_a_413_json(citizen_session):
    response = citizen_session.post("/api/v1/dossiers/", {"procedure": "x" * THIRTY_MB})

    refused(response, 413, code="too_large")


def test_1001_form_fields_are_a_400_json(citizen_session):
    fields = {f"f{i}": "1" for i in range(1001)}
    urlencoded = "&".join(f"{name}=1" for name in fields)

    body = refused(citizen_session.post("/api/v1/dossiers/", fields), code="too_many_fields")  # multipart
    assert body["detail"] == ERR_TOO_MANY_FIELDS
    refused(
        citizen_session.post("/api/v1/dossiers/", urlencoded, content_type="application/x-www-form-urlencoded"),
        code="too_many_fields",
    )
    refused(citizen_session.get(f"/api/v1/dossiers/?{urlencoded}"), code="too_many_fields")
    assert Client().get(f"/procedures/?{urlencoded}").status_code == 400


def test_101_files_are_a_400_json(procedure, citizen_session, citizen):
    draft = make_dossier("draft", procedure=procedure, applicant=citizen)
    files = {f"file{i}": SimpleUploadedFile(f"a{i}.pdf", b"%PDF-1.4") for i in range(101)}

    for url in ["/api/v1/dossiers/", f"/api/v1/dossiers/{draft.pk}/attachments/"]:
        body = refused(citizen_session.post(url, {"document": "to-khai", **files}), code="too_many_files")
        assert body["detail"] == ERR_TOO_MANY_FILES
        for upload in files.values():
            upload.seek(0)


# --- Free text and dates within bounds -----------------------------------------------------------


def test_a_street_of_a_million_characters_is_a_400(procedure, citizen_session):
    address = {"province": "Hải Phòng", "commune": "Phường Trần Hưng Đạo", "street": "x" * 1_000_000}
    payload = draft_payload(procedure, form_data={"ly_do": "x"}, delivery_method="postal", delivery_address=address)

    response = post_json(citizen_session, "/api/v1/dossiers/", payload)

    assert response.status_code == 400
    assert response.json() == {"delivery_address": {"street": [too_long_message(200)]}}
    assert not Dossier.objects.exists()


def test_a_form_text_without_its_own_bound_takes_at_most_the_portal_limit(agency, citizen_session):
    procedure = factories.ProcedureFactory(
        agencies=[agency],
        form_schema={"type": "object", "properties": {"ghi_chu": {"type": "string", "title": "Ghi chú"}}},
    )
    too_long = draft_payload(procedure, form_data={"ghi_chu": "x" * (TEXT_MAX_LENGTH + 1)})
    at_limit = draft_payload(procedure, form_data={"ghi_chu": "x" * TEXT_MAX_LENGTH})

    response = post_json(citizen_session, "/api/v1/dossiers/", too_long)
    assert response.status_code == 400
    assert response.json() == {"form_data": {"ghi_chu": [f"Trường 'Ghi chú' chỉ được tối đa {TEXT_MAX_LENGTH} ký tự"]}}
    assert post_json(citizen_session, "/api/v1/dossiers/", at_limit).status_code == 201


def test_an_apology_dated_9999_12_31_is_a_400():
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=HCM), tick=False):
        dossier = make_dossier("processing")
    client = APIClient()
    client.force_authenticate(dossier.staff.receiver)
    url = f"/api/v1/dossiers/{dossier.pk}/actions/issue_apology/"

    with time_machine.travel(dossier.due_at + timedelta(days=1), tick=False):
        response = client.post(url, {"reason": "Cần xác minh", "new_due_at": "9999-12-31"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"new_due_at": ["Ngày hẹn mới không được quá một năm kể từ hôm nay."]}
    dossier.refresh_from_db()
    assert dossier.due_at.year == 2026


def test_refusals_speak_the_callers_language():
    # The request leaves its language active in this thread: give the next test Vietnamese back.
    with translation.override("vi"):
        response = Client().get("/api/v1/procedures/%00/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["detail"] == "The data contains invalid characters (a NUL character or broken Unicode)."
