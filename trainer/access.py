"""Who may open the trainer's pages: trainers only, and only while the portal runs in demo mode."""

import functools

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from portal.accounts.constants import Role
from portal.accounts.models import StaffRole

# The session remembers the trainer who signed in as a demo person, to sign them back in.
TRAINER_SESSION_KEY = "trainer:signed_in_as_from"


def is_trainer(user) -> bool:
    return bool(user and user.is_authenticated and StaffRole.objects.filter(user=user, role=Role.TRAINER).exists())


def trainer_required(view):
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.DEMO_MODE:
            raise Http404
        if not is_trainer(request.user):
            return render(request, "trainer/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return guarded
