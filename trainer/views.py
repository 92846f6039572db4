"""The trainer's console: reset the demo, start a scenario, move the clock, sign in as a demo person."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import diagram
from portal.errors import ServiceError
from trainer import selectors
from trainer.access import TRAINER_SESSION_KEY, is_trainer, trainer_required
from trainer.cast import MissingCast
from trainer.clockwork import clock_advance
from trainer.forms import ClockForm
from trainer.people import demo_people_grouped, demo_person
from trainer.reset import demo_reset
from trainer.scenarios import BY_KEY, SCENARIOS
from trainer.steps import StoryError
from trainer.walkthrough import scenario_start

LOGIN_BACKEND = "portal.accounts.backends.PhoneOrNationalIdBackend"


@trainer_required
def console(request):
    code = request.GET.get("dossier", "")
    shown = selectors.dossier_for_diagram(code)
    events = list(shown.events.all()) if shown else []
    context = {
        "diagram_code": code.strip(),
        "diagram_dossier": shown,
        "diagram_missing": bool(code.strip()) and shown is None,
        "workflow_svg": diagram.workflow_svg(shown, events=events),
        "workflow_steps": diagram.path_steps(events),
        "clock": selectors.clock_state(),
        "clock_form": ClockForm(),
        "scenarios": SCENARIOS,
        "people_groups": demo_people_grouped(),
        "status_counts": selectors.world_status_counts(),
        "overdue_count": selectors.overdue_count(),
    }
    return render(request, "trainer/console.html", context)


@require_POST
@trainer_required
def reset(request):
    demo_reset()
    messages.success(request, _("Đã đặt lại dữ liệu trình diễn; đồng hồ về giờ thực."))
    return redirect("trainer:console")


@require_POST
@trainer_required
def scenario(request, key):
    chosen = BY_KEY.get(key)
    if chosen is None:
        raise Http404
    try:
        dossier, _story = scenario_start(chosen)
    except (ServiceError, StoryError, MissingCast) as exc:
        messages.error(request, _("Không bắt đầu được kịch bản: %(error)s") % {"error": exc})
        return redirect("trainer:console")
    link = reverse("office:detail", args=[dossier.pk])
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a> — {} <strong>{}</strong>',
            _("Đã tạo hồ sơ"),
            link,
            dossier.code,
            _("Bước tiếp theo:"),
            chosen.next_step,
        ),
    )
    return redirect("trainer:console")


@require_POST
@trainer_required
def move_clock(request):
    form = ClockForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("trainer:console")
    amount, unit = form.cleaned_data["amount"], form.cleaned_data["unit"]
    done = clock_advance(**{unit: amount})
    messages.success(
        request,
        _(
            "Đã dời đồng hồ. Quét định kỳ: %(overdue)s hồ sơ quá hạn mới, %(expired)s hồ sơ hết hạn thanh toán, "
            "%(parcels)s bước bưu gửi."
        )
        % {"overdue": done["overdue"], "expired": done["payments_expired"], "parcels": done["parcels_moved"]},
    )
    return redirect("trainer:console")


@require_POST
@trainer_required
def sign_in_as(request, user_id):
    person = demo_person(user_id)
    if person is None:
        raise Http404
    trainer_id = request.user.pk
    login(request, person, backend=LOGIN_BACKEND)
    request.session[TRAINER_SESSION_KEY] = trainer_id
    messages.info(request, _("Bạn đang đăng nhập thay %(name)s.") % {"name": person.full_name})
    return redirect("home")


@require_POST
def sign_back(request):
    """Back to the trainer's own account (open to the demo person the trainer is signed in as)."""
    if not settings.DEMO_MODE:
        raise Http404
    from_id = request.session.get(TRAINER_SESSION_KEY)
    trainer = None
    if from_id is not None:
        model = request.user.__class__
        trainer = model.objects.filter(pk=from_id).first()
    if trainer is None or not is_trainer(trainer):
        raise Http404
    login(request, trainer, backend=LOGIN_BACKEND)
    return redirect("trainer:console")
