"""Reads of the catalog: search, filters, detail, agencies and fields."""

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from portal.errors import NotFoundError
from portal.text import fold
from procedures.models import Agency, Field, FormTemplate, Procedure, RequiredDocument

# Portal names often open with "Thủ tục" ("Thủ tục đăng ký khai sinh"); a phrase right
# after it counts as a phrase at the start of the name.
FILLER_PREFIX = "thu tuc "

RANK_START, RANK_PHRASE, RANK_WORDS = 0, 1, 2


def procedure_catalog() -> QuerySet[Procedure]:
    """Active procedures with what list pages and the API show, in a bounded number of queries."""
    agencies = Prefetch("agencies", queryset=Agency.objects.only("id", "code", "name", "gov_level"))
    return Procedure.objects.filter(is_active=True).select_related("field").prefetch_related(agencies)


# What a list row never shows: the e-form, the legal texts (kilobytes a row), the search shadow column.
LIST_DEFERRED = ("form_schema", "legal_basis", "description", "fee_note", "search_text", "result_name")


def procedure_catalog_listed() -> QuerySet[Procedure]:
    """The catalog for list pages and the list API: the columns a row shows."""
    return procedure_catalog().defer(*LIST_DEFERRED)


def procedure_search(queryset: QuerySet[Procedure], query: str) -> QuerySet[Procedure]:
    """Keep rows holding every word of `query` (case and diacritics ignored), best match first.

    Ranking runs in the database so that pagination stays correct: the whole phrase at
    the start of the name, then the phrase anywhere, then all words somewhere; ties go
    to the shorter name, then the code.
    """
    words = fold(query).split()
    if not words:
        return queryset
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    phrase = " ".join(words)
    rank = Case(
        When(
            Q(search_text__startswith=phrase) | Q(search_text__startswith=FILLER_PREFIX + phrase),
            then=Value(RANK_START),
        ),
        When(search_text__contains=phrase, then=Value(RANK_PHRASE)),
        default=Value(RANK_WORDS),
        output_field=IntegerField(),
    )
    return queryset.annotate(search_rank=rank, name_length=Length("name")).order_by(
        "search_rank", "name_length", "code"
    )


def procedure_filter(
    queryset: QuerySet[Procedure],
    *,
    search: str = "",
    online_level: int | None = None,
    agency: str = "",
    field: str = "",
    gov_level: str = "",
) -> QuerySet[Procedure]:
    if online_level:
        queryset = queryset.filter(online_level=online_level)
    if agency:
        queryset = queryset.filter(agencies__code=agency)
    if field:
        queryset = queryset.filter(field__code=field)
    if gov_level:
        queryset = queryset.filter(gov_level=gov_level)
    return procedure_search(queryset, search) if search else queryset


def procedure_list(**filters) -> QuerySet[Procedure]:
    return procedure_filter(procedure_catalog(), **filters)


def procedure_get(*, code: str) -> Procedure:
    documents = Prefetch("required_documents", queryset=RequiredDocument.objects.order_by("position", "id"))
    procedure = procedure_catalog().prefetch_related(documents, "form_templates").filter(code=code).first()
    if procedure is None:
        raise NotFoundError(_("Không tìm thấy thủ tục %(code)s.") % {"code": code})
    return procedure


def form_template_get(*, code: str, template_id: int) -> FormTemplate:
    """A downloadable form of an active procedure, or 404."""
    template = FormTemplate.objects.filter(pk=template_id, procedure__code=code, procedure__is_active=True).first()
    if template is None:
        raise NotFoundError(_("Không tìm thấy biểu mẫu."))
    return template


def agency_list(*, gov_level: str = "") -> QuerySet[Agency]:
    queryset = Agency.objects.filter(is_active=True).select_related("parent").order_by("code")
    if gov_level:
        queryset = queryset.filter(gov_level=gov_level)
    return queryset


def field_list() -> QuerySet[Field]:
    return Field.objects.order_by("name")


def procedures_of_agency(*, agency: Agency) -> QuerySet[Procedure]:
    """Active procedures an agency handles, by name (the counter-intake picker)."""
    return Procedure.objects.filter(agencies=agency, is_active=True).order_by("name")
