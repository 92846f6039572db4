"""Identity providers the portal's accounts can sign in through (OpenID Connect); the simulators live here."""
