"""What the provider forgets: expired codes and tokens, and sign-ins nothing refers to any more."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import clear_expired

from portal.accounts.providers.mockvneid.models import SignIn

# A sign-in lives as long as its longest token could (django-oauth-toolkit's refresh tokens are kept a day).
SIGN_IN_KEPT_FOR = timedelta(days=1)


def sign_ins_clear() -> int:
    """Expired grants and tokens (django-oauth-toolkit), then sign-ins older than a day with none left."""
    clear_expired()
    with transaction.atomic():
        stale = SignIn.objects.filter(
            created_at__lt=timezone.now() - SIGN_IN_KEPT_FOR,
            grants__isnull=True,
            access_tokens__isnull=True,
            refresh_tokens__isnull=True,
            id_tokens__isnull=True,
        )
        _total, by_model = SignIn.objects.filter(pk__in=stale.values("pk")).delete()
    return by_model.get(SignIn._meta.label, 0)
