"""The simulator's pages: a demo person picks who they are and the identity level, then the OIDC authorize
endpoint (django-oauth-toolkit) issues the code to the portal."""

from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from oauth2_provider.views import AuthorizationView

from portal.accounts.providers.mockvneid.forms import SignInForm
from portal.accounts.providers.mockvneid.models import SignIn

SESSION_SIGN_IN = "mockvneid_sign_in"
NEXT_INVALID = _("Liên kết đăng nhập không hợp lệ. Vui lòng quay lại cổng dịch vụ công và bấm “Đăng nhập bằng VNeID”.")


def _authorize_path() -> str:
    return reverse("oauth2_provider:authorize")


def sign_in(request):
    """Who is signing in, and at which level; then back to the authorize request that sent them here."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    next_ok = url_has_allowed_host_and_scheme(next_url, {request.get_host()}) and next_url.startswith(_authorize_path())
    form = SignInForm(request.POST or None)
    if request.method == "POST" and next_ok and form.is_valid():
        record = SignIn.objects.create(resident=form.cleaned_data["resident"], level=form.cleaned_data["level"])
        request.session[SESSION_SIGN_IN] = record.pk
        return HttpResponseRedirect(next_url)
    context = {"form": form, "next": next_url, "problem": "" if next_ok else NEXT_INVALID}
    return render(request, "mockvneid/sign_in.html", context, status=200 if next_ok else 400)


class AuthorizeView(AuthorizationView):
    """django-oauth-toolkit's authorize endpoint, with the simulator's sign-in as its user.

    A sign-in serves one authorization: the next login from the portal asks again, so a demo can switch people.
    """

    def dispatch(self, request, *args, **kwargs):
        record = SignIn.objects.select_related("resident").filter(pk=request.session.get(SESSION_SIGN_IN)).first()
        if record is None:
            return redirect(f"{reverse('oauth2_provider:mockvneid-sign-in')}?{_next_query(request)}")
        site_user, request.user = request.user, record
        try:
            response = super().dispatch(request, *args, **kwargs)
        finally:
            # An error page is rendered after this returns, by the site's templates: they expect a site user.
            request.user = site_user
        request.session.pop(SESSION_SIGN_IN, None)
        return response


def _next_query(request) -> str:
    query = QueryDict(mutable=True)
    query["next"] = request.get_full_path()
    return query.urlencode()
