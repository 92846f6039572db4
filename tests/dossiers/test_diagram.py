import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dossiers.constants import DossierStatus
from dossiers.diagram import moves, path_steps, workflow_svg
from dossiers.workflow import TRANSITIONS
from tests.dossiers.builders import make_dossier

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def edges(root: ET.Element) -> set[tuple[str, str, str]]:
    """(from, to, action) of every arrow, and of every move listed inside a status box (from = to)."""
    found = {(e.get("data-from"), e.get("data-to"), e.get("data-action")) for e in root.iter(f"{SVG}path")}
    for box in root.iter(f"{SVG}g"):
        if box.get("data-status"):
            status = box.get("data-status")
            found |= {(status, status, g.get("data-action")) for g in box.iter(f"{SVG}g") if g.get("data-action")}
    return {edge for edge in found if edge[2]}


def test_every_status_and_every_transition_of_the_table_is_drawn():
    root = parse(workflow_svg())
    assert root.tag == f"{SVG}svg"
    boxes = {g.get("data-status") for g in root.iter(f"{SVG}g") if g.get("data-status")}
    assert boxes == set(DossierStatus.values)
    text = " ".join(root.itertext())
    for status in DossierStatus:
        for word in str(status.label).split():
            assert word in text
    table = {(source, row.target, row.action) for row in TRANSITIONS for source in row.sources}
    assert edges(root) == table
    for row in TRANSITIONS:
        for word in str(row.label).split():
            assert word in text


def test_the_diagram_names_itself_for_screen_readers_and_follows_the_language():
    root = parse(workflow_svg())
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    assert root.get("aria-labelledby") == "wf-title wf-desc"
    with translation.override("en"):
        english = " ".join(parse(workflow_svg()).itertext())
    assert "Receive" in english or "receive" in english.lower()


def test_moves_merge_rows_with_the_same_source_target_and_action():
    arrows, loops = moves()
    keys = [(m.source, m.target, m.action) for m in arrows]
    assert len(keys) == len(set(keys))
    assert all(m.source != m.target for m in arrows)
    assert {m.action for moves_ in loops.values() for m in moves_} >= {"assign", "issue_apology"}


@pytest.mark.django_db
def test_a_dossiers_path_and_current_status_are_highlighted():
    dossier = make_dossier("awaiting_approval")
    root = parse(workflow_svg(dossier))
    taken = {
        (e.get("data-from"), e.get("data-to"), e.get("data-action"))
        for e in root.iter(f"{SVG}path")
        if "is-taken" in e.get("class", "")
    }
    assert taken == {
        ("draft", "submitted", "submit"),
        ("submitted", "processing", "receive"),
        ("processing", "awaiting_approval", "forward"),
    }
    assigned = [g for g in root.iter(f"{SVG}g") if g.get("class") == "wf-loop is-taken"]
    assert [g.get("data-action") for g in assigned] == ["assign"]
    classes = {g.get("data-status"): g.get("class") for g in root.iter(f"{SVG}g") if g.get("data-status")}
    assert "is-current" in classes["awaiting_approval"]
    assert "is-visited" in classes["processing"] and "is-current" not in classes["processing"]
    assert "is-visited" not in classes["completed"]
    assert "Chờ phê duyệt" in root.find(f"{SVG}desc").text
    steps = path_steps(dossier.events.all())
    assert [step.to_label for step in steps][-1] == str(DossierStatus.AWAITING_APPROVAL.label)


@pytest.mark.django_db
def test_the_office_dossier_page_shows_the_diagram_in_a_collapsible_scrollable_region(django_assert_max_num_queries):
    dossier = make_dossier("processing")
    client = Client()
    client.force_login(dossier.staff.receiver)
    with django_assert_max_num_queries(25):
        html = client.get(reverse("office:detail", args=[dossier.pk])).content.decode()
    assert '<details class="card workflow-diagram"' in html
    assert "Sơ đồ quy trình" in html
    assert 'class="workflow-scroll" tabindex="0" role="region"' in html
    assert 'data-status="processing"' in html and "is-current" in html
    assert "Các bước hồ sơ đã đi qua" in html
    assert "Tiếp nhận hồ sơ</strong>: Đã nộp, chờ tiếp nhận → Đang xử lý" in html
