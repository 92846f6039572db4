"""The leaders' dashboard in a real browser, on a phone and a desktop: charts drawn from the vendored
library beside their tables, filters, exports; a citizen is refused."""

import pytest
from playwright.sync_api import expect

from portal.accounts.constants import Role
from procedures.constants import GovLevel
from tests import factories
from tests.browser.helpers import no_horizontal_overflow, sign_in
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province():
    province = factories.AgencyFactory(name="UBND tỉnh Thử nghiệm", gov_level=GovLevel.PROVINCE)
    for name, statuses in (("UBND xã Một", ("completed", "submitted")), ("UBND xã Hai", ("completed",))):
        commune = factories.AgencyFactory(name=name, gov_level=GovLevel.COMMUNE, parent=province)
        procedure = factories.ProcedureFactory(agencies=[commune])
        for status in statuses:
            make_dossier(status, procedure=procedure)
    return province


def test_a_leader_reads_the_dashboard_with_charts_and_tables(page, live_server, province, shoot):
    sign_in(page, live_server, factories.make_official(role=Role.LEADER, agency=province))
    page.goto(f"{live_server.url}/figures/")
    expect(page.get_by_role("heading", level=1, name="Số liệu thống kê")).to_be_visible()
    expect(page.locator(".figure-chart.is-drawn")).to_have_count(4)  # trend, channels, ranking, 766 groups
    for title in ("Diễn biến theo thời gian", "Kênh tiếp nhận hồ sơ", "Mục tiêu năm"):
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    ranking = page.locator("#bang-ranking table")
    expect(ranking).to_contain_text("UBND xã Một")
    expect(ranking).to_contain_text("UBND xã Hai")
    expect(page.locator("#bang-channels table")).to_contain_text("Trực tuyến")
    assert no_horizontal_overflow(page)
    shoot(page, "figures-dashboard")

    with page.expect_download() as download:
        page.locator("#bang-summary").get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_label("Từ ngày").fill("2020-01-01")
    page.get_by_role("button", name="Xem số liệu").click()
    expect(page.get_by_role("main")).to_contain_text("Từ 01/01/2020")


def test_a_citizen_is_refused(page, live_server, watch):
    sign_in(page, live_server, factories.CitizenFactory())
    response = page.goto(f"{live_server.url}/figures/")
    assert response.status == 403
    expect(page.get_by_role("main")).to_contain_text("Số liệu dành cho cán bộ và lãnh đạo")
    # The refusal itself is the one failed load the console reports.
    watch.console_errors.remove("Failed to load resource: the server responded with a status of 403 (Forbidden)")
