"""Aggregate rows for tests of the trust and authority views: sums made from a list of gains,
as the results upkeep would make them."""

from sendwise.impact.models import ImpactAggregate


def aggregate(
    *,
    school,
    intervention,
    measure=None,
    gains=(),
    unscored=0,
    year=2025,
    term="autumn",
    completed=None,
    gain_kind="standardised",
    dose_shares=None,
    distinct_pupils=None,
) -> ImpactAggregate:
    """One cell: ``gains`` (signed, + is better) of the pupils with a pre and a post score, and
    ``unscored`` pupils more without one; everyone completed unless said otherwise. Each
    placement is a different pupil unless ``distinct_pupils`` says fewer."""
    pupils = len(gains) + unscored
    shares = list(dose_shares) if dose_shares is not None else [1.0] * pupils
    return ImpactAggregate.objects.create(
        school=school,
        intervention=intervention,
        measure=measure,
        academic_year=year,
        term=term,
        gain_kind=gain_kind if measure is not None else "",
        placements=pupils,
        distinct_pupils=pupils if distinct_pupils is None else distinct_pupils,
        distinct_scored=len(gains) if distinct_pupils is None else min(distinct_pupils, len(gains)),
        completed=pupils if completed is None else completed,
        scored=len(gains),
        gain_sum=sum(gains),
        gain_sq_sum=sum(g * g for g in gains),
        dose_n=len(shares),
        dose_share_sum=sum(shares),
        full_dose=sum(s >= 0.8 for s in shares),
    )
