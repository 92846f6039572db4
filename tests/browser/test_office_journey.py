"""Officials work a dossier through the back-office pages, then the citizen sees the result and rates it."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import no_horizontal_overflow, sign_in
from tests.dossiers.builders import PDF_BYTES, make_dossier


def switch_user(page, live_server, user) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, user)


def act(page, action: str, *, fill: dict | None = None, choose: dict | None = None, upload: str | None = None):
    """Submit the small form of one workflow action on the office dossier page."""
    form = page.locator(f"#thao-tac-{action}")
    for label, value in (fill or {}).items():
        form.get_by_label(label).fill(value)
    for label, option in (choose or {}).items():
        form.get_by_label(label).select_option(label=option)
    if upload:
        form.get_by_label(upload).set_input_files(
            {"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
        )
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_officials_work_a_dossier_to_completion_and_the_citizen_rates_it(page, live_server, shoot):
    dossier = make_dossier("submitted")
    staff = dossier.staff
    detail = f"{live_server.url}/office/dossiers/{dossier.pk}/"

    sign_in(page, live_server, staff.receiver)
    page.goto(live_server.url + "/office/")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    act(page, "receive")
    act(page, "assign", choose={"Chuyên viên xử lý": staff.processor.full_name})
    assert no_horizontal_overflow(page)
    shoot(page, "office-dossier")

    switch_user(page, live_server, staff.processor)
    page.goto(detail)
    act(page, "forward")

    switch_user(page, live_server, staff.approver)
    page.goto(detail)
    act(page, "approve", upload="Tệp kết quả giải quyết (PDF)")

    switch_user(page, live_server, staff.receiver)
    page.goto(detail)
    act(page, "hand_over")
    dossier.refresh_from_db()
    assert dossier.status == "completed"

    switch_user(page, live_server, dossier.applicant)
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    expect(page.get_by_text("Đã hoàn thành").first).to_be_visible()
    page.get_by_label("5", exact=False).first.check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert dossier.__class__.objects.get(pk=dossier.pk).rating.score == 5
    assert no_horizontal_overflow(page)
    shoot(page, "office-journey-rated")
