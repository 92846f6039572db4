import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from dossiers.constants import DossierStatus
from portal import tour
from tests import factories
from tests.dossiers.builders import make_dossier

pytestmark = pytest.mark.django_db

PANEL = 'class="tour-panel'
SWITCH_ON = 'name="show" value="1"'


def _toggle(client, show: str, next_url: str = "/"):
    return client.post(reverse("tour_toggle"), {"show": show, "next": next_url})


def test_in_demo_mode_the_tour_shows_until_hidden_and_comes_back_when_asked(client, settings):
    settings.DEMO_MODE = True
    html = client.get("/").content.decode()
    assert PANEL in html and str(tour.PAGES["home"].title) in html
    assert SWITCH_ON not in html

    response = _toggle(client, "0", "/procedures/")
    assert response.status_code == 302 and response.url == "/procedures/"
    html = client.get("/").content.decode()
    assert PANEL not in html and SWITCH_ON in html

    _toggle(client, "1")
    assert PANEL in client.get("/").content.decode()


def test_outside_demo_mode_the_tour_is_off_until_someone_turns_it_on(client, settings):
    settings.DEMO_MODE = False
    html = client.get("/").content.decode()
    assert PANEL not in html and SWITCH_ON in html
    _toggle(client, "1")
    assert PANEL in client.get("/").content.decode()


def test_the_switch_goes_back_only_to_this_site_and_answers_posts_only(client):
    assert _toggle(client, "1", "https://evil.example.com/").url == "/"
    assert _toggle(client, "1", "//evil.example.com/").url == "/"
    assert client.get(reverse("tour_toggle")).status_code == 405


def test_pages_without_a_tip_show_neither_panel_nor_switch(client, settings):
    settings.DEMO_MODE = True
    html = client.get(reverse("accounts:login")).content.decode()
    assert PANEL not in html and SWITCH_ON not in html
    missing = client.get("/no-such-page/")  # matched no URL: no resolver match to read
    assert missing.status_code == 404 and PANEL not in missing.content.decode()


def test_a_bare_toggle_hides_the_tour(client, settings):
    settings.DEMO_MODE = True
    assert client.post(reverse("tour_toggle")).url == "/"
    assert PANEL not in client.get("/").content.decode()


def test_the_citizen_pages_each_explain_their_step(settings):
    settings.DEMO_MODE = True
    dossier = make_dossier("draft")
    citizen = Client()
    citizen.force_login(dossier.applicant)
    code = dossier.procedure.code
    pages = {
        "home": reverse("home"),
        "procedures:catalog": reverse("procedures:catalog"),
        "procedures:detail": reverse("procedures:detail", args=[code]),
        "dossiers:new": reverse("dossiers:new", args=[code]),
        "dossiers:edit": reverse("dossiers:edit", args=[dossier.pk]),
        "dossiers:list": reverse("dossiers:list"),
    }
    for step in ("attachments", "delivery", "review"):
        pages[f"dossiers:edit-step:{step}"] = reverse("dossiers:edit-step", args=[dossier.pk, step])
    assert set(pages) | {"office:queue"} == set(tour.PAGES)
    for key, url in pages.items():
        html = citizen.get(url).content.decode()
        assert str(tour.PAGES[key].title) in html, key


@pytest.mark.parametrize("status", ["submitted", "supplement_requested", "result_ready"])
def test_a_dossiers_page_explains_its_current_status_to_the_applicant_and_the_officials(settings, status):
    settings.DEMO_MODE = True
    dossier = make_dossier(status)
    citizen, official = Client(), Client()
    citizen.force_login(dossier.applicant)
    official.force_login(dossier.staff.receiver)
    citizen_html = citizen.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    office_html = official.get(reverse("office:detail", args=[dossier.pk])).content.decode()
    assert _escaped(tour.CITIZEN_STATUS[status]) in citizen_html
    assert _escaped(tour.OFFICE_STATUS[status]) in office_html
    assert str(DossierStatus(status).label) in office_html
    assert str(tour.PAGES["office:queue"].title) in official.get(reverse("office:queue")).content.decode()


def test_every_status_has_a_text_for_both_sides():
    assert set(tour.CITIZEN_STATUS) == set(tour.OFFICE_STATUS) == set(DossierStatus.values)


def test_the_tour_speaks_english_when_switched(client, settings):
    settings.DEMO_MODE = True
    with translation.override("vi"):  # the request switches this thread's language: put it back afterwards
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        html = client.get("/").content.decode()
    with translation.override("en"):
        english = str(tour.PAGES["home"].title)
    assert english != "Bắt đầu: tìm thủ tục"
    assert english in html


def test_the_panel_is_the_same_for_an_official_who_signs_in(client, settings):
    settings.DEMO_MODE = True
    client.force_login(factories.make_official())
    assert str(tour.PAGES["office:queue"].title) in client.get(reverse("office:queue")).content.decode()


def _escaped(text) -> str:
    return escape(str(text))
