"""The workflow diagram and the guided tour as an official uses them, on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import no_horizontal_overflow, sign_in
from tests.dossiers.builders import make_dossier


@pytest.mark.django_db(transaction=True)
def test_official_reads_the_diagram_and_hides_the_tour(page, live_server, shoot, settings, viewport):
    settings.DEMO_MODE = True
    dossier = make_dossier("processing")
    sign_in(page, live_server, dossier.staff.receiver)
    page.goto(f"{live_server.url}/office/dossiers/{dossier.pk}/")

    tour = page.get_by_role("complementary", name="Bước hiện tại: Đang xử lý")
    expect(tour).to_be_visible()

    page.get_by_text("Sơ đồ quy trình", exact=True).click()
    region = page.get_by_role("region", name="Sơ đồ quy trình, cuộn ngang để xem hết")
    expect(region).to_be_visible()
    expect(page.get_by_role("img", name="Sơ đồ quy trình giải quyết hồ sơ")).to_be_visible()
    expect(page.locator('.wf-status.is-current[data-status="processing"]')).to_have_count(1)
    expect(page.locator(".workflow-path li")).to_have_count(2)  # submitted, received
    region.focus()
    expect(region).to_be_focused()
    assert no_horizontal_overflow(page)
    if viewport["width"] < 600:
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls inside its own box
        page.keyboard.press("ArrowRight")
    shoot(page, "office-workflow-diagram")

    tour.get_by_role("button", name="Ẩn hướng dẫn").click()
    page.wait_for_load_state()
    expect(page.get_by_role("complementary", name="Bước hiện tại: Đang xử lý")).to_have_count(0)
    page.get_by_role("button", name="Hiện hướng dẫn từng bước").click()
    page.wait_for_load_state()
    expect(page.get_by_role("complementary", name="Bước hiện tại: Đang xử lý")).to_be_visible()
