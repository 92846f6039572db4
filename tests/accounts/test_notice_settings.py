"""The notice settings page: SMS, e-mail or both, and the language of the notices."""

import re

import pytest
from django.urls import reverse

from portal.accounts.constants import NoticeChannels
from portal.accounts.services.preferences import ERR_NO_EMAIL
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("accounts:notice_settings")


def test_the_account_menu_links_the_page_and_it_shows_the_current_choice(client):
    citizen = factories.CitizenFactory()
    client.force_login(citizen)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{URL}"' in html
    page = client.get(URL)
    assert page.status_code == 200
    radios = dict(
        re.findall(r'<input type="radio" name="notice_channels" value="(\w+)"([^>]*)>', page.content.decode())
    )
    assert set(radios) == {"sms", "email", "both"}
    assert "checked" in radios["sms"] and "checked" not in radios["both"]


def test_choosing_both_and_english_is_saved(client):
    citizen = factories.CitizenFactory(email="hoa@example.vn")
    client.force_login(citizen)
    response = client.post(URL, {"notice_channels": "both", "notice_language": "en"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.notice_channels, citizen.notice_language) == (NoticeChannels.BOTH, "en")


def test_email_needs_an_address(client):
    citizen = factories.CitizenFactory(email="")
    client.force_login(citizen)
    response = client.post(URL, {"notice_channels": "email", "notice_language": "vi"})
    assert response.status_code == 200
    assert ERR_NO_EMAIL in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.notice_channels == NoticeChannels.SMS


@pytest.mark.parametrize(
    "data",
    [{}, {"notice_channels": "fax", "notice_language": "vi"}, {"notice_channels": "sms", "notice_language": "fr"}],
)
def test_bad_input_is_a_form_error_not_a_500(client, data):
    client.force_login(factories.CitizenFactory())
    assert client.post(URL, data).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
