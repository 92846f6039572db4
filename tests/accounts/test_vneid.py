"""Sign-in through the simulated VNeID: the relying party's checks (state, PKCE, nonce, ID token signature)."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from portal.accounts.models import User
from portal.accounts.providers.mockvneid.models import IdentityLevel, Resident
from portal.accounts.services import identity
from tests.accounts.identity_provider import DjangoClientAdapter, install

pytestmark = pytest.mark.django_db

NEW_PERSON = "030196000051"  # in the simulator's register, with no portal account


def _query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def start(client) -> str:
    """Click "Đăng nhập bằng VNeID", pick the person and the level at the provider: the callback URL it sends back."""
    response = client.get(reverse("accounts:vneid_login"))
    assert response.status_code == 302
    authorize = response["Location"]
    params = _query(authorize)
    assert params["code_challenge_method"] == "S256" and params["code_challenge"]
    assert params["state"] and params["nonce"] and params["response_type"] == "code"
    to_picker = client.get(authorize)
    assert to_picker.status_code == 302 and "/vneid/login/" in to_picker["Location"]
    picker = client.get(to_picker["Location"])
    assert picker.status_code == 200
    return picker


def pick(client, picker, *, national_id: str, level: int = IdentityLevel.FULL) -> str:
    resident = Resident.objects.get(national_id=national_id)
    next_url = picker.context["next"]
    back = client.post(
        reverse("oauth2_provider:mockvneid-sign-in"), {"resident": resident.pk, "level": level, "next": next_url}
    )
    assert back.status_code == 302
    to_portal = client.get(back["Location"])
    assert to_portal.status_code == 302
    callback = to_portal["Location"]
    assert urlsplit(callback).path == reverse("accounts:vneid_callback")
    return callback


def test_a_new_person_signs_in_and_gets_an_identity_verified_account(client, monkeypatch):
    adapter = install(monkeypatch, DjangoClientAdapter())
    callback = pick(client, start(client), national_id=NEW_PERSON)
    response = client.get(callback)
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:list")
    user = User.objects.get(national_id=NEW_PERSON)
    assert (user.full_name, user.phone, user.identity_level) == ("Lê Thị Mai", "0912000051", 2)
    assert user.is_identity_verified and user.is_phone_verified and not user.has_usable_password()
    assert client.get(reverse("dossiers:list")).wsgi_request.user == user
    assert "/vneid/token/" in adapter.calls and "/vneid/.well-known/jwks.json" in adapter.calls


def test_an_existing_account_is_matched_by_national_id_at_the_level_chosen(client, monkeypatch, django_user_model):
    install(monkeypatch, DjangoClientAdapter())
    existing = django_user_model.objects.create_user(
        "0912000002", "Xin-chao@2026", full_name="Trần Thị Bình", national_id="030190000002"
    )
    callback = pick(client, start(client), national_id="030190000002", level=IdentityLevel.BASIC)
    assert client.get(callback).status_code == 302
    existing.refresh_from_db()
    assert existing.identity_level == 1 and existing.is_identity_verified and existing.is_phone_verified
    assert django_user_model.objects.filter(national_id="030190000002").count() == 1


def test_a_wrong_state_is_refused(client, monkeypatch):
    adapter = install(monkeypatch, DjangoClientAdapter())
    callback = pick(client, start(client), national_id=NEW_PERSON)
    params = _query(callback)
    forged = f"{reverse('accounts:vneid_callback')}?code={params['code']}&state=forged-{params['state']}"
    response = client.get(forged)
    assert response.status_code == 400
    assert not User.objects.filter(national_id=NEW_PERSON).exists()
    assert "/vneid/token/" not in adapter.calls  # refused before the code was spent
    assert "_auth_user_id" not in client.session


def test_a_callback_replayed_after_use_is_refused(client, monkeypatch):
    install(monkeypatch, DjangoClientAdapter())
    callback = pick(client, start(client), national_id=NEW_PERSON)
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 400  # the state was spent with the first use


def _flip_id_token_claims(path: str, body: bytes) -> bytes:
    """Change the name in the ID token's payload, keeping its signature: what a man in the middle would do."""
    if not path.endswith("/token/"):
        return body
    token = json.loads(body)
    header, payload, signature = token["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["national_id"] = "030085000001"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    token["id_token"] = f"{header}.{forged}.{signature}"
    return json.dumps(token).encode()


def test_a_tampered_id_token_is_refused(client, monkeypatch):
    install(monkeypatch, DjangoClientAdapter(tamper=_flip_id_token_claims))
    callback = pick(client, start(client), national_id=NEW_PERSON)
    response = client.get(callback)
    assert response.status_code == 400
    assert not User.objects.filter(national_id__in=[NEW_PERSON, "030085000001"]).exists()
    assert "_auth_user_id" not in client.session


def test_an_id_token_signed_with_another_key_is_refused(client, monkeypatch):
    from cryptography.hazmat.primitives.asymmetric import rsa
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    other = RSAKey.import_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def resign(path, body):
        if not path.endswith("/token/"):
            return body
        token = json.loads(body)
        header, payload, _signature = token["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        kid = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]
        token["id_token"] = jwt.encode({"alg": "RS256", "kid": kid}, claims, other)
        return json.dumps(token).encode()

    install(monkeypatch, DjangoClientAdapter(tamper=resign))
    response = client.get(pick(client, start(client), national_id=NEW_PERSON))
    assert response.status_code == 400
    assert not User.objects.filter(national_id=NEW_PERSON).exists()


def test_a_wrong_nonce_is_refused(client, monkeypatch):
    install(monkeypatch, DjangoClientAdapter())
    picker = start(client)
    # The nonce the portal keeps for this state is replaced: the ID token (carrying the provider's) must not match.
    session = client.session
    for key, value in list(session.items()):
        if key.startswith("_state_vneid_"):
            value["data"]["nonce"] = "another-nonce"
            session[key] = value
    session.save()
    response = client.get(pick(client, picker, national_id=NEW_PERSON))
    assert response.status_code == 400
    assert not User.objects.filter(national_id=NEW_PERSON).exists()


def test_the_provider_refuses_a_code_exchange_without_the_pkce_verifier(client, monkeypatch):
    adapter = install(monkeypatch, DjangoClientAdapter())
    callback = pick(client, start(client), national_id=NEW_PERSON)
    from django.conf import settings

    answer = adapter.client.post(
        "/vneid/token/",
        {
            "grant_type": "authorization_code",
            "code": _query(callback)["code"],
            "redirect_uri": "http://testserver" + reverse("accounts:vneid_callback"),
            "client_id": settings.VNEID_CLIENT_ID,
            "client_secret": settings.VNEID_CLIENT_SECRET,
        },
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_nothing_else_is_reachable(monkeypatch, settings, client):
    settings.VNEID_ISSUER = "https://vneid.example.gov.vn"
    install(monkeypatch, DjangoClientAdapter())
    response = client.get(reverse("accounts:vneid_login"))
    assert response.status_code == 503


def test_a_second_login_reuses_the_providers_metadata_and_keys(client, monkeypatch):
    adapter = install(monkeypatch, DjangoClientAdapter())
    assert client.get(pick(client, start(client), national_id=NEW_PERSON)).status_code == 302
    client.logout()
    adapter.calls.clear()
    assert client.get(pick(client, start(client), national_id=NEW_PERSON)).status_code == 302
    assert adapter.calls == ["/vneid/token/"]


def test_a_phone_held_by_another_account_is_refused_with_a_message(client, monkeypatch, django_user_model):
    install(monkeypatch, DjangoClientAdapter())
    django_user_model.objects.create_user("0912000051", "x", full_name="Người khác", national_id="030190000088")
    response = client.get(pick(client, start(client), national_id=NEW_PERSON))
    assert response.status_code == 400
    assert str(identity.IDENTITY_PHONE_TAKEN) in response.content.decode()
    assert not User.objects.filter(national_id=NEW_PERSON).exists()


def test_a_disabled_account_is_refused(client, monkeypatch, django_user_model):
    install(monkeypatch, DjangoClientAdapter())
    django_user_model.objects.create_user(
        "0912000051", "x", full_name="Lê Thị Mai", national_id=NEW_PERSON, is_active=False
    )
    response = client.get(pick(client, start(client), national_id=NEW_PERSON))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_provider_refuses_an_authorize_link_it_did_not_make(client):
    picker = client.get(reverse("oauth2_provider:mockvneid-sign-in"), {"next": "https://evil.example/"})
    assert picker.status_code == 400
    resident = Resident.objects.first()
    posted = client.post(
        reverse("oauth2_provider:mockvneid-sign-in"),
        {"resident": resident.pk, "level": 2, "next": "https://evil.example/"},
    )
    assert posted.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"client_id": "unknown", "response_type": "code", "scope": "openid"},
        {
            "client_id": "dvc-portal",
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": "https://evil.example/",
        },
        {"client_id": "dvc-portal", "response_type": "code", "scope": "openid"},  # no PKCE challenge
    ],
)
def test_the_provider_answers_a_bad_authorize_request_without_a_server_error(client, query):
    picker = client.get(reverse("oauth2_provider:authorize"), query, follow=True)
    next_url = picker.context["next"]
    resident = Resident.objects.first()
    client.post(reverse("oauth2_provider:mockvneid-sign-in"), {"resident": resident.pk, "level": 2, "next": next_url})
    response = client.get(next_url)
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        assert "error=" in response["Location"] and not response["Location"].startswith("https://evil")
