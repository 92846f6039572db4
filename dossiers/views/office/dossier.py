"""A dossier's page for its officials: answers, files, the internal timeline, one form per available action."""

from datetime import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from dossiers import diagram, page_panels, paperwork, rules, selectors, supplements, workflow
from dossiers.constants import Actor
from dossiers.forms.office import ActionForm, ScanForm
from dossiers.models import Dossier
from dossiers.uploads import SizeLimitedUploadHandler
from dossiers.views.office.shared import Desk, office_dossier, office_required, render_page
from portal.errors import ConflictError, NotFoundError, PermissionDeniedError, ServiceError
from procedures.form_schema import form_answers

ERR_TAKEN = gettext_lazy("Hồ sơ đã được người khác xử lý hoặc đã sang bước khác, nên thao tác chưa được thực hiện.")
ERR_UNKNOWN_ACTION = gettext_lazy("Không có thao tác này.")
ERR_NOT_DONE = gettext_lazy("Chưa thực hiện được “%(action)s”: hãy xem lỗi bên dưới.")


def _action_forms(dossier: Dossier, roles: frozenset, bound: ActionForm | None = None) -> list[ActionForm]:
    rows = workflow.available_actions(dossier, roles)
    processors = (
        selectors.agency_processors(agency_id=dossier.agency_id) if any("assignee" in r.requires for r in rows) else ()
    )
    forms_ = [ActionForm(transition=row, dossier=dossier, processors=processors) for row in rows]
    if bound is not None:
        forms_ = [bound if f.transition.action == bound.transition.action else f for f in forms_]
    return forms_


def _new_due(event) -> datetime | None:
    """The appointment an event moved (a supplement's restart, an apology slip), if it moved one."""
    value = event.data.get("due_at") if isinstance(event.data, dict) else None
    return datetime.fromisoformat(value) if value else None


def _paper(event, names: dict) -> str:
    """The paper an attachment event is about: the name it recorded, or (older events) its key's name."""
    data = event.data if isinstance(event.data, dict) else {}
    key = data.get("document")
    if not key:
        return ""
    return data.get("name") or names.get(key, key)


def _detail(request, dossier_id: int, *, bound=None, alert=None, status=200):
    dossier, roles = office_dossier(request, dossier_id)
    events = list(dossier.events.all())
    papers = selectors.dossier_papers(dossier=dossier)
    names = {document.key: document.name for document in dossier.procedure.required_documents.all()}
    context = {
        "dossier": dossier,
        "roles": [Actor(role).label for role in sorted(roles)],
        "answers": form_answers(dossier.procedure.form_schema, dossier.form_data, with_unlisted=True),
        "attachments": list(dossier.attachments.all()),
        "events": [(event, workflow.event_label(event), _new_due(event), _paper(event, names)) for event in events],
        "action_forms": _action_forms(dossier, roles, bound),
        "overdue": selectors.is_overdue(dossier),
        "due_soon": selectors.is_due_soon(dossier),
        "owed": dossier.amount_due - dossier.amount_paid,
        "e_result": selectors.e_result_of(dossier) if dossier.result_file else None,
        "paper_forms": paperwork.forms_for(dossier, roles),
        "papers": papers,
        "digitised": selectors.dossier_is_digitised(papers=papers),
        "scan_form": ScanForm(dossier=dossier) if rules.accepts_scans(dossier) else None,
        "alert": alert,
        "panels": page_panels.panels_for(dossier),
        "workflow_svg": diagram.workflow_svg(dossier, events=events),
        "workflow_steps": diagram.path_steps(events),
        "papers_asked": supplements.papers_with_files(dossier),
    }
    return render_page(request, "detail.html", context, status=status)


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
    dossier, _roles = office_dossier(request, dossier_id)
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
