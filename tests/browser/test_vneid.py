"""Log in through the simulated VNeID in a real browser: OpenID Connect code flow with PKCE, state and nonce,
the relying party fetching the provider's discovery document, keys and token from the live server."""

from urllib.parse import parse_qs, urlsplit

from portal.accounts.models import User
from portal.accounts.providers.mockvneid.setup import population_ensure, portal_client_ensure
from tests.browser.helpers import no_horizontal_overflow


def test_login_with_vneid_lands_on_my_dossiers_identity_verified(page, live_server, transactional_db, shoot):
    population_ensure()
    portal_client_ensure()
    authorize_requests = []
    page.on("request", lambda request: "/vneid/authorize/" in request.url and authorize_requests.append(request.url))

    page.goto(live_server.url + "/accounts/login/")
    assert no_horizontal_overflow(page)
    shoot(page, "login-with-vneid")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.wait_for_url("**/vneid/login/**")
    assert no_horizontal_overflow(page)
    shoot(page, "vneid-sign-in")

    params = {key: values[0] for key, values in parse_qs(urlsplit(authorize_requests[0]).query).items()}
    assert params["response_type"] == "code" and params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) >= 43 and params["state"] and params["nonce"]
    assert "code_verifier" not in params  # the verifier never leaves the portal's session

    page.get_by_label("Lê Thị Mai (030196000051)").check()
    page.get_by_label("Mức 2", exact=False).check()
    page.get_by_role("button", name="Xác nhận đăng nhập").click()
    page.wait_for_url(live_server.url + "/dossiers/")
    assert page.get_by_text("Đã đăng nhập bằng tài khoản định danh điện tử VNeID").is_visible()

    user = User.objects.get(national_id="030196000051")
    assert user.is_identity_verified and user.identity_level == 2 and user.is_phone_verified

    page.goto(live_server.url + "/accounts/profile/")
    assert page.get_by_text("Đã định danh VNeID mức 2").is_visible()
    assert no_horizontal_overflow(page)
