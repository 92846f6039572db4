from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0002_discountpolicy"),
    ]

    operations = [
        migrations.AlterModelTable(name="discountpolicy", table=None),
    ]
