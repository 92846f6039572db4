"""A person's notice preferences: by which channels the notices that matter reach them, and in which language."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.accounts.constants import NOTICE_LANGUAGES, NoticeChannels
from portal.accounts.models import User
from portal.errors import ServiceError

ERR_CHANNELS = gettext_noop("Hãy chọn một cách nhận thông báo.")
ERR_LANGUAGE = gettext_noop("Hãy chọn một ngôn ngữ.")
ERR_NO_EMAIL = gettext_noop(
    "Tài khoản chưa có địa chỉ thư điện tử: hãy thêm địa chỉ trước khi chọn nhận qua thư điện tử."
)


@transaction.atomic
def user_set_notice_preferences(*, user: User, channels: str, language: str) -> User:
    if channels not in NoticeChannels.values:
        raise ServiceError(_(ERR_CHANNELS), field="notice_channels")
    if language not in dict(NOTICE_LANGUAGES):
        raise ServiceError(_(ERR_LANGUAGE), field="notice_language")
    user = User.objects.select_for_update().get(pk=user.pk)
    if channels != NoticeChannels.SMS and not user.email:
        raise ServiceError(_(ERR_NO_EMAIL), field="notice_channels")
    user.notice_channels, user.notice_language = channels, language
    user.save(update_fields=["notice_channels", "notice_language"])
    return user
