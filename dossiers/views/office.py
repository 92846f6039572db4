"""Back-office pages for one-stop counter officials: the agency queue, a dossier's page, counter intake.

Views parse the request, call one service or selector, and render. Every rule lives in the
services and the transition table: a page offers the actions `workflow.available_actions`
gives, and shows the services' typed errors next to the field they name or as an alert.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from dossiers import selectors, workflow
from dossiers.constants import Actor, IntakeChannel
from dossiers.documents import receipt_pdf
from dossiers.forms import DeliveryForm, form_for_schema
from dossiers.models import Dossier
from dossiers.overdue import apology_open, apology_slip_pdf, latest_apology, local_text
from dossiers.roles import actor_roles
from dossiers.services import review
from dossiers.services.counter import dossier_register_at_counter
from dossiers.uploads import SizeLimitedUploadHandler
from portal.accounts.constants import AGENCY_ROLES, Role
from portal.accounts.selectors import user_get_with_roles
from portal.accounts.validators import normalize_national_id, normalize_phone
from portal.errors import ConflictError, NotFoundError, PermissionDeniedError, ServiceError, ValidationFailed
from portal.formatting import vnd
from procedures import selectors as catalog
from procedures.models import Agency

PAGE_SIZE = 25
SESSION_AGENCY = "office_agency_id"
TABS = (
    ("", gettext_lazy("Tất cả")),
    ("new", gettext_lazy("Mới")),
    ("processing", gettext_lazy("Đang xử lý")),
    ("supplement", gettext_lazy("Chờ bổ sung")),
    ("approval", gettext_lazy("Chờ phê duyệt")),
    ("result", gettext_lazy("Có kết quả")),
    ("overdue", gettext_lazy("Quá hạn")),
)
ERR_TAKEN = gettext_lazy("Hồ sơ đã được người khác xử lý hoặc đã sang bước khác, nên thao tác chưa được thực hiện.")
ERR_UNKNOWN_ACTION = gettext_lazy("Không có thao tác này.")
ERR_NOT_DONE = gettext_lazy("Chưa thực hiện được “%(action)s”: hãy xem lỗi bên dưới.")
ERR_NOT_RECEIVER = gettext_lazy("Chỉ cán bộ tiếp nhận của cơ quan mới nhập được hồ sơ giấy.")


# --- Who is at the desk ----------------------------------------------------------------------------


@dataclass
class Desk:
    """The official's agencies and roles, and the agency whose queue they are working now."""

    roles_by_agency: dict[int, set[str]]
    agencies: list[Agency]
    agency: Agency | None = None
    roles: set[str] = field(default_factory=set)


def _desk(request) -> Desk:
    user = user_get_with_roles(user_id=request.user.pk)
    roles_by_agency, agencies = {}, {}
    for staff_role in user.staff_roles.all():
        if staff_role.role in AGENCY_ROLES:
            roles_by_agency.setdefault(staff_role.agency_id, set()).add(staff_role.role)
            agencies[staff_role.agency_id] = staff_role.agency
    desk = Desk(roles_by_agency=roles_by_agency, agencies=sorted(agencies.values(), key=lambda a: a.name))
    chosen = request.session.get(SESSION_AGENCY)
    if len(agencies) == 1:
        chosen = next(iter(agencies))
    if chosen in agencies:
        desk.agency, desk.roles = agencies[chosen], roles_by_agency[chosen]
    return desk


def _forbidden(request, message=None):
    return render(request, "dossiers/office/forbidden.html", {"message": message}, status=403)


def office_required(view):
    """Logged in and holding a counter role somewhere; other users get the 403 page."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        desk = _desk(request)
        if not desk.agencies:
            return _forbidden(request)
        return view(request, desk, *args, **kwargs)

    return wrapper


def _render(request, template: str, context: dict, status: int = 200):
    return render(request, f"dossiers/office/{template}", {"nav_section": "office", **context}, status=status)


# --- The queue ------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=TABS, required=False, widget=forms.HiddenInput)
    search = forms.CharField(
        label=gettext_lazy("Mã hồ sơ hoặc tên người nộp"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    assignee = forms.ChoiceField(
        label=gettext_lazy("Người xử lý"),
        required=False,
        choices=[
            ("", gettext_lazy("Tất cả")),
            ("me", gettext_lazy("Tôi xử lý")),
            ("none", gettext_lazy("Chưa phân công")),
        ],
    )
    due_soon = forms.BooleanField(label=gettext_lazy("Sắp đến hạn (trong 2 ngày)"), required=False)


@office_required
def queue(request, desk: Desk):
    if "agency" in request.GET:
        return _choose_agency(request, desk)
    if desk.agency is None:
        return _render(request, "choose_agency.html", {"desk": desk})
    form = QueueFilterForm(request.GET)
    values = form.cleaned_data if form.is_valid() else {"tab": "", "search": "", "assignee": "", "due_soon": False}
    dossiers = selectors.agency_queue(
        user=request.user,
        tab=values["tab"],
        due_soon=values["due_soon"] or None,
        assignee=values["assignee"],
        search=values["search"],
    ).filter(agency=desk.agency)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.agency_queue_counts(user=request.user, agency_id=desk.agency.pk)
    now = timezone.now()
    rows = [
        {"dossier": d, "overdue": selectors.is_overdue(d, now=now), "due_soon": selectors.is_due_soon(d, now=now)}
        for d in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "desk": desk,
        "form": form,
        "tab": values["tab"],
        "tabs": [(name, label, counts.get(name), _tab_href(query, name)) for name, label in TABS],
        "page": page,
        "rows": rows,
        "query_string": query.urlencode(),
        "can_register": Role.RECEIVER in desk.roles,
    }
    return _render(request, "queue.html", context)


def _tab_href(query, tab: str) -> str:
    """The same search and filters on another tab."""
    query = query.copy()
    query.pop("tab", None)
    if tab:
        query["tab"] = tab
    return f"?{query.urlencode()}"


def _choose_agency(request, desk: Desk):
    chosen = next((a for a in desk.agencies if a.code == request.GET["agency"]), None)
    if chosen is None:
        return _render(request, "choose_agency.html", {"desk": desk}, status=404)
    request.session[SESSION_AGENCY] = chosen.pk
    return redirect("office:queue")


# --- A dossier's page and its actions -------------------------------------------------------------


class ActionForm(forms.Form):
    """The inputs one transition needs (its `requires`); the rules themselves stay in the services."""

    def __init__(self, *args, transition, dossier: Dossier, processors=(), **kwargs):
        super().__init__(*args, prefix=transition.action, **kwargs)
        self.transition = transition
        self.negative = transition.negative
        needs = set(transition.requires)
        if "reason" in needs:
            self.fields["reason"] = forms.CharField(
                label=transition.reason_label,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": gettext_lazy("Cần nêu lý do.")},
                help_text=(
                    gettext_lazy("Chỉ cán bộ xem được nội dung này.")
                    if not transition.reason_is_public
                    else gettext_lazy("Người nộp sẽ nhận được nội dung này.")
                ),
            )
        if "assignee" in needs:
            self.fields["assignee"] = forms.TypedChoiceField(
                label=gettext_lazy("Chuyên viên xử lý"),
                coerce=int,
                choices=[("", gettext_lazy("— Chọn —")), *((u.pk, u.full_name) for u in processors)],
                initial=dossier.assignee_id,
            )
        if "file" in needs:
            self.fields["file"] = forms.FileField(
                label=gettext_lazy("Tệp kết quả giải quyết (PDF)"),
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
            )
        if "amount" in needs:
            owed = dossier.amount_due - dossier.amount_paid
            self.fields["amount"] = forms.IntegerField(
                label=gettext_lazy("Số tiền thu (đồng)"),
                min_value=1,
                initial=owed,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                help_text=_("Còn phải nộp: %(owed)s đồng.") % {"owed": vnd(owed)},
            )
        if "new_due_at" in needs:
            self.fields["new_due_at"] = forms.DateField(
                label=gettext_lazy("Ngày hẹn trả kết quả mới"),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                help_text=gettext_lazy("Một ngày làm việc sau ngày hẹn cũ; hạn là giờ đóng cửa của ngày đó."),
            )
        if "reason" not in needs:
            self.fields["note"] = forms.CharField(
                label=gettext_lazy("Ghi chú nội bộ"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=gettext_lazy("Không gửi cho người nộp."),
            )

    def perform(self, *, dossier: Dossier, user) -> Dossier:
        data = self.cleaned_data
        return review.dossier_act(
            dossier_id=dossier.pk,
            user=user,
            action=self.transition.action,
            data=review.ActionInput(
                note=data.get("note", ""),
                reason=data.get("reason", ""),
                assignee_id=data.get("assignee"),
                amount=data.get("amount"),
                result_file=data.get("file"),
                new_due_at=data.get("new_due_at"),
            ),
        )


def _office_dossier(request, dossier_id: int) -> tuple[Dossier, frozenset]:
    """The dossier with its history, if the caller is an official of its agency; 404 otherwise."""
    try:
        dossier = selectors.dossier_for_user(dossier_id=dossier_id, user=request.user)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    roles = actor_roles(user=request.user, dossier=dossier) - {Actor.APPLICANT}
    if not roles:
        raise Http404
    return dossier, roles


def _action_forms(dossier: Dossier, roles: frozenset, bound: ActionForm | None = None) -> list[ActionForm]:
    rows = workflow.available_actions(dossier, roles)
    rows = [row for row in rows if row.action != "issue_apology" or apology_open(dossier)]
    processors = (
        selectors.agency_processors(agency_id=dossier.agency_id) if any("assignee" in r.requires for r in rows) else ()
    )
    forms_ = [ActionForm(transition=row, dossier=dossier, processors=processors) for row in rows]
    if bound is not None:
        forms_ = [bound if f.transition.action == bound.transition.action else f for f in forms_]
    return forms_


def _answers(dossier: Dossier) -> list[tuple[str, object]]:
    properties = dossier.procedure.form_schema.get("properties", {})
    answers = [(prop.get("title", name), dossier.form_data.get(name)) for name, prop in properties.items()]
    # Answers to fields the e-form no longer has still belong to the file: show them under their key.
    answers += [(name, value) for name, value in dossier.form_data.items() if name not in properties]
    return answers


def _new_due(event) -> datetime | None:
    """The appointment an event moved (a supplement's restart, an apology slip), if it moved one."""
    value = event.data.get("due_at") if isinstance(event.data, dict) else None
    return datetime.fromisoformat(value) if value else None


def _detail(request, dossier_id: int, *, bound=None, alert=None, status=200):
    dossier, roles = _office_dossier(request, dossier_id)
    events = list(dossier.events.all())
    context = {
        "dossier": dossier,
        "roles": [Actor(role).label for role in sorted(roles)],
        "answers": _answers(dossier),
        "attachments": list(dossier.attachments.all()),
        "events": [(event, workflow.event_label(event), _new_due(event)) for event in events],
        "action_forms": _action_forms(dossier, roles, bound),
        "overdue": selectors.is_overdue(dossier),
        "due_soon": selectors.is_due_soon(dossier),
        "owed": dossier.amount_due - dossier.amount_paid,
        "has_apology": any(event.action == "issue_apology" for event in events),
        "alert": alert,
    }
    return _render(request, "detail.html", context, status=status)


@csrf_exempt
@office_required
def dossier_detail(request, desk: Desk, dossier_id: int):
    if request.method == "POST":
        # The size-limited handler must be in place before anything reads the body, CSRF included.
        request.upload_handlers = [SizeLimitedUploadHandler(request)]
        return _act(request, dossier_id)
    return _detail(request, dossier_id)


@csrf_protect
def _act(request, dossier_id: int):
    dossier, _roles = _office_dossier(request, dossier_id)
    rows = workflow.transitions_for(request.POST.get("action", ""))
    if not rows or rows[0].action not in workflow.OFFICIAL_ACTIONS:
        return _detail(request, dossier_id, alert=ERR_UNKNOWN_ACTION, status=400)
    processors = selectors.agency_processors(agency_id=dossier.agency_id) if "assignee" in rows[0].requires else ()
    form = ActionForm(request.POST, request.FILES, transition=rows[0], dossier=dossier, processors=processors)
    label = rows[0].label
    if not form.is_valid():
        return _detail(request, dossier_id, bound=form, alert=ERR_NOT_DONE % {"action": label}, status=400)
    try:
        dossier = form.perform(dossier=dossier, user=request.user)
    except ConflictError as exc:
        alert = f"{ERR_TAKEN} {exc.message}" if exc.code == "wrong_status" else exc.message
        return _detail(request, dossier_id, alert=alert, status=409)
    except PermissionDeniedError as exc:
        return _detail(request, dossier_id, alert=exc.message, status=403)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _detail(request, dossier_id, bound=form, alert=ERR_NOT_DONE % {"action": label}, status=400)
    messages.success(
        request,
        _("Đã thực hiện “%(action)s”. Trạng thái hồ sơ: %(status)s.")
        % {"action": label, "status": dossier.get_status_display()},
    )
    return redirect("office:detail", dossier_id=dossier.pk)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@office_required
def dossier_receipt(request, desk: Desk, dossier_id: int):
    dossier, _roles = _office_dossier(request, dossier_id)
    if not dossier.code:
        raise Http404
    return _pdf(receipt_pdf(dossier), f"giay-tiep-nhan-{dossier.code}.pdf")


@login_required
def apology_slip(request, dossier_id: int):
    """The latest apology slip, for the dossier's officials and for its applicant (404 for anyone else)."""
    try:
        dossier = selectors.dossier_for_user(dossier_id=dossier_id, user=request.user)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    event = latest_apology(dossier)
    if event is None:
        raise Http404
    return _pdf(apology_slip_pdf(dossier, event), f"phieu-xin-loi-{dossier.code}.pdf")


# --- Counter intake -------------------------------------------------------------------------------


class CounterProcedureForm(forms.Form):
    procedure = forms.ChoiceField(label=gettext_lazy("Thủ tục"))

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", gettext_lazy("— Chọn thủ tục —"))] + [
            (p.code, f"{p.name} ({p.code})") for p in procedures
        ]


class CounterApplicantForm(forms.Form):
    applicant_full_name = forms.CharField(
        label=gettext_lazy("Họ và tên người nộp"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    applicant_national_id = forms.CharField(
        label=gettext_lazy("Số CCCD"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("12 chữ số. Người đã có tài khoản sẽ thấy hồ sơ này trong “Hồ sơ của tôi”."),
    )
    applicant_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=gettext_lazy("Nhận tin nhắn về tình trạng hồ sơ."),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Hồ sơ được nộp"),
        choices=[
            (IntakeChannel.COUNTER, gettext_lazy("Trực tiếp tại bộ phận một cửa")),
            (IntakeChannel.POSTAL, gettext_lazy("Qua bưu chính")),
        ],
        initial=IntakeChannel.COUNTER,
        widget=forms.RadioSelect,
    )
    on_behalf_note = forms.CharField(
        label=gettext_lazy("Ghi chú nộp thay (nếu có)"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Ví dụ: người cao tuổi, người khuyết tật được cán bộ hỗ trợ nhập hồ sơ."),
    )

    # The accounts validators, so every mistake shows at once rather than one per submit.
    def clean_applicant_national_id(self):
        return normalize_national_id(self.cleaned_data["applicant_national_id"])

    def clean_applicant_phone(self):
        return normalize_phone(self.cleaned_data["applicant_phone"])


@office_required
def counter_new(request, desk: Desk):
    if desk.agency is None:
        return _render(request, "choose_agency.html", {"desk": desk})
    if Role.RECEIVER not in desk.roles:
        return _forbidden(request, ERR_NOT_RECEIVER)
    procedures = list(catalog.procedures_of_agency(agency=desk.agency))
    code = request.POST.get("procedure") or request.GET.get("procedure", "")
    procedure = next((p for p in procedures if p.code == code), None)
    choose = CounterProcedureForm(initial={"procedure": code}, procedures=procedures)
    if procedure is None:
        return _render(request, "counter_new.html", {"desk": desk, "choose": choose})
    data = request.POST if request.method == "POST" else None
    applicant = CounterApplicantForm(data, prefix="applicant")
    eform = form_for_schema(procedure.form_schema, data=data)
    delivery = DeliveryForm(
        data, prefix="delivery", methods=procedure.delivery_methods, initial={"delivery_method": "counter"}
    )
    if data is not None and all([applicant.is_valid(), eform.is_valid(), delivery.is_valid()]):
        try:
            dossier = dossier_register_at_counter(
                official=request.user,
                procedure_code=procedure.code,
                agency_code=desk.agency.code,
                form_data=eform.answers(),
                delivery_method=delivery.cleaned_data["delivery_method"],
                delivery_address=delivery.address(),
                **applicant.cleaned_data,
            )
        except PermissionDeniedError as exc:
            return _forbidden(request, exc.message)
        except ValidationFailed as exc:
            eform.add_service_errors(exc.errors.get("form_data", {}))
            delivery.add_service_errors(exc)
        except ServiceError as exc:
            target = next((f for f in (applicant, delivery) if exc.field in f.fields), applicant)
            target.add_error(exc.field if exc.field in target.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. Ngày hẹn trả kết quả: %(due)s.")
                % {"code": dossier.code, "due": local_text(dossier.due_at)},
            )
            return redirect("office:detail", dossier_id=dossier.pk)
    context = {
        "desk": desk,
        "choose": choose,
        "procedure": procedure,
        "applicant": applicant,
        "eform": eform,
        "delivery": delivery,
        "has_errors": data is not None,
    }
    return _render(request, "counter_new.html", context, status=400 if data is not None else 200)
