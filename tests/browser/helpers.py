"""Steps that several browser tests take: check the layout, open the phone menu, sign in through the form."""

from tests.browser.conftest import PHONE

# What tests.factories.CitizenFactory and OfficialFactory set as the password.
FACTORY_PASSWORD = "Matkhau@2026"


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def open_menu_on_phone(page, viewport, *, label: str = "Danh mục") -> None:
    """On a phone the main navigation folds behind a button; on a desktop it is always shown."""
    if viewport == PHONE:
        page.get_by_role("button", name=label).click()


def sign_in(page, live_server, user, *, password: str = FACTORY_PASSWORD) -> None:
    """Log in through the real login page, as a person would."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Số điện thoại hoặc số CCCD").fill(user.phone)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
