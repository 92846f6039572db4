from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal.accounts.selectors import user_find_by_login


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
