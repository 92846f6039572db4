# The fee discounts moved to the catalog (procedures.DiscountPolicy): dossiers read them at submission,
# and dossiers may not import payments. The table stays; procedures takes it over (procedures 0002, 0003).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DiscountPolicy")],
            database_operations=[],
        ),
    ]
