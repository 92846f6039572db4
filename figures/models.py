from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from figures.constants import TargetMetric
from procedures.constants import IntakeChannel

# The figures one rollup row adds up; rollups.py says which timestamp puts each on its day.
METRICS = (
    "received",
    "received_with_fee",
    "received_digitised",
    "completed_early",
    "completed_due_day",
    "completed_late",
    "completed_in_time_multi_supplement",
    "completed_multi_supplement",
    "completed_with_e_result",
    "processing_working_days",
    "allowed_working_days",
    "supplement_requests",
    "rejected",
    "refused",
    "payments_online",
    "payments_online_amount",
    "refunds",
    "refunds_amount",
    "ratings",
    "rating_score_sum",
    "ratings_dissatisfied",
)


class DailyRollup(models.Model):
    """One agency's figures for one procedure and intake channel on one day (office time zone).

    Derived data: figures.rollups recomputes rows from the dossiers, never adds to them.
    """

    # Derived rows written in bulk: no database-level foreign keys or single-column indexes to maintain on
    # every insert (Django still cascades deletes); the key and (agency, day) indexes serve every read.
    day = models.DateField(_("ngày"))
    agency = models.ForeignKey(
        "procedures.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    channel = models.CharField(_("kênh nộp"), max_length=8, choices=IntakeChannel.choices)

    received = models.PositiveIntegerField(default=0)
    received_with_fee = models.PositiveIntegerField(default=0)
    received_digitised = models.PositiveIntegerField(default=0)
    completed_early = models.PositiveIntegerField(default=0)
    completed_due_day = models.PositiveIntegerField(default=0)
    completed_late = models.PositiveIntegerField(default=0)
    completed_in_time_multi_supplement = models.PositiveIntegerField(default=0)
    completed_multi_supplement = models.PositiveIntegerField(default=0)
    completed_with_e_result = models.PositiveIntegerField(default=0)
    processing_working_days = models.PositiveIntegerField(default=0)
    allowed_working_days = models.PositiveIntegerField(default=0)
    supplement_requests = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    payments_online = models.PositiveIntegerField(default=0)
    payments_online_amount = models.PositiveBigIntegerField(default=0)
    refunds = models.PositiveIntegerField(default=0)
    refunds_amount = models.PositiveBigIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    rating_score_sum = models.PositiveIntegerField(default=0)
    ratings_dissatisfied = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp theo ngày")
        verbose_name_plural = _("số liệu tổng hợp theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "procedure", "channel"], name="dailyrollup_unique_key"),
        ]
        indexes = [models.Index(fields=["agency", "day"], name="dailyrollup_agency_day")]

    def __str__(self):
        return f"{self.day} {self.agency_id} {self.procedure_id} {self.channel}"


class WorkingDayOrdinal(models.Model):
    """The procedures calendar laid out as a table, so that SQL can count working days.

    `ordinal` is the number of working days d with EPOCH < d <= day (negative before EPOCH): the working
    days between two dates are the difference of their ordinals, as procedures.calendar counts them.
    """

    day = models.DateField(primary_key=True)
    ordinal = models.IntegerField()

    def __str__(self):
        return f"{self.day}: {self.ordinal}"


class Target(models.Model):
    """A yearly target an agency is held to (e.g. at least 20% of dossiers received online)."""

    agency = models.ForeignKey(
        "procedures.Agency", on_delete=models.CASCADE, related_name="figure_targets", verbose_name=_("cơ quan")
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    metric = models.CharField(_("chỉ tiêu"), max_length=24, choices=TargetMetric.choices)
    percent = models.DecimalField(
        _("mức phải đạt (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Ví dụ 20 nghĩa là ít nhất 20%"),
    )

    class Meta:
        ordering = ["-year", "agency__code", "metric"]
        verbose_name = _("chỉ tiêu năm")
        verbose_name_plural = _("chỉ tiêu năm")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "metric"], name="target_unique_agency_year_metric"),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="target_percent_0_100"),
        ]

    def __str__(self):
        return f"{self.agency_id} {self.year} {self.get_metric_display()} ≥ {self.percent}%"
