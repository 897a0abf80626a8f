"""What an intervention's progress cost the school: its cost per pupil in a school year or term
(from the provision map, ``delivery.provision_selectors``) divided by the months of progress
the school's own pupils made on it (``maths.stats_cost.cost_per_month``: the cost-effectiveness
ratio, with its interval from the months' interval).

Costs are counted over a period (the provision map's year or term), so the figure is given only
when the page is filtered to a school year; across every year the pupils and the spending
would not be the same set.
"""

from __future__ import annotations

from dataclasses import dataclass

from sendwise.core.access import Actor
from sendwise.delivery import provision, provision_selectors
from sendwise.maths import stats_cost
from sendwise.maths.stats_scores import eef_months

CHOOSE_A_YEAR = (
    "Choose a school year above to see the cost per pupil and per month of progress: costs are "
    "counted by year or term."
)
NO_COST = (
    "No cost is worked out for this period: the school has not recorded an hourly cost for "
    "every deliverer's pay band, or no pupil received sessions (Costs settings)."
)
NO_MONTHS = "Not worked out: there are no months of progress with an interval to divide by."


@dataclass(frozen=True)
class InterventionCost:
    period: str
    per_pupil: stats_cost.CostPerPupil | None
    per_month: stats_cost.CostPerMonth | None
    note: str = ""


def intervention_cost(
    *, actor: Actor, intervention_id: int, year: int | None, term: str | None, estimate
) -> InterventionCost:
    """The cost per pupil and per month of progress of one intervention, for the page's period;
    ``estimate`` is the school's mean standardised gain with its interval and n (or None)."""
    if year is None:
        return InterventionCost("", None, None, CHOOSE_A_YEAR)
    period = provision.term(year, term) if term else provision.school_year(year)
    per_pupil = provision_selectors.cost_per_pupil(actor=actor, period=period).get(intervention_id)
    if per_pupil is None or per_pupil.per_pupil is None:
        return InterventionCost(period.label, None, None, NO_COST)
    if estimate is None:
        return InterventionCost(period.label, per_pupil, None, NO_MONTHS)
    per_month = stats_cost.cost_per_month(
        per_pupil=per_pupil.per_pupil,
        months=eef_months(estimate.mean),
        low=eef_months(estimate.ci_low),
        high=eef_months(estimate.ci_high),
        n=estimate.n,
    )
    return InterventionCost(period.label, per_pupil, per_month)
