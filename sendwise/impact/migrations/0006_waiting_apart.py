"""Stored impact results tell a pupil placed in a group from one still waiting for a place
(issue 12): ``PlacementResult.placed``, and ``ImpactAggregate.waiting``, the waiting placements
that no other count of the aggregate includes any more.

Data fill: a result is placed when its placement has ever had a group membership (the rule of
``delivery.dose`` and ``impact.result_services``); then every school's aggregate rows are
worked out again from the results by the rule as it stands at this migration (a frozen copy of
``result_services._sums``), so the figures leave waiting pupils out at once rather than after
the nightly ``impact_rebuild``."""

from django.db import migrations, models
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, Sum, When

FULL_DOSE = 0.8  # impact.results.FULL_DOSE at this migration
IMPROVED = "improved"


def fill(apps, schema_editor):
    PlacementResult = apps.get_model("impact", "PlacementResult")
    ImpactAggregate = apps.get_model("impact", "ImpactAggregate")
    GroupMember = apps.get_model("delivery", "GroupMember")
    PlacementResult.objects.update(
        placed=Exists(GroupMember.objects.filter(placement_id=OuterRef("placement_id")))
    )
    if not PlacementResult.objects.filter(placed=False).exists():
        return  # nobody waiting: every aggregate row is right as it is
    set_aside = GroupMember.objects.filter(group__study_note__not_representative=True).values(
        "placement_id"
    )
    placed = Q(placed=True)
    full = placed & Q(dose_share__gte=FULL_DOSE)
    gained = placed & Q(gain__isnull=False)
    rows = (
        PlacementResult.objects.exclude(placement_id__in=set_aside)
        .annotate(
            cell_measure=Case(
                When(placed, then=F("measure_id")), default=None, output_field=IntegerField()
            )
        )
        .values("school_id", "intervention_id", "cell_measure", "academic_year", "term")
        .annotate(
            placements=Count("id", filter=placed),
            waiting=Count("id", filter=~placed),
            distinct_pupils=Count("pupil_id", filter=placed, distinct=True),
            distinct_scored=Count("pupil_id", filter=gained, distinct=True),
            completed_n=Count("id", filter=placed & Q(completed=True)),
            scored=Count("id", filter=gained),
            gain_sum=Sum("gain", filter=gained, default=0.0),
            gain_sq_sum=Sum(F("gain") * F("gain"), filter=gained, default=0.0),
            reliable_judged=Count("id", filter=placed & ~Q(reliable="")),
            reliable_improved=Count("id", filter=placed & Q(reliable=IMPROVED)),
            dose_n=Count("id", filter=placed & Q(dose_share__isnull=False)),
            dose_share_sum=Sum("dose_share", filter=placed, default=0.0),
            full_dose=Count("id", filter=full),
            full_dose_scored=Count("id", filter=full & gained),
            full_dose_gain_sum=Sum("gain", filter=full & gained, default=0.0),
            full_dose_gain_sq_sum=Sum(F("gain") * F("gain"), filter=full & gained, default=0.0),
            minutes_attended_sum=Sum("minutes_attended", filter=placed, default=0),
            kind=Max("gain_kind", filter=gained),
        )
        .order_by()
    )
    fresh = [
        ImpactAggregate(
            school_id=r["school_id"], intervention_id=r["intervention_id"],
            measure_id=r["cell_measure"], academic_year=r["academic_year"], term=r["term"],
            gain_kind=r["kind"] or "", placements=r["placements"], waiting=r["waiting"],
            distinct_pupils=r["distinct_pupils"], distinct_scored=r["distinct_scored"],
            completed=r["completed_n"], scored=r["scored"], gain_sum=r["gain_sum"],
            gain_sq_sum=r["gain_sq_sum"], reliable_judged=r["reliable_judged"],
            reliable_improved=r["reliable_improved"], dose_n=r["dose_n"],
            dose_share_sum=r["dose_share_sum"], full_dose=r["full_dose"],
            full_dose_scored=r["full_dose_scored"], full_dose_gain_sum=r["full_dose_gain_sum"],
            full_dose_gain_sq_sum=r["full_dose_gain_sq_sum"],
            minutes_attended_sum=r["minutes_attended_sum"],
        )
        for r in rows
    ]  # fmt: skip
    ImpactAggregate.objects.all().delete()
    ImpactAggregate.objects.bulk_create(fresh, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0005_aggregate_placements_and_distinct_pupils"),
        ("delivery", "0005_school_calendar"),
    ]

    operations = [
        migrations.AddField(
            model_name="impactaggregate",
            name="waiting",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Placements whose pupil has not yet been put in a group for it "
                "(counted in no other field)",
            ),
        ),
        migrations.AddField(
            model_name="placementresult",
            name="placed",
            field=models.BooleanField(
                default=True,
                help_text="The pupil was put in a group for this placement at some time. "
                "False: still waiting for a place, so they received nothing of it, and the "
                "result counts in no figure of the intervention, only in its number waiting",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
