import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE
from tests.browser.helpers import FACTORY_PASSWORD, no_horizontal_overflow, open_menu_on_phone, sign_in

pytestmark = pytest.mark.usefixtures("seeded")


def test_home_renders_without_overflow(page, live_server, shoot):
    page.goto(live_server.url + "/")

    expect(page).to_have_title("Cổng Dịch vụ công")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Tìm kiếm thủ tục hành chính")).to_be_visible()
    expect(page.locator(".stat dd").first).not_to_have_text("0")
    assert no_horizontal_overflow(page)
    shoot(page, "home")


def test_assets_come_from_the_live_server(page, watch, live_server):
    page.goto(live_server.url + "/")

    loaded = {url.removeprefix(live_server.url) for url in watch.requests}
    assert {"/", "/static/portal/css/site.css", "/static/portal/js/site.js"} <= loaded
    assert watch.foreign_requests() == []
    assert page.evaluate("document.documentElement.classList.contains('js')")


def test_nav_reaches_the_catalog(page, live_server, viewport, shoot):
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    catalog_link = nav.get_by_role("link", name="Thủ tục hành chính")

    if viewport == PHONE:
        toggle = page.get_by_role("button", name="Danh mục")
        expect(catalog_link).to_be_hidden()
        toggle.focus()
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        shoot(page, "nav-open")
        page.keyboard.press("Escape")
        expect(catalog_link).to_be_hidden()
        toggle.click()
    expect(nav.get_by_role("link", name="Đăng nhập")).to_be_visible()
    expect(nav.get_by_role("link", name="Đăng ký")).to_be_visible()
    catalog_link.click()

    expect(page).to_have_url(re.compile(r"/procedures/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục hành chính")
    assert no_horizontal_overflow(page)
    shoot(page, "catalog")


def test_skip_link_is_the_first_stop_for_the_keyboard(page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#main$"))


def test_search_from_home_lands_on_catalog_results(page, live_server, shoot):
    page.goto(live_server.url + "/")

    search = page.get_by_role("searchbox", name="Tìm kiếm thủ tục hành chính")
    search.fill("dang ky khai sinh")
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"/procedures/\?search=dang\+ky\+khai\+sinh$"))
    results = page.locator(".card-list > li")
    expect(results.first).to_contain_text("khai sinh")
    assert no_horizontal_overflow(page)
    shoot(page, "search-results")


def test_switching_to_english_is_kept_across_pages(page, live_server, viewport, shoot):
    page.goto(live_server.url + "/")

    open_menu_on_phone(page, viewport)
    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("searchbox", name="Search administrative procedures")).to_be_visible()
    assert no_horizontal_overflow(page)
    shoot(page, "home-en")
    open_menu_on_phone(page, viewport, label="Menu")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    page.goto(live_server.url + "/procedures/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrative procedures")


def test_unknown_page_shows_the_vietnamese_404(page, watch, live_server, shoot):

    response = page.goto(live_server.url + "/khong-co-trang-nay/")

    assert response.status == 404
    # Chromium logs the page's own 404 as a console error; only that one is expected.
    watch.console_errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    assert no_horizontal_overflow(page)
    shoot(page, "404")


def test_signed_in_citizen_lands_on_their_dossiers_reaches_the_profile_and_logs_out(page, live_server, viewport, shoot):
    citizen = factories.CitizenFactory()
    page.goto(live_server.url + "/")
    open_menu_on_phone(page, viewport)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đăng nhập").click()

    page.get_by_label("Số điện thoại hoặc số CCCD").fill(citizen.phone)
    page.get_by_label("Mật khẩu").fill(FACTORY_PASSWORD)
    shoot(page, "login")
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()

    expect(page).to_have_url(re.compile(r"/dossiers/$"))  # a citizen's work: their dossiers
    open_menu_on_phone(page, viewport)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Hồ sơ của tôi")).to_have_attribute("aria-current", "page")
    nav.get_by_role("link", name=citizen.full_name).click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    open_menu_on_phone(page, viewport)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name=citizen.full_name)).to_have_attribute("aria-current", "page")
    assert no_horizontal_overflow(page)
    shoot(page, "profile")
    nav.get_by_role("button", name="Đăng xuất").click()

    open_menu_on_phone(page, viewport)
    expect(
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đăng nhập")
    ).to_be_visible()
    expect(page.locator(".alert-success, .alert-info").first).to_be_visible()


@pytest.mark.parametrize("viewport", [pytest.param({"width": 360, "height": 740}, id="360")])
def test_narrowest_phone_has_no_horizontal_scroll(page, live_server, shoot):
    from procedures.models import Procedure

    longest = max(Procedure.objects.all(), key=lambda procedure: len(procedure.name))
    paths = ["/", "/procedures/", f"/procedures/{longest.code}/", "/accounts/login/", "/accounts/register/"]
    for path in paths:
        page.goto(live_server.url + path)
        assert no_horizontal_overflow(page), path
        shoot(page, "narrow" + path.rstrip("/").replace("/", "-").replace(".", "_"))
        page.get_by_role("button", name="Danh mục").click()
        assert no_horizontal_overflow(page), f"{path} with the menu open"


def test_signed_in_official_sees_their_name_on_every_page(page, live_server, viewport):
    official = factories.make_official()

    sign_in(page, live_server, official)
    page.goto(live_server.url + "/procedures/")
    open_menu_on_phone(page, viewport)

    expect(
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name=official.full_name)
    ).to_be_visible()
