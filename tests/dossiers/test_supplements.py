"""Supplements of named papers: the official names them, the applicant cannot answer without each one,
the officials see the new papers on the dossier."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.constants import DossierStatus
from dossiers.services.review import ActionInput, dossier_act
from dossiers.supplements import OTHERS_MAX
from tests.dossiers.builders import PDF_BYTES, make_dossier

pytestmark = pytest.mark.django_db
OTHER = "Bản sao giấy khai sinh"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def asked():
    """A received dossier whose receiver asked (through the API) for the form again and one other paper."""
    dossier = make_dossier("processing")
    response = api_for(dossier.staff.receiver).post(
        f"/api/v1/dossiers/{dossier.pk}/actions/request_supplement/",
        {
            "reason": "Tờ khai thiếu chữ ký; cần bản sao giấy khai sinh",
            "documents": ["to-khai"],
            "other_documents": [OTHER],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    return dossier


def test_a_request_naming_two_papers_cannot_be_answered_without_both(asked):
    citizen = api_for(asked.applicant)
    url = f"/api/v1/dossiers/{asked.pk}"
    papers = citizen.get(f"{url}/").json()["supplement_papers"]
    assert [(p["name"], p["other"], p["sent"]) for p in papers] == [("Tờ khai", False, False), (OTHER, True, False)]

    refused = citizen.post(f"{url}/supplement/", {"note": "Xong"}, format="json")
    assert refused.status_code == 400
    assert "Tờ khai" in refused.json()["documents"][0] and OTHER in refused.json()["documents"][0]

    # The form is already attached from the submission: only a file sent since the request counts.
    assert (
        citizen.post(f"{url}/attachments/", {"document": "to-khai", "file": pdf("to-khai-ky.pdf")}).status_code == 201
    )
    refused = citizen.post(f"{url}/supplement/", {"note": "Xong"}, format="json")
    assert refused.status_code == 400
    assert OTHER in refused.json()["documents"][0] and "Tờ khai" not in refused.json()["documents"][0]

    other_key = papers[1]["key"]
    upload = citizen.post(f"{url}/attachments/", {"document": other_key, "file": pdf("khai-sinh.pdf")})
    assert upload.status_code == 201, upload.json()
    answered = citizen.post(f"{url}/supplement/", {"note": "Đã gửi đủ"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == DossierStatus.PROCESSING

    # The officials see the new papers, by name, on the dossier (API and page).
    official = api_for(asked.staff.processor).get(f"{url}/").json()
    names = {(a["document"], a["document_name"], a["original_name"]) for a in official["attachments"]}
    assert ("to-khai", "Tờ khai", "to-khai-ky.pdf") in names and (other_key, OTHER, "khai-sinh.pdf") in names
    web = Client()
    web.force_login(asked.staff.processor)
    page = web.get(reverse("office:detail", args=[asked.pk])).content.decode()
    assert "khai-sinh.pdf" in page and OTHER in page and "Nộp bổ sung" in page
    assert "Giấy tờ cần bổ sung:" in page  # the request on the timeline lists them


def test_an_other_paper_key_is_accepted_only_while_its_request_is_open(asked):
    citizen = api_for(asked.applicant)
    assert (
        citizen.post(
            f"/api/v1/dossiers/{asked.pk}/attachments/", {"document": "giay-to-bo-sung-9-1", "file": pdf("x.pdf")}
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"documents": ["khong-co"]}, "documents"),
        ({"other_documents": ["x" * 201]}, "other_documents"),
        ({"other_documents": [f"Giấy {n}" for n in range(OTHERS_MAX + 1)]}, "other_documents"),
    ],
)
def test_a_bad_paper_list_is_a_400_and_nothing_moves(payload, field):
    dossier = make_dossier("processing")
    response = api_for(dossier.staff.receiver).post(
        f"/api/v1/dossiers/{dossier.pk}/actions/request_supplement/", {"reason": "Bổ sung", **payload}, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING


def test_a_request_naming_no_paper_still_works_as_before():
    dossier = make_dossier("supplement_requested")
    response = api_for(dossier.applicant).post(f"/api/v1/dossiers/{dossier.pk}/supplement/", {}, format="json")
    assert response.status_code == 200


def test_the_citizen_page_asks_for_exactly_the_named_papers(asked):
    web = Client()
    web.force_login(asked.applicant)
    detail = reverse("dossiers:detail", args=[asked.pk])
    page = web.get(detail).content.decode()
    other_key = next(p["key"] for p in asked.events.get(to_status="supplement_requested").data["papers"] if p["other"])
    assert 'id="giay-to-to-khai"' in page and f'id="giay-to-{other_key}"' in page
    assert 'id="giay-to-giay-to-khac"' not in page  # a paper nobody asked for is not offered
    assert "Còn thiếu:" in page

    refused = web.post(reverse("dossiers:supplement", args=[asked.pk]), {"note": ""})
    assert refused.status_code == 200 and "Cần tải lên đủ giấy tờ" in refused.content.decode()
    for key in ("to-khai", other_key):
        web.post(reverse("dossiers:attachment-upload", args=[asked.pk]), {"document": key, "file": pdf(f"{key}.pdf")})
    sent = web.post(reverse("dossiers:supplement", args=[asked.pk]), {"note": ""}, follow=True)
    assert "Đã gửi hồ sơ bổ sung" in sent.content.decode()
    asked.refresh_from_db()
    assert asked.status == DossierStatus.PROCESSING


def test_the_office_form_names_papers_by_checkbox_and_lines():
    dossier = make_dossier("processing")
    web = Client()
    web.force_login(dossier.staff.receiver)
    url = reverse("office:detail", args=[dossier.pk])
    assert 'name="request_supplement-documents"' in web.get(url).content.decode()
    web.post(
        url,
        {
            "action": "request_supplement",
            "request_supplement-reason": "Thiếu giấy tờ",
            "request_supplement-documents": ["giay-to-khac"],
            "request_supplement-other_documents": "Giấy xác nhận cư trú\n\n Bản sao sổ đỏ ",
        },
    )
    event = dossier.events.get(to_status="supplement_requested")
    assert [p["name"] for p in event.data["papers"]] == ["Giấy tờ khác", "Giấy xác nhận cư trú", "Bản sao sổ đỏ"]


def test_a_second_request_asks_again_with_its_own_keys():
    dossier = make_dossier("processing")
    receiver = dossier.staff.receiver
    dossier_act(
        dossier_id=dossier.pk,
        user=receiver,
        action="request_supplement",
        data=ActionInput(reason="a", other_papers=(OTHER,)),
    )
    first = dossier.events.get(to_status="supplement_requested").data["papers"][0]["key"]
    api_for(dossier.applicant).post(
        f"/api/v1/dossiers/{dossier.pk}/attachments/", {"document": first, "file": pdf("a.pdf")}
    )
    dossier_act(dossier_id=dossier.pk, user=dossier.applicant, action="supplement", data=ActionInput())
    dossier_act(
        dossier_id=dossier.pk,
        user=receiver,
        action="request_supplement",
        data=ActionInput(reason="b", other_papers=(OTHER,)),
    )
    second = dossier.events.filter(to_status="supplement_requested").latest("id").data["papers"][0]["key"]
    assert second != first
    refused = api_for(dossier.applicant).post(f"/api/v1/dossiers/{dossier.pk}/supplement/", {}, format="json")
    assert refused.status_code == 400  # the file sent for the first request does not answer the second


def test_officials_see_which_named_papers_are_still_missing(asked):
    web = Client()
    web.force_login(asked.staff.receiver)
    page = web.get(reverse("office:detail", args=[asked.pk])).content.decode()
    section = page[page.index('id="cho-bo-sung"') : page.index('id="giay-to"')]
    assert "Tờ khai" in section and OTHER in section and section.count("chưa gửi") == 2
