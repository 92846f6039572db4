from celery import shared_task

from portal.accounts.providers.mockvneid.housekeeping import sign_ins_clear


@shared_task
def clear_sign_ins() -> int:
    return sign_ins_clear()
