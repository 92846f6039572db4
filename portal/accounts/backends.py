from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal.accounts.selectors import user_find_by_login
from portal.accounts.services.identity import user_from_national_identity


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuses every login of a locked-out account or address (django-axes); listed first.

    Every login path of the portal passes the request. A call without one (the test client's login(),
    a shell) has no client to count against, so it is let through to the backends below unchecked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PhoneOrNationalIdBackend(ModelBackend):
    """Sign in with the phone number (any accepted spelling) or the 12-digit CCCD number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_find_by_login(username=str(username))
        if user is None:
            # Hash anyway so an unknown account answers as slowly as a wrong password (Django #20760).
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class NationalIdentityBackend(ModelBackend):
    """Sign in with claims the national identity provider vouched for (portal.accounts.vneid checked them).

    Called through django.contrib.auth.authenticate(request, national_identity=...), so the lockout backend above
    sees the attempt and a locked-out client address is refused here too.
    """

    def authenticate(self, request, national_identity=None, **kwargs):
        if national_identity is None:
            return None
        user = user_from_national_identity(
            national_id=national_identity.national_id,
            full_name=national_identity.full_name,
            phone=national_identity.phone,
            level=national_identity.level,
        )
        return user if self.user_can_authenticate(user) else None
