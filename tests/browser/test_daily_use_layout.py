"""On a phone the office queue is a list of cards with every column's value named, and the citizen's
supplement and notice settings pages fit the screen; on a desktop the queue is a table."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE
from tests.browser.helpers import no_horizontal_overflow, sign_in
from tests.dossiers.builders import make_dossier


@pytest.mark.django_db(transaction=True)
def test_the_queue_is_cards_on_a_phone_and_a_table_on_a_desktop(page, live_server, viewport, shoot):
    dossier = make_dossier("submitted")
    sign_in(page, live_server, dossier.staff.receiver)
    page.goto(live_server.url + "/office/")
    row = page.locator(".office-queue tbody tr").first
    expect(row).to_contain_text(dossier.code)
    header_shown = page.locator(".office-queue thead").bounding_box()["height"] > 1
    if viewport == PHONE:
        assert not header_shown
        # Each value is named by its column in the card itself.
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.office-queue tbody td'), '::before').content")
            == '"Thủ tục"'
        )
        assert no_horizontal_overflow(page)
    else:
        assert header_shown
        assert page.evaluate("getComputedStyle(document.querySelector('.office-queue tr')).display") == "table-row"
    shoot(page, "office-queue")


@pytest.mark.django_db(transaction=True)
def test_the_supplement_and_notice_pages_fit_a_phone(page, live_server, viewport, shoot):
    from dossiers.services.review import ActionInput, dossier_act

    citizen = factories.CitizenFactory(email="hoa@example.vn")
    dossier = make_dossier("processing", applicant=citizen)
    dossier_act(
        dossier_id=dossier.pk,
        user=dossier.staff.receiver,
        action="request_supplement",
        data=ActionInput(reason="Thiếu giấy tờ", papers=("to-khai",), other_papers=("Bản sao giấy khai sinh",)),
    )
    sign_in(page, live_server, citizen)
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    expect(page.get_by_text("Còn thiếu:")).to_contain_text("Bản sao giấy khai sinh")
    assert no_horizontal_overflow(page)
    shoot(page, "dossier-supplement-named")

    page.goto(live_server.url + "/accounts/notices/")
    page.get_by_label("Cả SMS và thư điện tử").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status").or_(page.locator(".alert"))).to_contain_text("Đã lưu cách nhận thông báo")
    assert no_horizontal_overflow(page)
    shoot(page, "notice-settings")
    citizen.refresh_from_db()
    assert citizen.notice_channels == "both"


@pytest.mark.django_db(transaction=True)
def test_my_dossiers_are_found_by_status_on_a_phone(page, live_server, viewport, shoot):
    citizen = factories.CitizenFactory()
    received = make_dossier("processing", applicant=citizen)
    waiting = make_dossier("submitted", applicant=citizen)
    sign_in(page, live_server, citizen)
    page.goto(live_server.url + "/dossiers/")
    page.get_by_label("Trạng thái").select_option("processing")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.locator(".dossier-list")).to_contain_text(received.code)
    expect(page.locator(".dossier-list")).not_to_contain_text(waiting.code)
    assert no_horizontal_overflow(page)
    shoot(page, "my-dossiers-filtered")
