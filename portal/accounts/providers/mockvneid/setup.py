"""The simulator's standing data: its population register and the portal's registration as a client."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password
from oauth2_provider.models import get_application_model

from portal.accounts.providers.mockvneid.models import Resident

RESIDENTS_FILE = Path(__file__).with_name("residents.json")


def population_ensure(*, using: str = "default") -> int:
    rows = json.loads(RESIDENTS_FILE.read_text(encoding="utf-8"))
    for row in rows:
        defaults = {**row, "birthdate": date.fromisoformat(row["birthdate"])}
        Resident.objects.using(using).update_or_create(national_id=row["national_id"], defaults=defaults)
    return len(rows)


def portal_client_ensure(*, using: str = "default"):
    """The portal as a confidential client: code flow, RS256 ID tokens, no consent screen (a government portal)."""
    application_model = get_application_model()
    secret = settings.MOCKVNEID_CLIENT_SECRET
    if not secret:
        return None
    client = application_model.objects.using(using).filter(client_id=settings.MOCKVNEID_CLIENT_ID).first()
    client = client or application_model(client_id=settings.MOCKVNEID_CLIENT_ID)
    client.name = "Cổng Dịch vụ công"
    client.client_type = application_model.CLIENT_CONFIDENTIAL
    client.authorization_grant_type = application_model.GRANT_AUTHORIZATION_CODE
    client.redirect_uris = " ".join(settings.MOCKVNEID_REDIRECT_URIS)
    client.algorithm = application_model.RS256_ALGORITHM
    client.skip_authorization = True
    if not client.pk or not client.client_secret or not _secret_matches(client.client_secret, secret):
        client.client_secret = secret  # hashed on save
    client.save(using=using)
    return client


def _secret_matches(stored: str, secret: str) -> bool:
    return check_password(secret, stored)


def on_post_migrate(*, using="default", **kwargs):
    population_ensure(using=using)
    portal_client_ensure(using=using)
