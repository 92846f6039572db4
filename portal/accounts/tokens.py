"""API token check in one query (django-rest-knox's tokens, formats and endpoints unchanged).

knox's own TokenAuthentication reads the token with its user, then every other token of that user
to delete the expired ones: two queries on each authenticated request. Here the token is found with
its user in one query; the sweep of a user's expired tokens runs when a token is created
(services.auth.auth_token_create), and an expired token presented is deleted as it is refused, as knox
does. Renewal (AUTO_REFRESH) still writes at most once per MIN_REFRESH_INTERVAL.
"""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework.exceptions import AuthenticationFailed

# knox's own message, so its translations apply as before.
INVALID_TOKEN = gettext_lazy("Invalid token.")


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        failed = AuthenticationFailed(INVALID_TOKEN)
        token = token.decode("utf-8")
        try:
            digest = hash_token(token)
        except (TypeError, binascii.Error, ValueError):
            raise failed from None
        candidates = get_token_model().objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
        for auth_token in candidates.select_related("user"):
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                username = auth_token.user.get_username()
                auth_token.delete()
                token_expired.send(sender=self.__class__, username=username, source="auth_token")
                raise failed
            if knox_settings.AUTO_REFRESH and auth_token.expiry:
                self.renew_token(auth_token)
            return self.validate_user(auth_token)
        raise failed


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme stays knox's (same name, same header)."""

    target_class = TokenAuthentication
