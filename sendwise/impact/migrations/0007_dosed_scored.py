"""The pupils who received less than 80% of their dose are those with sessions recorded less
those with the full dose, not every scored pupil less those with the full dose: a placement
with no session recorded has no dose to judge (issue 12; a tester found them counted as below
80%). ``ImpactAggregate.dosed_scored`` and its gain sums hold the scored placements with a dose
share.

Data fill: each aggregate row gets the new sums from its cell's results by the rule at this
migration (placed, scored, with a dose share; studies set aside as not representative left
out, as every pooled figure leaves them), so the figure is right at once rather than after the
nightly ``impact_rebuild``."""

from django.db import migrations, models
from django.db.models import Case, Count, F, IntegerField, Q, Sum, When

CELL = ("school_id", "intervention_id", "cell_measure", "academic_year", "term")


def fill(apps, schema_editor):
    PlacementResult = apps.get_model("impact", "PlacementResult")
    ImpactAggregate = apps.get_model("impact", "ImpactAggregate")
    GroupMember = apps.get_model("delivery", "GroupMember")
    set_aside = GroupMember.objects.filter(group__study_note__not_representative=True).values(
        "placement_id"
    )
    placed = Q(placed=True)
    dosed = placed & Q(gain__isnull=False) & Q(dose_share__isnull=False)
    sums = {
        tuple(r[k] for k in CELL): r
        for r in PlacementResult.objects.exclude(placement_id__in=set_aside)
        .filter(dosed)
        .annotate(
            cell_measure=Case(
                When(placed, then=F("measure_id")), default=None, output_field=IntegerField()
            )
        )
        .values(*CELL)
        .annotate(
            n=Count("id"),
            total=Sum("gain", default=0.0),
            squares=Sum(F("gain") * F("gain"), default=0.0),
        )
        .order_by()
    }
    if not sums:
        return
    changed = []
    for row in ImpactAggregate.objects.all().iterator(chunk_size=2000):
        found = sums.get(
            (row.school_id, row.intervention_id, row.measure_id, row.academic_year, row.term)
        )
        if found is not None:
            row.dosed_scored = found["n"]
            row.dosed_gain_sum = found["total"]
            row.dosed_gain_sq_sum = found["squares"]
            changed.append(row)
    ImpactAggregate.objects.bulk_update(
        changed, ["dosed_scored", "dosed_gain_sum", "dosed_gain_sq_sum"], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [("impact", "0006_waiting_apart")]

    operations = [
        migrations.AddField(
            model_name="impactaggregate",
            name="dosed_scored",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Scored placements with sessions recorded (a dose share): the "
                "full-dose figures' whole, so that the pupils below 80% are these less those "
                "with the full dose",
            ),
        ),
        migrations.AddField(
            model_name="impactaggregate",
            name="dosed_gain_sum",
            field=models.FloatField(default=0.0),
        ),
        migrations.AddField(
            model_name="impactaggregate",
            name="dosed_gain_sq_sum",
            field=models.FloatField(default=0.0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
