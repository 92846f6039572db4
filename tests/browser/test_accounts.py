"""The registration page on a phone and a desktop: the tax code only for organisations, every error at once;
the forgotten-password pages reached from the login page."""

from portal.accounts.models import User
from tests.browser.helpers import no_horizontal_overflow


def test_registration_shows_the_tax_code_only_for_organisations_and_every_error_at_once(page, live_server, db, shoot):
    page.goto(live_server.url + "/accounts/register/")
    tax_code = page.get_by_label("Mã số thuế")
    assert not tax_code.is_visible()
    page.get_by_label("Tổ chức, doanh nghiệp").check()
    assert tax_code.is_visible()
    page.get_by_label("Công dân").check()
    assert not tax_code.is_visible()

    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Số điện thoại di động").fill("0201234567")
    page.get_by_label("Số CCCD").fill("123")
    page.get_by_label("Thư điện tử").fill("not-an-email")
    page.locator("#id_password").fill("Xin-chao@2026")
    page.get_by_label("Nhập lại mật khẩu").fill("khac-nhau")
    page.get_by_role("main").get_by_role("button", name="Đăng ký").click()
    page.wait_for_load_state()
    errors = page.locator(".form-field.has-error")
    assert errors.count() == 4  # phone, CCCD, e-mail and the repeated password, all at once
    assert no_horizontal_overflow(page)
    shoot(page, "register-errors")
    assert not User.objects.exists()


def test_forgotten_password_is_reached_from_the_login_page(page, live_server, db):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.wait_for_url("**/accounts/password/reset/")
    page.get_by_label("Số điện thoại hoặc số CCCD").fill("0987000111")
    page.get_by_role("main").get_by_role("button", name="Gửi mã OTP").click()
    assert page.get_by_text("Không tìm thấy tài khoản").is_visible()
    assert no_horizontal_overflow(page)
