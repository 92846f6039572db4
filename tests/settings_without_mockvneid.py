"""The test settings without the identity provider simulator: the portal points at another OpenID Connect issuer."""

from portal.settings_test import *  # noqa: F403

INSTALLED_APPS = [
    app
    for app in INSTALLED_APPS  # noqa: F405
    if app not in ("portal.accounts.providers.mockvneid", "oauth2_provider")
]
VNEID_ISSUER = "https://vneid.example.gov.vn/oidc"
