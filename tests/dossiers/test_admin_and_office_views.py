"""The Django admin's read-only dossier view and Vietnamese model names; the office pages' queue cards,
address order and attachment events naming their paper."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from dossiers.models import Dossier
from dossiers.services.submission import dossier_submit
from tests import factories
from tests.dossiers.builders import PDF_BYTES, make_dossier

pytestmark = pytest.mark.django_db
FIRST_PARTY = ("portal", "procedures", "dossiers", "payments", "postal", "figures")


@pytest.fixture
def admin_web():
    user = factories.OfficialFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_shows_a_dossier_read_only(admin_web):
    dossier = make_dossier("processing")
    listing = admin_web.get(reverse("admin:dossiers_dossier_changelist"))
    assert listing.status_code == 200 and dossier.code in listing.content.decode()
    page = admin_web.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])).content.decode()
    assert dossier.code in page and "Tờ khai" in page  # the attached paper, by name
    assert 'name="_save"' not in page
    before = Dossier.objects.values().get(pk=dossier.pk)
    refused = admin_web.post(reverse("admin:dossiers_dossier_change", args=[dossier.pk]), {"status": "completed"})
    assert refused.status_code == 403
    assert admin_web.get(reverse("admin:dossiers_dossier_add")).status_code == 403
    assert (
        admin_web.post(reverse("admin:dossiers_dossier_delete", args=[dossier.pk]), {"post": "yes"}).status_code == 403
    )
    assert Dossier.objects.values().get(pk=dossier.pk) == before


def test_every_first_party_admin_model_has_a_vietnamese_name():
    with translation.override("vi"):
        for model in admin.site._registry:
            if not model.__module__.startswith(FIRST_PARTY):
                continue
            default = model.__name__.lower()
            name = str(model._meta.verbose_name)
            assert name != default and not name.isascii(), model.__name__
            assert not str(model._meta.app_config.verbose_name).isascii(), model._meta.app_label


def test_the_libraries_admin_pages_have_vietnamese_names_too():
    with translation.override("vi"):
        for model in admin.site._registry:
            assert not str(model._meta.verbose_name_plural).isascii(), model.__name__
            assert not str(model._meta.app_config.verbose_name).isascii(), model._meta.app_label


def test_the_queue_names_each_column_for_its_phone_card():
    dossier = make_dossier("submitted")
    client = Client()
    client.force_login(dossier.staff.receiver)
    html = client.get(reverse("office:queue")).content.decode()
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    headers = html[html.index("<thead>") : html.index("</thead>")].count('<th scope="col">')
    assert row.count("data-label=") == headers == 8
    assert 'class="table-wrap office-queue-wrap" tabindex="0" role="region"' in html


def test_addresses_read_from_the_street_to_the_province():
    dossier = make_dossier("submitted", delivery_method="postal")
    Dossier.objects.filter(pk=dossier.pk).update(
        delivery_address={
            "province": "Thành phố Hải Phòng",
            "district": "Quận Hồng Bàng",
            "commune": "Phường Trần Hưng Đạo",
            "street": "1 Quang Trung",
            "recipient_name": "Lê Thị Hoa",
            "recipient_phone": "0987001122",
        }
    )
    expected = "1 Quang Trung, Phường Trần Hưng Đạo, Quận Hồng Bàng, Thành phố Hải Phòng"
    office = Client()
    office.force_login(dossier.staff.receiver)
    assert expected in office.get(reverse("office:detail", args=[dossier.pk])).content.decode()
    citizen = Client()
    citizen.force_login(dossier.applicant)
    html = citizen.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert expected in html and "Lê Thị Hoa — 0987001122" in html


def test_the_office_timeline_names_the_paper_of_each_attachment_event():
    dossier = make_dossier("draft")
    api = APIClient()
    api.force_authenticate(dossier.applicant)
    upload = SimpleUploadedFile("khac.pdf", PDF_BYTES, content_type="application/pdf")
    assert (
        api.post(
            f"/api/v1/dossiers/{dossier.pk}/attachments/", {"document": "giay-to-khac", "file": upload}
        ).status_code
        == 201
    )
    dossier_submit(dossier_id=dossier.pk, user=dossier.applicant)
    client = Client()
    client.force_login(dossier.staff.receiver)
    html = client.get(reverse("office:detail", args=[dossier.pk])).content.decode()
    timeline = html[html.index('id="qua-trinh"') :]
    assert "Giấy tờ: <strong>Giấy tờ khác</strong>" in timeline
