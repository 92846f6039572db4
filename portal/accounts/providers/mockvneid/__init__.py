"""MockVNeID: a simulated national electronic identity provider (VNeID), an OpenID Connect provider built on
django-oauth-toolkit. The portal signs in through it as a relying party, exactly as it would through the real
one; remove the app (and set VNEID_ISSUER to the real provider) and nothing else changes."""
