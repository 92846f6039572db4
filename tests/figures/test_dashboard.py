"""The leaders' dashboard: who may open it, its figures equal the API's, exports open and match, formula
cells are escaped, bad filters are a 400 on the page, and the query count does not grow with agencies."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from figures.dashboard import SUMMARY_ROWS, Column, Table
from figures.exports import safe_text, table_csv
from portal.accounts.constants import Role
from procedures.constants import GovLevel
from tests import factories
from tests.figures.conftest import client_for
from tests.figures.world import MARCH

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("figures:dashboard")
PERIOD = {"from": MARCH[0].isoformat(), "to": MARCH[1].isoformat()}


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def export_url(key: str, fmt: str) -> str:
    return reverse("figures:export", args=[key, fmt])


@pytest.fixture
def province_leader(world):
    return factories.make_official(role=Role.LEADER, agency=world.province)


def test_citizens_and_visitors_see_no_figures(world):
    assert Client().get(DASHBOARD).status_code == 302
    citizen = page_client(factories.CitizenFactory())
    response = citizen.get(DASHBOARD)
    assert response.status_code == 403 and "Số liệu dành cho cán bộ và lãnh đạo" in response.content.decode()
    assert citizen.get(export_url("summary", "csv"), PERIOD).status_code == 403


def test_a_leader_sees_the_figures_the_api_gives(world, province_leader):
    api = client_for(province_leader).get("/api/v1/stats/kpis/", PERIOD).json()
    response = page_client(province_leader).get(DASHBOARD, PERIOD)
    assert response.status_code == 200
    board = response.context["board"]
    summary = {row["metric"]: row["value"] for row in board.tables["summary"].rows}
    assert summary == {key: api[key] for key, _label, _kind in SUMMARY_ROWS}
    page = response.content.decode()
    online = f"{api['online_ratio'] * 100:.2f}%".replace(".", ",")
    assert online in page  # the headline card, Vietnamese decimal comma
    for key in ("trend", "channels", "ranking", "index", "targets"):
        assert key in board.tables
        assert f'id="bang-{key}"' in page
    for key in ("trend", "channels", "ranking", "index"):
        assert f'id="chart-data-{key}"' in page  # each chart's figures, beside its table
    assert "figures/vendor/chart.umd.min" in page  # the vendored library, served from this site


def test_an_official_outside_the_asked_agency_is_refused(world):
    other = page_client(factories.make_official(role=Role.LEADER, agency=world.other))
    response = other.get(DASHBOARD, {**PERIOD, "agency": world.c1.code})
    assert response.status_code == 403


def test_a_bad_filter_is_shown_on_its_field(world, province_leader):
    response = page_client(province_leader).get(DASHBOARD, {"from": "2026-13-01"})
    assert response.status_code == 400
    assert response.context["form"].errors["from"]
    response = page_client(province_leader).get(
        export_url("summary", "csv"), {"from": "2026-03-09", "to": "2026-03-01"}
    )
    assert response.status_code == 400


def test_exports_open_and_match_the_api(world, province_leader):
    client = page_client(province_leader)
    api = client_for(province_leader).get("/api/v1/stats/kpis/", PERIOD).json()
    labels = {str(label): key for key, label, _kind in SUMMARY_ROWS}

    workbook = load_workbook(io.BytesIO(client.get(export_url("summary", "xlsx"), PERIOD).content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Chỉ tiêu", "Giá trị")
    from_xlsx = {labels[label]: value for label, value in rows[1:]}
    assert from_xlsx == {key: api[key] for key in labels.values()}
    ratio_row = next(row for row in sheet.iter_rows(min_row=2) if labels[row[0].value] == "online_ratio")
    assert ratio_row[1].number_format == "0.00%"

    response = client.get(export_url("channels", "csv"), PERIOD)
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith(b"\xef\xbb\xbf")
    channels = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sum(int(row["Hồ sơ"]) for row in channels) == api["received_total"]
    online = next(row for row in channels if row["Kênh tiếp nhận"] == "Trực tuyến")
    assert int(online["Hồ sơ"]) == api["received_online"]

    ranking = load_workbook(io.BytesIO(client.get(export_url("ranking", "xlsx"), PERIOD).content)).active
    names = [row[1] for row in ranking.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted([world.c1.name, world.c2.name])
    assert client.get(export_url("nothing", "csv"), PERIOD).status_code == 404
    assert client.get(export_url("summary", "pdf"), PERIOD).status_code == 404


def test_cells_a_spreadsheet_would_run_are_escaped(world, province_leader):
    for text in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"):
        assert safe_text(text) == "'" + text
    assert safe_text("UBND xã Một") == "UBND xã Một" and safe_text(-2) == -2
    world.c2.name = "=cmd|' /C calc'!A0"
    world.c2.save(update_fields=["name"])
    client = page_client(province_leader)
    sheet = load_workbook(io.BytesIO(client.get(export_url("ranking", "xlsx"), PERIOD).content)).active
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert "'=cmd|' /C calc'!A0" in names
    assert all(row[1].data_type == "s" for row in sheet.iter_rows(min_row=2))
    text = client.get(export_url("ranking", "csv"), PERIOD).content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text


def test_the_dashboard_runs_a_bounded_number_of_queries(
    world, province_leader, django_assert_max_num_queries, settings
):
    settings.FIGURES_CACHE_SECONDS = 0  # the work of a first visit, every time
    client = page_client(province_leader)
    client.get(DASHBOARD, PERIOD)
    with django_assert_max_num_queries(60) as few:
        client.get(DASHBOARD, PERIOD)
    for n in range(12):
        factories.AgencyFactory(gov_level=GovLevel.COMMUNE, parent=world.province, name=f"UBND xã Thêm {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(DASHBOARD, PERIOD)
    assert len(response.context["board"].tables["ranking"].rows) == 14


def test_csv_writes_nothing_for_missing_values():
    table = Table("t", "T", [Column("a", "A", "text"), Column("b", "B", "ratio")], [{"a": "x", "b": None}])
    assert table_csv(table).decode("utf-8-sig").splitlines() == ["A,B", "x,"]
