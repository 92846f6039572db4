# Takes over payments' DiscountPolicy table as it is (state only), then gives it this app's name (0003).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0001_initial"),
        ("payments", "0002_discount_policy_moves_to_procedures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DiscountPolicy",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200, verbose_name="tên chính sách")),
                        ("percent", models.PositiveSmallIntegerField(verbose_name="mức giảm (%)")),
                        ("online_only", models.BooleanField(default=True, verbose_name="chỉ cho hồ sơ nộp trực tuyến")),
                        ("valid_from", models.DateField(verbose_name="áp dụng từ ngày")),
                        ("valid_to", models.DateField(blank=True, null=True, verbose_name="áp dụng đến ngày")),
                        ("is_active", models.BooleanField(default=True, verbose_name="đang áp dụng")),
                        (
                            "procedure",
                            models.ForeignKey(
                                blank=True,
                                help_text="Để trống: áp dụng cho mọi thủ tục",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="discount_policies",
                                to="procedures.procedure",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "chính sách giảm phí, lệ phí",
                        "verbose_name_plural": "chính sách giảm phí, lệ phí",
                        "ordering": ["-valid_from", "id"],
                        "db_table": "payments_discountpolicy",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("percent__gte", 1), ("percent__lte", 100)),
                                name="discount_percent_1_100",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("valid_to__isnull", True), ("valid_to__gte", models.F("valid_from")), _connector="OR"
                                ),
                                name="discount_valid_to_after_from",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
