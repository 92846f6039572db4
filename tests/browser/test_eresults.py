"""A citizen opens their document store, checks an e-result's signature and reuses a stored paper,
on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import no_horizontal_overflow, open_menu_on_phone, sign_in
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_the_store_lists_the_e_result_and_its_signature_checks_out(page, live_server, viewport, shoot):
    first = make_dossier("completed")
    sign_in(page, live_server, first.applicant)
    open_menu_on_phone(page, viewport)
    page.get_by_role("link", name="Kho dữ liệu điện tử").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kho dữ liệu điện tử")
    expect(page.locator(".stored-document")).to_have_count(2)
    assert no_horizontal_overflow(page)
    shoot(page, "document-store")

    page.get_by_role("link", name="Kiểm tra chữ ký số").first.click()
    page.wait_for_load_state()
    expect(page.locator(".eresult-check")).to_have_attribute("data-outcome", "valid")
    expect(page.locator(".eresult-check")).to_contain_text(first.agency.name)
    assert no_horizontal_overflow(page)
    shoot(page, "e-result-valid")

    # The same file with one byte changed, uploaded on the same page.
    with first.result_file.open("rb") as stored:
        content = bytearray(stored.read())
    content[content.index(b"stream", content.index(b"/Contents")) + 12] ^= 0x01
    page.get_by_label("Tệp kết quả (PDF có chữ ký số)").set_input_files(
        files=[{"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": bytes(content)}]
    )
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(page.locator(".eresult-check")).to_have_attribute("data-outcome", "broken")
    assert no_horizontal_overflow(page)
    shoot(page, "e-result-broken")


def test_a_new_dossier_takes_a_paper_from_the_store(page, live_server, viewport, shoot):
    first = make_dossier("completed")
    second = make_dossier("draft", procedure=first.procedure, applicant=first.applicant, staff=first.staff)
    second.attachments.all().delete()
    sign_in(page, live_server, first.applicant)
    page.goto(f"{live_server.url}/dossiers/{second.pk}/edit/attachments/")
    card = page.locator("#giay-to-to-khai")
    card.get_by_label("Hoặc lấy từ kho dữ liệu điện tử (không cần tải lên lại)").select_option(index=0)
    card.get_by_role("button", name="Dùng giấy tờ này").click()
    page.wait_for_load_state()
    expect(page.locator("#giay-to-to-khai .badge-store")).to_have_text("Lấy từ kho dữ liệu điện tử")
    assert no_horizontal_overflow(page)
    shoot(page, "wizard-from-store")
