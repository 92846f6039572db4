"""What the simulated VNeID puts in its ID tokens and userinfo: the resident's identity and the level used."""

from oauth2_provider.oauth2_validators import OAuth2Validator

ACR_PREFIX = "urn:vneid:loa:"  # acr = "urn:vneid:loa:2" for an identity of level 2


class VneidValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "national_id": "profile",
        "acr": "openid",
    }

    def get_claim_dict(self, request):
        claims = super().get_claim_dict(request)
        claims["sub"] = str(request.user.resident.sub)  # pairwise-stable, never the database key
        return claims

    def get_additional_claims(self, request):
        sign_in = request.user
        resident = sign_in.resident
        return {
            "name": resident.full_name,
            "birthdate": resident.birthdate.isoformat(),
            "national_id": resident.national_id,
            "phone_number": resident.phone,
            "phone_number_verified": True,
            "acr": f"{ACR_PREFIX}{sign_in.level}",
        }
