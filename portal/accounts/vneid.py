"""The portal as an OpenID Connect relying party of the national electronic identity provider (VNeID).

Authlib does the protocol: the authorization code flow with PKCE (S256), a random state and nonce kept in the
session, the code exchanged with the client secret, and the ID token's RS256 signature checked against the keys
the provider publishes (its issuer, audience, expiry and nonce too). Which provider is configuration only:
VNEID_ISSUER, VNEID_CLIENT_ID, VNEID_CLIENT_SECRET (an empty issuer means the simulator on this site).
"""

import re
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

SIMULATOR_PATH = "/vneid"
CALLBACK_URL_NAME = "accounts:vneid_callback"
ISSUER_MISMATCH = "issuer_mismatch"
LEVEL_RE = re.compile(r"(\d+)$")
# The provider's discovery document and keys are kept this long between logins; an ID token signed with a key
# not among them makes Authlib fetch the keys again (key rotation), so this only saves round trips.
METADATA_CACHE_SECONDS = 600

SIGN_IN_REFUSED = _("Không đăng nhập được bằng VNeID: phản hồi của hệ thống định danh không hợp lệ. Vui lòng thử lại.")


class IdentityProviderError(Exception):
    """The provider's answer could not be trusted (wrong state, bad signature, wrong issuer...) or not fetched."""


# Everything Authlib, the JOSE library or the HTTP client raise for an answer that cannot be trusted.
PROTOCOL_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError, TypeError)


@dataclass(frozen=True)
class NationalIdentity:
    """The verified claims the portal uses."""

    subject: str
    national_id: str
    full_name: str
    phone: str
    level: int


def is_enabled() -> bool:
    return bool(settings.VNEID_CLIENT_SECRET)


def issuer(request) -> str:
    return settings.VNEID_ISSUER or request.build_absolute_uri(SIMULATOR_PATH)


def _metadata_key(request) -> str:
    return f"vneid-metadata:{issuer(request)}"


def _client(request):
    """A client for the configured provider, built per request (the issuer may follow the site's host), starting
    from the discovery document and keys fetched by an earlier login."""
    registry = OAuth()
    return registry.register(
        **(cache.get(_metadata_key(request)) or {}),
        name="vneid",
        client_id=settings.VNEID_CLIENT_ID,
        client_secret=settings.VNEID_CLIENT_SECRET,
        server_metadata_url=f"{issuer(request)}/.well-known/openid-configuration",
        client_kwargs={
            "scope": settings.VNEID_SCOPE,
            "code_challenge_method": "S256",
            "timeout": settings.VNEID_HTTP_TIMEOUT,
        },
    )


def _remember_metadata(request, client) -> None:
    cache.set(_metadata_key(request), dict(client.server_metadata), METADATA_CACHE_SECONDS)


def _checked_client(request):
    client = _client(request)
    metadata = client.load_server_metadata()
    if metadata.get("issuer") != issuer(request):
        # RFC 9207 / OIDC Discovery §4.3: the document must describe the issuer we configured.
        raise IdentityProviderError(ISSUER_MISMATCH)
    return client


def authorization_redirect(request):
    """The redirect to the provider's authorize endpoint; state, nonce and PKCE verifier stay in the session."""
    try:
        client = _checked_client(request)
        response = client.authorize_redirect(request, request.build_absolute_uri(reverse(CALLBACK_URL_NAME)))
        _remember_metadata(request, client)
        return response
    except PROTOCOL_ERRORS as exc:
        raise IdentityProviderError(str(exc)) from exc


def identity_from_callback(request) -> NationalIdentity:
    """Check the callback (state, code exchange with the PKCE verifier, ID token signature and nonce)."""
    try:
        client = _checked_client(request)
        token = client.authorize_access_token(request)
        claims = token.get("userinfo")
        if not claims:
            raise IdentityProviderError("no ID token")
        identity = _identity(claims)
        _remember_metadata(request, client)
        return identity
    except PROTOCOL_ERRORS as exc:
        raise IdentityProviderError(f"{type(exc).__name__}: {exc}") from exc


def _identity(claims) -> NationalIdentity:
    match = LEVEL_RE.search(str(claims.get("acr") or ""))
    return NationalIdentity(
        subject=str(claims["sub"]),
        national_id=str(claims[settings.VNEID_NATIONAL_ID_CLAIM]),
        full_name=str(claims.get("name") or ""),
        phone=str(claims.get("phone_number") or ""),
        level=int(match.group(1)) if match else 1,
    )
