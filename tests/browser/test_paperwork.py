"""At the counter, on a phone and a desktop: the receiver scans the papers of a registered paper dossier,
marks a scan digitised, and downloads the receipt form (01) from the dossier's page."""

import pytest
from playwright.sync_api import expect

from dossiers.constants import IntakeChannel
from dossiers.models import Attachment
from dossiers.services.counter import dossier_register_at_counter
from tests import factories
from tests.browser.helpers import no_horizontal_overflow, sign_in
from tests.dossiers.builders import PDF_BYTES, Staff


@pytest.mark.django_db(transaction=True)
def test_the_receiver_scans_a_registered_paper_dossier_and_downloads_form_01(page, live_server, shoot):
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    staff = Staff(procedure.agencies.first())
    dossier = dossier_register_at_counter(
        official=staff.receiver,
        procedure_code=procedure.code,
        agency_code=staff.agency.code,
        channel=IntakeChannel.COUNTER,
        applicant_full_name="Trần Văn Giấy",
        applicant_national_id="030190123456",
        applicant_phone="0912345678",
        form_data={"ly_do": "Nộp tại quầy"},
    )
    sign_in(page, live_server, staff.receiver)
    page.goto(f"{live_server.url}/office/dossiers/{dossier.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Số hóa thành phần hồ sơ"))
    expect(section.get_by_text("Hồ sơ chưa số hóa đủ")).to_be_visible()

    form = section.locator("form.form")
    form.get_by_label("Giấy tờ").select_option(label="Tờ khai")
    form.get_by_label("Bản quét (PDF, JPG, PNG)").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    form.get_by_label("Đã đối chiếu với bản giấy: đánh dấu đã số hóa").uncheck()
    form.get_by_role("button", name="Tải bản quét lên").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(section.get_by_text("Có bản quét, chưa xác nhận số hóa")).to_be_visible()

    section.get_by_role("button", name="Đánh dấu đã số hóa").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(section.get_by_text("Hồ sơ đã được số hóa")).to_be_visible()
    assert Attachment.objects.get(dossier=dossier).is_digitised
    assert no_horizontal_overflow(page)
    shoot(page, "office-digitisation")

    with page.expect_download() as download:
        page.get_by_role("link", name="Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF)").click()
    assert download.value.suggested_filename == f"mau-01-giay-tiep-nhan-va-hen-tra-{dossier.code}.pdf"
