import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, include, path, resolve, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from PIL import Image
from rest_framework.test import APIClient

from dossiers import uploads
from dossiers.constants import DossierStatus, IntakeChannel
from dossiers.files import AttachmentCreateApi
from dossiers.models import Attachment, Dossier
from dossiers.services import attachments as service
from dossiers.tasks import make_attachment_thumbnail, sweep_attachment_thumbnails
from portal.accounts.constants import Role
from portal.errors import ConflictError, NotFoundError
from tests import factories
from tests.dossiers import files

# The lead wires these views into portal/urls.py; the tests use their own routes so they run either way.
urlpatterns = [
    path("api/v1/dossiers/<int:dossier_id>/attachments/", AttachmentCreateApi.as_view(), name="attachment-create"),
    path("files/", include("dossiers.files_urls")),
]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dossier(citizen, procedure, agency):
    return Dossier.objects.create(procedure=procedure, agency=agency, applicant=citizen)


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


def post_file(client, dossier, data: bytes, *, name="giay-to.pdf", document="to-khai"):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(
        reverse("attachment-create", args=[dossier.pk]), {"document": document, "file": upload}, format="multipart"
    )


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def add(dossier, data: bytes, *, name="giay-to.pdf", document="to-khai", user=None) -> Attachment:
    return service.attachment_add(
        dossier=dossier,
        user=user or dossier.applicant,
        document_key=document,
        uploaded_file=SimpleUploadedFile(name, data),
    )


# --- uploading through the API --------------------------------------------------------------------


def test_pdf_upload_is_stored_under_a_generated_name(citizen_client, dossier, media_root):
    data = files.pdf_bytes()
    response = post_file(citizen_client, dossier, data, name="Đơn đề nghị.pdf")

    assert response.status_code == 201, response.json()
    body = response.json()
    attachment = Attachment.objects.get()
    assert body == {
        "id": attachment.pk,
        "document": "to-khai",
        "document_name": "Tờ khai",
        "original_name": "Đơn đề nghị.pdf",
        "content_type": "application/pdf",
        "size": len(data),
        "created_at": body["created_at"],
        "reused_from": None,
        # The applicant's own file is electronic from the start.
        "digitised": True,
        "digitised_at": body["created_at"],
    }
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.uploaded_by == dossier.applicant
    assert attachment.file.name.startswith(f"attachments/{dossier.public_id}/")
    assert "Đơn" not in attachment.file.name
    assert stored_files(media_root) == [attachment.file.name]
    assert not attachment.thumbnail


def test_jpeg_upload_is_stored_without_exif_and_gets_a_thumbnail(
    citizen_client, dossier, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_file(citizen_client, dossier, files.large_photo_jpeg(size=(1200, 900)), name="anh.jpg")

    assert response.status_code == 201, response.json()
    assert len(callbacks) == 1
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert dict(image.getexif()) == {}
    assert attachment.thumbnail.name.startswith("thumbnails/")
    with attachment.thumbnail.open("rb") as stored:
        thumbnail = Image.open(io.BytesIO(stored.read()))
    assert thumbnail.format == "JPEG"
    assert thumbnail.size == (320, 240)
    assert len(stored_files(media_root)) == 2


def test_png_with_transparency_gets_a_jpeg_thumbnail(citizen_client, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(citizen_client, dossier, files.png_bytes(size=(640, 100)), name="so-do.png")
    assert response.status_code == 201
    attachment = Attachment.objects.get()
    with attachment.thumbnail.open("rb") as stored:
        thumbnail = Image.open(io.BytesIO(stored.read()))
    assert (thumbnail.format, thumbnail.mode, thumbnail.size) == ("JPEG", "RGB", (320, 50))


BAD_FILES = {
    "exe-renamed-pdf": (files.windows_executable, "ho-so.pdf", uploads.ERR_EXECUTABLE),
    "truncated-png": (
        lambda: files.truncated(files.png_bytes(size=(400, 300), mode="RGB", with_exif=False)),
        "anh.png",
        uploads.ERR_IMAGE_DAMAGED,
    ),
    "truncated-jpeg": (lambda: files.truncated(files.large_photo_jpeg()), "anh.jpg", uploads.ERR_IMAGE_DAMAGED),
    "decompression-bomb": (
        files.decompression_bomb_png,
        "bom.png",
        uploads.ERR_IMAGE_TOO_LARGE.format(limit="50"),
    ),
    "jpeg-then-pdf": (
        lambda: files.jpeg_with_exif()[:20] + files.pdf_bytes(),
        "lai.jpg",
        uploads.ERR_TYPE_MISMATCH.format(type="JPEG"),
    ),
    "pdf-javascript": (files.pdf_with_javascript, "js.pdf", uploads.ERR_PDF_ACTIVE_CONTENT),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_file_is_refused_with_its_reason_and_nothing_is_stored(
    kind, citizen_client, dossier, media_root, django_capture_on_commit_callbacks
):
    make, name, message = BAD_FILES[kind]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_file(citizen_client, dossier, make(), name=name)

    assert response.status_code == 400
    assert response.json() == {"file": [message]}
    assert stored_files(media_root) == []
    assert not Attachment.objects.exists()
    assert callbacks == []


def test_oversized_file_is_refused_and_nothing_is_stored(citizen_client, dossier, media_root, settings, monkeypatch):
    settings.ATTACHMENT_MAX_BYTES = 2048
    received = []
    real_inspect = service.inspect_upload

    def spy(uploaded_file, **kwargs):
        uploaded_file.seek(0)
        received.append((uploaded_file.size, len(uploaded_file.read())))
        return real_inspect(uploaded_file, **kwargs)

    monkeypatch.setattr(service, "inspect_upload", spy)
    data = files.pdf_bytes() + b"%" * 40_000
    response = post_file(citizen_client, dossier, data)

    assert response.status_code == 400
    # The upload handler stopped spooling past the limit but kept count of the true size.
    assert received == [(len(data), 2049)]
    assert response.json() == {"file": [uploads.ERR_TOO_LARGE.format(limit="2 KB")]}
    assert stored_files(media_root) == []
    assert not Attachment.objects.exists()


def test_eicar_is_refused_by_the_test_scanner_and_nothing_is_stored(citizen_client, dossier, media_root, settings):
    settings.ATTACHMENT_SCANNER = "dossiers.scanning.EicarScanner"
    response = post_file(citizen_client, dossier, files.eicar_in_pdf())

    assert response.status_code == 400
    assert response.json() == {"file": [uploads.ERR_INFECTED]}
    assert stored_files(media_root) == []


def test_unknown_document_key_is_refused_and_nothing_is_stored(citizen_client, dossier, media_root):
    response = post_file(citizen_client, dossier, files.pdf_bytes(), document="giay-phep-bay")

    assert response.status_code == 400
    assert response.json() == {"document": [service.ERR_UNKNOWN_DOCUMENT.format(key="giay-phep-bay")]}
    assert stored_files(media_root) == []


def test_missing_file_names_the_field(citizen_client, dossier):
    response = citizen_client.post(
        reverse("attachment-create", args=[dossier.pk]), {"document": "to-khai"}, format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["file"]


def test_upload_after_submission_is_a_conflict(citizen_client, citizen, procedure, agency, media_root):
    dossier = Dossier.objects.create(
        procedure=procedure, agency=agency, applicant=citizen, status=DossierStatus.SUBMITTED
    )
    response = post_file(citizen_client, dossier, files.pdf_bytes())

    assert response.status_code == 409
    assert response.json()["code"] == "wrong_status"
    assert stored_files(media_root) == []


def test_upload_is_allowed_while_a_supplement_is_requested(citizen_client, citizen, procedure, agency):
    dossier = Dossier.objects.create(
        procedure=procedure, agency=agency, applicant=citizen, status=DossierStatus.SUPPLEMENT_REQUESTED
    )
    assert post_file(citizen_client, dossier, files.pdf_bytes()).status_code == 201


def test_another_citizens_dossier_is_not_found(dossier, media_root):
    response = post_file(client_for(factories.CitizenFactory()), dossier, files.pdf_bytes())
    assert response.status_code == 404
    assert stored_files(media_root) == []


def test_unknown_dossier_is_not_found(citizen_client):
    response = citizen_client.post(
        reverse("attachment-create", args=[999999]), {"document": "to-khai"}, format="multipart"
    )
    assert response.status_code == 404


def test_anonymous_upload_is_unauthorized(dossier):
    assert post_file(APIClient(), dossier, files.pdf_bytes()).status_code == 401


def test_agency_official_cannot_attach_to_a_citizens_online_draft(dossier, agency):
    official = factories.make_official(role=Role.RECEIVER, agency=agency)
    assert post_file(client_for(official), dossier, files.pdf_bytes()).status_code == 404


def test_counter_receiver_attaches_papers_to_a_counter_dossier(citizen, procedure, agency):
    receiver = factories.make_official(role=Role.RECEIVER, agency=agency)
    dossier = Dossier.objects.create(
        procedure=procedure, agency=agency, applicant=citizen, channel=IntakeChannel.COUNTER, registered_by=receiver
    )
    response = post_file(client_for(receiver), dossier, files.pdf_bytes())
    assert response.status_code == 201
    assert Attachment.objects.get().uploaded_by == receiver


def test_the_endpoint_is_documented_as_multipart():
    schema = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/dossiers/{dossier_id}/attachments/"]["post"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][body]["properties"]
    assert properties["file"]["format"] == "binary"
    # Its own answers, and the standard ones every authenticated write can give (401, 403, 413, 415).
    assert set(operation["responses"]) == {"201", "400", "401", "403", "404", "409", "413", "415"}


# --- the service: superseding, cleanup, reuse -----------------------------------------------------


@pytest.mark.django_db
def test_a_newer_upload_supersedes_the_older_one_for_the_same_document(dossier):
    first = add(dossier, files.pdf_bytes())
    other = add(dossier, files.pdf_bytes(), document="giay-to-khac")
    second = add(dossier, files.pdf_bytes(pages=2))

    first.refresh_from_db()
    other.refresh_from_db()
    assert first.superseded_at == second.created_at
    assert second.superseded_at is None
    assert other.superseded_at is None


def test_a_failed_database_write_removes_the_saved_file(dossier, media_root, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(RuntimeError):
        add(dossier, files.pdf_bytes())
    assert stored_files(media_root) == []


def test_status_is_checked_again_under_the_lock(dossier, media_root, monkeypatch):
    """A submission landing while the file was being checked wins: the upload is refused, nothing kept."""
    real_inspect = service.inspect_upload

    def inspect_then_submit(*args, **kwargs):
        checked = real_inspect(*args, **kwargs)
        Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.SUBMITTED)
        return checked

    monkeypatch.setattr(service, "inspect_upload", inspect_then_submit)
    with pytest.raises(ConflictError):
        add(dossier, files.pdf_bytes())
    assert stored_files(media_root) == []


def test_broker_outage_does_not_fail_the_upload(dossier, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(make_attachment_thumbnail, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = add(dossier, files.png_bytes(), name="anh.png")
    attachment.refresh_from_db()
    assert not attachment.thumbnail


def test_reuse_copies_a_file_from_an_earlier_dossier_of_the_same_applicant(dossier, citizen, procedure, agency):
    earlier = Dossier.objects.create(procedure=procedure, agency=agency, applicant=citizen)
    source = add(earlier, files.pdf_bytes(), name="cccd.pdf", document="giay-to-khac")
    Dossier.objects.filter(pk=earlier.pk).update(status=DossierStatus.COMPLETED)

    copy = service.attachment_reuse(
        dossier=dossier, user=citizen, document_key="to-khai", source_attachment_id=source.pk
    )

    assert copy.dossier == dossier
    assert copy.document.key == "to-khai"
    assert copy.file.name != source.file.name
    assert (copy.sha256, copy.size, copy.original_name) == (source.sha256, source.size, "cccd.pdf")
    with copy.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == source.sha256


def test_reuse_of_someone_elses_file_is_not_found(dossier, procedure, agency):
    stranger = factories.CitizenFactory()
    theirs = add(Dossier.objects.create(procedure=procedure, agency=agency, applicant=stranger), files.pdf_bytes())
    with pytest.raises(NotFoundError):
        service.attachment_reuse(
            dossier=dossier, user=dossier.applicant, document_key="to-khai", source_attachment_id=theirs.pk
        )


def test_reuse_respects_the_types_the_document_accepts(dossier, citizen, procedure, agency):
    earlier = Dossier.objects.create(procedure=procedure, agency=agency, applicant=citizen)
    photo = add(earlier, files.png_bytes(), name="anh.png")
    procedure.required_documents.filter(key="to-khai").update(accepted_types=["pdf"])
    with pytest.raises(uploads.ServiceError) as caught:
        service.attachment_reuse(dossier=dossier, user=citizen, document_key="to-khai", source_attachment_id=photo.pk)
    assert caught.value.field == "source_attachment"
    assert caught.value.message == uploads.ERR_TYPE_NOT_ACCEPTED.format(type="PNG", accepted="PDF")


# --- the thumbnail task ---------------------------------------------------------------------------


def test_thumbnail_task_is_idempotent(dossier, media_root):
    attachment = add(dossier, files.png_bytes(size=(800, 600)), name="anh.png")
    make_attachment_thumbnail.delay(attachment.pk)
    attachment.refresh_from_db()
    first = attachment.thumbnail.name
    assert first

    make_attachment_thumbnail.delay(attachment.pk)
    attachment.refresh_from_db()
    assert attachment.thumbnail.name == first
    assert len(stored_files(media_root)) == 2


def test_thumbnail_task_does_nothing_for_pdfs_or_missing_rows(dossier, media_root):
    attachment = add(dossier, files.pdf_bytes())
    make_attachment_thumbnail.delay(attachment.pk)
    make_attachment_thumbnail.delay(attachment.pk + 1000)
    attachment.refresh_from_db()
    assert not attachment.thumbnail
    assert stored_files(media_root) == [attachment.file.name]


def test_sweep_makes_thumbnails_whose_task_was_lost(dossier, monkeypatch):
    monkeypatch.setattr(make_attachment_thumbnail, "delay", lambda *a, **k: None)
    attachment = add(dossier, files.png_bytes(), name="anh.png")
    fresh = add(dossier, files.png_bytes(), name="moi.png", document="giay-to-khac")
    Attachment.objects.filter(pk=attachment.pk).update(created_at=timezone.now() - timezone.timedelta(hours=1))

    assert sweep_attachment_thumbnails.delay().get() == 1
    attachment.refresh_from_db()
    fresh.refresh_from_db()
    assert attachment.thumbnail
    assert not fresh.thumbnail


# --- serving files ---------------------------------------------------------------------------------


@pytest.fixture
def submitted(citizen, procedure, agency):
    dossier = Dossier.objects.create(procedure=procedure, agency=agency, applicant=citizen)
    pdf = add(dossier, files.pdf_bytes(), name="Tờ khai.pdf")
    photo = add(dossier, files.png_bytes(), name="anh.png", document="giay-to-khac")
    service.attachment_make_thumbnail(attachment_id=photo.pk)
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.SUBMITTED)
    dossier.refresh_from_db()
    return dossier, pdf, photo


def read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_applicant_downloads_a_pdf_as_an_attachment(submitted):
    dossier, pdf, _photo = submitted
    response = client_for(dossier.applicant).get(reverse("dossier_files:attachment", args=[pdf.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''T%E1%BB%9D%20khai.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}
    assert hashlib.sha256(read(response)).hexdigest() == pdf.sha256


def test_images_and_thumbnails_are_shown_inline(submitted):
    dossier, _pdf, photo = submitted
    client = client_for(dossier.applicant)

    image = client.get(reverse("dossier_files:attachment", args=[photo.pk]))
    thumbnail = client.get(reverse("dossier_files:attachment-thumbnail", args=[photo.pk]))

    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline;")
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert "private" in thumbnail["Cache-Control"]
    assert Image.open(io.BytesIO(read(thumbnail))).format == "JPEG"


def test_a_pdf_has_no_thumbnail(submitted):
    dossier, pdf, _photo = submitted
    response = client_for(dossier.applicant).get(reverse("dossier_files:attachment-thumbnail", args=[pdf.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("applicant", 200),
        ("other_citizen", 404),
        ("official_elsewhere", 404),
        ("receiver_here", 200),
        ("leader_here", 200),
    ],
)
def test_only_the_applicant_and_the_agency_see_attachments(submitted, who, expected):
    dossier, pdf, _photo = submitted
    user = {
        "applicant": lambda: dossier.applicant,
        "other_citizen": factories.CitizenFactory,
        "official_elsewhere": lambda: factories.make_official(role=Role.RECEIVER),
        "receiver_here": lambda: factories.make_official(role=Role.RECEIVER, agency=dossier.agency),
        "leader_here": lambda: factories.make_official(role=Role.LEADER, agency=dossier.agency),
    }[who]()
    client = client_for(user)
    assert client.get(reverse("dossier_files:attachment", args=[pdf.pk])).status_code == expected
    assert client.get(reverse("dossier_files:attachment-thumbnail", args=[_photo.pk])).status_code == expected


def test_anonymous_download_is_refused(submitted):
    _dossier, pdf, _photo = submitted
    assert APIClient().get(reverse("dossier_files:attachment", args=[pdf.pk])).status_code == 401


def test_file_view_runs_a_fixed_number_of_queries(submitted, django_assert_max_num_queries):
    dossier, pdf, _photo = submitted
    client = client_for(dossier.applicant)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("dossier_files:attachment", args=[pdf.pk]))
    assert response.status_code == 200
    read(response)


def _with_result(dossier, *, status, amount_due=0, amount_paid=0):
    dossier.result_file.save("ket-qua.pdf", ContentFile(files.pdf_bytes()), save=False)
    Dossier.objects.filter(pk=dossier.pk).update(
        result_file=dossier.result_file.name,
        status=status,
        code="000.00.90.H26-261124-0001",
        amount_due=amount_due,
        amount_paid=amount_paid,
    )
    dossier.refresh_from_db()
    return dossier


@pytest.mark.parametrize(
    ("status", "amount_due", "amount_paid", "expected"),
    [
        (DossierStatus.RESULT_READY, 0, 0, 200),
        (DossierStatus.COMPLETED, 50000, 50000, 200),
        (DossierStatus.RESULT_READY, 50000, 0, 404),
        (DossierStatus.AWAITING_APPROVAL, 0, 0, 404),
    ],
)
def test_applicant_gets_the_result_once_ready_and_paid(submitted, status, amount_due, amount_paid, expected):
    dossier = _with_result(submitted[0], status=status, amount_due=amount_due, amount_paid=amount_paid)
    response = client_for(dossier.applicant).get(reverse("dossier_files:result", args=[dossier.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="000.00.90.H26-261124-0001-ket-qua.pdf"' in response["Content-Disposition"]


def test_agency_officials_see_the_result_before_it_is_handed_over(submitted):
    dossier = _with_result(submitted[0], status=DossierStatus.AWAITING_APPROVAL)
    approver = factories.make_official(role=Role.APPROVER, agency=dossier.agency)
    elsewhere = factories.make_official(role=Role.APPROVER)
    url = reverse("dossier_files:result", args=[dossier.pk])
    assert client_for(approver).get(url).status_code == 200
    assert client_for(elsewhere).get(url).status_code == 404


def test_media_files_are_never_routed_by_the_site():
    with pytest.raises(Resolver404):
        resolve("/media/attachments/x/y.pdf", urlconf="portal.urls")


def test_a_strangers_upload_is_not_found_before_any_validation(dossier, media_root):
    """Missing and someone else's dossiers answer alike, whatever the body: no existence oracle."""
    stranger = client_for(factories.CitizenFactory())
    empty_body = {"document": ""}
    for target in (dossier.pk, 999999):
        response = stranger.post(reverse("attachment-create", args=[target]), empty_body, format="multipart")
        assert response.status_code == 404, target
    assert stored_files(media_root) == []
