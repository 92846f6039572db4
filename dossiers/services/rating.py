from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.constants import DossierStatus
from dossiers.models import Rating
from dossiers.services.drafts import dossier_for_applicant
from portal.errors import ConflictError, ServiceError, check_max_length

ERR_NOT_COMPLETED = gettext_noop("Chỉ đánh giá được hồ sơ đã hoàn thành.")
ERR_ALREADY_RATED = gettext_noop("Hồ sơ này đã được đánh giá.")
ERR_SCORE = gettext_noop("Điểm đánh giá từ 1 đến 5.")


@transaction.atomic
def dossier_rate(*, dossier_id: int, user, score: int, comment: str = "") -> Rating:
    dossier = dossier_for_applicant(dossier_id=dossier_id, user=user, lock=True)
    if dossier.status != DossierStatus.COMPLETED:
        raise ConflictError(_(ERR_NOT_COMPLETED), code="wrong_status")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ServiceError(_(ERR_SCORE), field="score")
    comment = check_max_length(comment.strip(), field="comment")
    try:
        with transaction.atomic():
            return Rating.objects.create(dossier=dossier, score=score, comment=comment)
    except IntegrityError as exc:
        raise ConflictError(_(ERR_ALREADY_RATED), code="already_rated") from exc
