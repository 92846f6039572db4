"""The rows a contract run needs: a citizen with dossiers in several states, an official of their
agency, a stranger's dossier, a payment, attachments and a result file, so that generated requests
reach real objects (and 200s), not only 404s."""

from dataclasses import dataclass, field

from knox.models import AuthToken

from portal.accounts.constants import Role
from portal.accounts.models import StaffRole
from procedures.constants import GovLevel
from tests import factories
from tests.dossiers.builders import Staff, make_dossier
from tests.payments.helpers import level4_procedure, pay_on_gateway, start

FACTORY_PASSWORD = "Matkhau@2026"  # tests.factories.CitizenFactory's
ANONYMOUS, CITIZEN, OFFICIAL = "anonymous", "citizen", "official"
CALLERS = (ANONYMOUS, CITIZEN, OFFICIAL)


@dataclass
class ContractWorld:
    tokens: dict[str, str] = field(default_factory=dict)
    dossier_ids: list[int] = field(default_factory=list)
    attachment_ids: list[int] = field(default_factory=list)
    payment_ids: list[str] = field(default_factory=list)
    procedure_codes: list[str] = field(default_factory=list)
    lookup_pairs: list[tuple[str, str]] = field(default_factory=list)
    real_bodies_by_operation: dict[tuple[str, str], list[dict]] = field(default_factory=dict)

    def real_path_parameters(self) -> dict[str, list]:
        return {
            "dossier_id": self.dossier_ids,
            "attachment_id": self.attachment_ids,
            "payment_id": self.payment_ids,
            "code": self.procedure_codes,
        }

    def real_bodies(self, method: str, path: str) -> list[dict]:
        return self.real_bodies_by_operation.get((method, path), [])

    def headers_for(self, caller: str) -> dict[str, str]:
        token = self.tokens.get(caller)
        return {"Authorization": f"Token {token}"} if token else {}


def _token(user) -> str:
    _instance, key = AuthToken.objects.create(user)
    return key


def build_world() -> ContractWorld:
    province = factories.AgencyFactory(gov_level=GovLevel.PROVINCE)
    commune = factories.AgencyFactory(parent=province)
    procedure = factories.ProcedureFactory(agencies=[commune])
    staff = Staff(commune)
    official = staff.receiver
    # One caller who may take every counter step at the agency, so actions get past the role check.
    for role in (Role.PROCESSOR, Role.APPROVER):
        StaffRole.objects.create(user=official, role=role, agency=commune)
    citizen = factories.CitizenFactory()
    dossiers = [
        make_dossier(status, procedure=procedure, applicant=citizen, staff=staff)
        for status in ("draft", "submitted", "processing", "supplement_requested", "completed", "rejected")
    ]
    stranger_dossier = make_dossier("submitted")
    fee_procedure = level4_procedure()
    awaiting = make_dossier("submitted", procedure=fee_procedure, applicant=citizen)
    payment = start(awaiting)
    paid = start(make_dossier("submitted", procedure=fee_procedure, applicant=citizen))
    pay_on_gateway(paid)

    world = ContractWorld()
    world.tokens = {CITIZEN: _token(citizen), OFFICIAL: _token(official)}
    world.dossier_ids = [d.pk for d in [*dossiers, awaiting, paid.dossier, stranger_dossier]]
    world.attachment_ids = [a.pk for d in dossiers for a in d.attachments.all()]
    world.payment_ids = [str(payment.public_id), str(paid.public_id)]
    world.procedure_codes = [procedure.code, fee_procedure.code]
    world.lookup_pairs = [(d.code, citizen.national_id[-4:]) for d in dossiers if d.code]
    draft = {
        "procedure": procedure.code,
        "agency": commune.code,
        "form_data": {"ly_do": "Bổ sung hồ sơ xin việc"},
        "delivery_method": "counter",
    }
    applicant = {
        "channel": "counter",
        "applicant_full_name": "Trần Thị Nộp",
        "applicant_national_id": factories.CitizenFactory.build().national_id,
        "applicant_phone": factories.CitizenFactory.build().phone,
    }
    world.real_bodies_by_operation = {
        ("POST", "/api/v1/auth/login/"): [
            {"username": user.phone, "password": FACTORY_PASSWORD} for user in (citizen, official)
        ],
        ("POST", "/api/v1/dossiers/"): [draft],
        ("POST", "/api/v1/counter/dossiers/"): [{**draft, **applicant}],
    }
    return world
