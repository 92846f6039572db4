"""Appointment dates (ngày hẹn trả) in working days, via the catalog's working-day calendar."""

from datetime import datetime

from procedures.calendar import add_working_days, working_days_between


def appointment_date(*, received_at: datetime, processing_days: int) -> datetime:
    return add_working_days(received_at, processing_days)


def appointment_after_pause(*, due_at: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
    """Push the appointment back by the working days the applicant took to supplement.

    The clock stops on the day of the request; every working day after it, up to and
    including the day the supplement arrives, is given back.
    """
    paused_days = working_days_between(paused_at, resumed_at)
    return add_working_days(due_at, paused_days) if paused_days else due_at
