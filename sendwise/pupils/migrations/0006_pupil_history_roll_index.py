# The index the past-year roll reads the pupils' history through (pupils.roll_selectors.roll_on;
# issue 12): each pupil's latest version of one school before a day.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pupils", "0005_pupil_current_provision_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="historicalpupil",
            index=models.Index(fields=["school", "id", "history_date"], name="pupil_history_roll"),
        ),
    ]
