"""ImpactAggregate counted placements under the name "pupils" (a pupil placed twice counted
twice): the field is now called what it counts, and each row also keeps how many different
pupils it covers (all, and scored), which the trust and authority views use as a floor under
the pupils of a summed cell before showing it. Existing rows get 0 until manage.py
impact_rebuild (nightly) works them out: 0 proves nothing, so their cells stay suppressed
for an adviser until then (the safe side)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("impact", "0004_response_aggregates")]

    operations = [
        migrations.RenameField(
            model_name="impactaggregate", old_name="pupils", new_name="placements"
        ),
        migrations.AddField(
            model_name="impactaggregate",
            name="distinct_pupils",
            field=models.PositiveIntegerField(
                default=0, help_text="Different pupils among this row's placements"
            ),
        ),
        migrations.AddField(
            model_name="impactaggregate",
            name="distinct_scored",
            field=models.PositiveIntegerField(
                default=0, help_text="Different pupils among this row's scored placements"
            ),
        ),
        migrations.AlterField(
            model_name="impactaggregate",
            name="scored",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Placements with a pre, a post and a gain worked out (in gain_sum)",
            ),
        ),
        migrations.AlterField(
            model_name="impactaggregate",
            name="dose_n",
            field=models.PositiveIntegerField(
                default=0, help_text="Placements with a planned dose"
            ),
        ),
    ]
