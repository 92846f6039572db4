from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from portal.accounts.models import StaffRole, User
from portal.accounts.validators import looks_like_national_id, normalize_phone
from portal.notifications.models import OutboundMessage


def user_get_with_roles(*, user_id: int) -> User:
    roles = StaffRole.objects.select_related("agency").order_by("role", "agency__code")
    return User.objects.prefetch_related(Prefetch("staff_roles", queryset=roles)).get(pk=user_id)


def user_staff_roles(*, user: User) -> list[StaffRole]:
    """The roles of a user already at hand (the request's), with their agencies, in one query.

    Their names stay on the user object for the rest of the request (see access.user_role_names)."""
    roles = list(StaffRole.objects.filter(user=user).select_related("agency").order_by("role", "agency__code"))
    user._role_names = frozenset(staff_role.role for staff_role in roles)
    return roles


def user_roles(*, user: User) -> list[dict]:
    """[{role, role_label, agency, agency_name}] from prefetched roles when present."""
    return [
        {
            "role": staff_role.role,
            "role_label": staff_role.get_role_display(),
            "agency": staff_role.agency.code if staff_role.agency else None,
            "agency_name": staff_role.agency.name if staff_role.agency else None,
        }
        for staff_role in user.staff_roles.all()
    ]


def outbox_messages(*, recipient: str = "") -> QuerySet:
    """Newest first; a phone may be typed in any accepted spelling."""
    messages = OutboundMessage.objects.order_by("-created_at", "-id")
    recipient = recipient.strip()
    if recipient:
        if "@" in recipient:
            messages = messages.filter(recipient__iexact=recipient)
        else:
            try:
                messages = messages.filter(recipient=normalize_phone(recipient))
            except ValidationError:
                messages = messages.filter(recipient=recipient)
    return messages


def user_find_by_login(*, username: str) -> User | None:
    """The account a login name (phone in any spelling, or 12-digit CCCD) refers to, if any."""
    if looks_like_national_id(username):
        lookup = {"national_id": "".join(username.split())}
    else:
        try:
            lookup = {"phone": normalize_phone(username)}
        except ValidationError:
            return None
    return User.objects.filter(**lookup).first()


def account_delivery_initial(*, user: User) -> dict:
    """What a postal address form starts with: the person, their phone and the address kept on their profile."""
    address = user.postal_address or {}
    kept = {name: address.get(name, "") for name in ("province", "district", "commune", "street") if address.get(name)}
    return {"recipient_name": user.full_name, "recipient_phone": user.phone, **kept}
