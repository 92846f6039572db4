"""Factories that build valid rows; officials get their role through the same model the services use."""

import factory
from django.utils import timezone

from portal.accounts.constants import AccountKind, Role
from portal.accounts.models import StaffRole, User
from procedures.constants import GovLevel, OnlineLevel
from procedures.models import Agency, Field, Procedure, RequiredDocument

VALID_PREFIXES = ["090", "091", "093", "096", "097", "098", "086", "088", "032", "035", "070", "077", "081", "085"]


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 1000:03d}.{n // 1000 % 100:02d}.90.H26")
    name = factory.Sequence(lambda n: f"UBND xã Thử nghiệm {n}")
    gov_level = GovLevel.COMMUNE


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    field = factory.SubFactory(FieldFactory)
    gov_level = GovLevel.COMMUNE
    online_level = OnlineLevel.LEVEL_3
    processing_days = 3
    fee = 0
    charge = 0
    delivery_methods = factory.LazyFunction(lambda: ["counter", "online", "postal"])
    form_schema = factory.LazyFunction(
        lambda: {
            "type": "object",
            "properties": {"ly_do": {"type": "string", "title": "Lý do", "maxLength": 500}},
            "required": ["ly_do"],
        }
    )

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.agencies.set(extracted)

    @factory.post_generation
    def documents(self, create, extracted, **kwargs):
        if not create:
            return
        for position, (key, name, mandatory) in enumerate(
            extracted or [("to-khai", "Tờ khai", True), ("giay-to-khac", "Giấy tờ khác", False)]
        ):
            RequiredDocument.objects.create(procedure=self, key=key, name=name, mandatory=mandatory, position=position)


def _phone(n: int) -> str:
    return f"{VALID_PREFIXES[n % len(VALID_PREFIXES)]}{n:07d}"


class CitizenFactory(factory.django.DjangoModelFactory):
    """A citizen whose phone is already verified."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    kind = AccountKind.CITIZEN
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    phone = factory.Sequence(_phone)
    national_id = factory.Sequence(lambda n: f"0300{90 + n % 10:02d}{n:06d}")
    phone_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "Matkhau@2026")

    @factory.post_generation
    def persist_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class OfficialFactory(CitizenFactory):
    """An official; pass role= and agency= to give the role."""

    kind = AccountKind.OFFICIAL
    full_name = factory.Sequence(lambda n: f"Cán bộ Thử {n}")


def make_official(*, role: str = Role.RECEIVER, agency=None):
    """An official holding `role` at `agency` (a new agency when omitted for counter roles)."""
    user = OfficialFactory()
    if role in {Role.TRAINER, Role.ADMIN}:
        StaffRole.objects.create(user=user, role=role)
    else:
        StaffRole.objects.create(user=user, role=role, agency=agency or AgencyFactory())
    return user
