"""A citizen submits a dossier through the web wizard, on a phone and on a desktop, against the real seeds."""

import io
import re

import pytest
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from tests import factories

FACTORY_PASSWORD = "Matkhau@2026"  # what tests.factories.CitizenFactory sets
PROCEDURE = "1.010041"  # Xác nhận thông tin về cư trú: level 4, free, one mandatory paper

pytestmark = pytest.mark.usefixtures("seeded")


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 720, "To khai thay doi thong tin cu tru (CT01)")
    sheet.save()
    return buffer.getvalue()


def log_in(page, live_server, citizen, *, next_path: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Số điện thoại hoặc số CCCD").fill(citizen.phone)
    page.get_by_label("Mật khẩu").fill(FACTORY_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()


def test_citizen_submits_a_dossier_through_the_wizard(page, live_server, shoot):
    from dossiers.models import Dossier

    citizen = factories.CitizenFactory()
    log_in(page, live_server, citizen, next_path=f"/procedures/{PROCEDURE}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    page.get_by_label("Cơ quan tiếp nhận hồ sơ").select_option(index=1)
    shoot(page, "dossier-new")
    page.get_by_role("button", name="Bắt đầu soạn hồ sơ").click()

    # Step 1: the e-form, pre-filled from the account; a missing choice is named, then fixed.
    expect(page.get_by_role("link", name=re.compile("Tờ khai"))).to_have_attribute("aria-current", "step")
    expect(page.get_by_label("Họ và tên người yêu cầu")).to_have_value(citizen.full_name)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.locator(".field-error")).to_contain_text("Mục đích xác nhận")
    assert no_horizontal_overflow(page)
    shoot(page, "dossier-step1-error")
    page.get_by_label("Mục đích xác nhận").select_option("Việc làm")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Step 2: upload the mandatory paper.
    expect(page.get_by_role("heading", level=2)).to_contain_text("Giấy tờ đính kèm")
    page.locator("input[type=file]").first.set_input_files(
        {"name": "to-khai-ct01.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Tải lên").first.click()
    expect(page.get_by_role("link", name="to-khai-ct01.pdf")).to_be_visible()
    assert no_horizontal_overflow(page)
    shoot(page, "dossier-step2")
    page.get_by_role("button", name="Tiếp tục").click()

    # Step 3: the result by post; the address appears once postal is chosen.
    expect(page.get_by_label("Tỉnh/thành phố")).to_be_hidden()
    page.get_by_label("Nhận qua bưu chính công ích").check()
    expect(page.get_by_label("Tỉnh/thành phố")).to_be_visible()
    page.get_by_label("Tỉnh/thành phố").select_option("Thành phố Hải Phòng")  # reloads its communes
    expect(page.get_by_label("Xã/phường/đặc khu")).to_contain_text("Phường Trần Hưng Đạo")
    page.get_by_label("Xã/phường/đặc khu").select_option("Phường Trần Hưng Đạo")
    page.get_by_label("Số nhà, đường, thôn/xóm").fill("12 Quang Trung")
    assert no_horizontal_overflow(page)
    shoot(page, "dossier-step3")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Step 4: review and submit.
    expect(page.get_by_text("12 Quang Trung")).to_be_visible()
    expect(page.locator(".alert-error")).to_have_count(0)
    assert no_horizontal_overflow(page)
    shoot(page, "dossier-step4")
    page.get_by_role("button", name="Nộp hồ sơ").click()

    dossier = Dossier.objects.get(applicant=citizen)
    assert dossier.code
    expect(page.locator(".alert-success")).to_contain_text(dossier.code)
    # Form 01 (receipt and appointment) comes once the agency receives the dossier, not on submission.
    expect(page.get_by_role("link", name="Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF)")).to_have_count(0)
    assert no_horizontal_overflow(page)
    shoot(page, "dossier-submitted")

    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    expect(page.get_by_text(dossier.code)).to_be_visible()
    assert no_horizontal_overflow(page)
    shoot(page, "dossier-list")


def test_public_lookup_by_code_and_last_digits(page, live_server, shoot):
    from tests.dossiers.builders import make_dossier

    dossier = make_dossier("processing")
    page.goto(live_server.url + "/dossiers/lookup/")

    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 số cuối số CCCD hoặc số điện thoại của người nộp").fill(dossier.applicant_id_number[-4:])
    page.get_by_role("button", name="Tra cứu").click()

    expect(page.get_by_role("heading", level=2)).to_contain_text(dossier.code)
    expect(page.locator(".summary")).to_contain_text("Đang xử lý")
    assert no_horizontal_overflow(page)
    shoot(page, "dossier-lookup")


def test_supplement_then_rating_with_the_keyboard(page, live_server, shoot):
    from dossiers.models import Rating
    from tests.dossiers.builders import make_dossier

    citizen = factories.CitizenFactory()
    asked = make_dossier("supplement_requested", applicant=citizen)
    done = make_dossier("completed", applicant=citizen)
    log_in(page, live_server, citizen, next_path=f"/dossiers/{asked.pk}/")

    expect(page.get_by_role("heading", name="Cơ quan yêu cầu bổ sung hồ sơ")).to_be_visible()
    page.locator("#file-giay-to-khac").set_input_files(
        {"name": "bo-sung.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.locator("#giay-to-giay-to-khac").get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="bo-sung.pdf")).to_be_visible()
    page.get_by_label("Ghi chú gửi cán bộ").fill("Đã bổ sung giấy tờ khác")
    assert no_horizontal_overflow(page)
    shoot(page, "dossier-supplement")
    page.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi hồ sơ bổ sung")

    page.goto(f"{live_server.url}/dossiers/{done.pk}/")
    expect(page.get_by_role("link", name="Tải kết quả giải quyết")).to_be_visible()
    page.get_by_label("5 — Rất hài lòng").focus()
    page.keyboard.press("ArrowDown")  # radios in one group move with the arrow keys
    expect(page.get_by_label("4 — Hài lòng")).to_be_checked()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình")
    shoot(page, "dossier-rating")
    page.get_by_role("button", name="Gửi đánh giá").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Bạn đã đánh giá 4/5.")).to_be_visible()
    assert Rating.objects.get(dossier=done).score == 4
    assert no_horizontal_overflow(page)
