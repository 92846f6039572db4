"""Supplement requests of named papers: the official names what is missing (papers of the procedure's
list, or "other papers" by name), the applicant must send exactly those before answering.

The request's event keeps the papers in its data (`papers`: key and name of each), so the citizen's page,
the API, the office page and the check below all read one list. The two effects here are pointed at by
the workflow table's request and answer rows.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierEvent
from portal.errors import ServiceError

ERR_UNKNOWN_PAPER = gettext_noop("Thủ tục này không có thành phần hồ sơ “{key}”.")
ERR_OTHER_NAME = gettext_noop("Tên giấy tờ khác phải có từ 1 đến {limit} ký tự.")
ERR_TOO_MANY_OTHERS = gettext_noop("Chỉ nêu tối đa {limit} giấy tờ khác trong một lần yêu cầu.")
ERR_PAPERS_MISSING = gettext_noop("Cần tải lên đủ giấy tờ được yêu cầu bổ sung trước khi gửi: {names}.")
OTHER_KEY_PREFIX = "giay-to-bo-sung-"
OTHER_NAME_MAX = 200
OTHERS_MAX = 5


def latest_request(dossier: Dossier) -> DossierEvent | None:
    """The move that put the dossier into supplement_requested last (from the prefetched events when loaded)."""
    events = [e for e in dossier.events.all() if e.to_status == DossierStatus.SUPPLEMENT_REQUESTED]
    events = [e for e in events if e.from_status != DossierStatus.SUPPLEMENT_REQUESTED]
    return max(events, key=lambda e: (e.created_at, e.id), default=None)


def requested_papers(dossier: Dossier) -> list[dict]:
    """The papers of the open request: [{key, name, other}], empty when none was named (or none is open)."""
    if dossier.status != DossierStatus.SUPPLEMENT_REQUESTED:
        return []
    request = latest_request(dossier)
    return list(request.data.get("papers", [])) if request else []


def other_paper(dossier: Dossier, key: str) -> dict | None:
    """An "other paper" the open request named, by key."""
    return next((p for p in requested_papers(dossier) if p.get("other") and p["key"] == key), None)


def papers_with_files(dossier: Dossier) -> list[tuple[dict, object]]:
    """Each requested paper with the file sent for it since the request (or None)."""
    request = latest_request(dossier)
    papers = requested_papers(dossier)
    if not papers or request is None:
        return []
    sent = {
        attachment.paper_key: attachment
        for attachment in dossier.attachments.filter(superseded_at__isnull=True, created_at__gte=request.created_at)
        .select_related("document")
        .order_by("created_at", "id")
    }
    return [(paper, sent.get(paper["key"])) for paper in papers]


def missing_papers(dossier: Dossier) -> list[dict]:
    return [paper for paper, attachment in papers_with_files(dossier) if attachment is None]


# --- Effects of the workflow table's rows ---------------------------------------------------------


def name_papers(dossier: Dossier, data, now):
    """request_supplement: check and record the papers asked for (none named: a request about the form)."""
    keys = list(dict.fromkeys(k for k in (data.papers or ()) if k))
    documents = {d.key: d for d in dossier.procedure.required_documents.all()}
    for key in keys:
        if key not in documents:
            raise ServiceError(_(ERR_UNKNOWN_PAPER).format(key=key), field="documents")
    names = [" ".join(str(name or "").split()) for name in (data.other_papers or ())]
    names = [name for name in names if name]
    if len(names) > OTHERS_MAX:
        raise ServiceError(_(ERR_TOO_MANY_OTHERS).format(limit=OTHERS_MAX), field="other_documents")
    if any(len(name) > OTHER_NAME_MAX for name in names):
        raise ServiceError(_(ERR_OTHER_NAME).format(limit=OTHER_NAME_MAX), field="other_documents")
    papers = [{"key": key, "name": documents[key].name, "other": False} for key in keys]
    asked_before = DossierEvent.objects.filter(dossier=dossier, to_status=DossierStatus.SUPPLEMENT_REQUESTED).count()
    papers += [
        {"key": f"{OTHER_KEY_PREFIX}{asked_before + 1}-{n}", "name": name, "other": True}
        for n, name in enumerate(names, start=1)
    ]
    return [], ({"papers": papers} if papers else {})


def check_papers_sent(dossier: Dossier, data, now):
    """supplement: every paper the request named has a file sent since the request, or a 400 naming them."""
    missing = missing_papers(dossier)
    if missing:
        names = "; ".join(paper["name"] for paper in missing)
        raise ServiceError(_(ERR_PAPERS_MISSING).format(names=names), field="documents", code="papers_missing")
    return [], {}
