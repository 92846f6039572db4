from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal.accounts.selectors import user_find_by_login


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
