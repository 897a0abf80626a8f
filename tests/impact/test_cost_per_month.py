"""The impact page's cost per month of progress: the provision map's cost per pupil divided by
the months of progress and by each end of their interval (maths.stats_cost's worked example:
£240 a pupil, 4 months, interval 2 to 6 -> £60 a month, interval £40 to £120)."""

from dataclasses import dataclass
from decimal import Decimal

from sendwise.core.access import actor_for
from sendwise.delivery import provision_selectors
from sendwise.impact import cost_selectors
from sendwise.maths.stats_cost import CostPerPupil


@dataclass(frozen=True)
class Estimate:
    n: int
    mean: float
    ci_low: float
    ci_high: float


def cost_of(world, monkeypatch, *, per_pupil, estimate, year=2026, term=None):
    seen = {}

    def fake(*, actor, period):
        seen["period"] = period
        return {7: per_pupil} if per_pupil is not None else {}

    monkeypatch.setattr(provision_selectors, "cost_per_pupil", fake)
    cost = cost_selectors.intervention_cost(
        actor=actor_for(world.users["senco"]),
        intervention_id=7,
        year=year,
        term=term,
        estimate=estimate,
    )
    return cost, seen.get("period")


def test_the_worked_example(world, monkeypatch):
    # 0.30 SD is 4 months on the EEF scale, 0.10 is 2 and 0.45 is 6.
    cost, period = cost_of(
        world,
        monkeypatch,
        per_pupil=CostPerPupil(total=Decimal("2400"), pupils=10),
        estimate=Estimate(n=10, mean=0.30, ci_low=0.10, ci_high=0.45),
    )
    assert period.label == "2026/27"
    assert cost.per_pupil.per_pupil == Decimal("240.00")
    month = cost.per_month
    assert (month.per_month, month.low, month.high, month.n) == (
        Decimal("60.00"),
        Decimal("40.00"),
        Decimal("120.00"),
        10,
    )
    assert "95% interval £40.00 to £120.00; 10 pupils" in month.sentence()


def test_a_term_counts_the_terms_costs(world, monkeypatch):
    _cost, period = cost_of(
        world,
        monkeypatch,
        per_pupil=CostPerPupil(total=Decimal("100"), pupils=2),
        estimate=None,
        term="spring",
    )
    assert period.label.startswith("Spring")


def test_no_figure_without_a_year_a_cost_or_an_interval_above_zero(world, monkeypatch):
    estimate = Estimate(n=8, mean=0.2, ci_low=-0.1, ci_high=0.5)
    per_pupil = CostPerPupil(total=Decimal("800"), pupils=8)
    no_year, _ = cost_of(world, monkeypatch, per_pupil=per_pupil, estimate=estimate, year=None)
    assert no_year.per_month is None and no_year.note == cost_selectors.CHOOSE_A_YEAR
    no_cost, _ = cost_of(world, monkeypatch, per_pupil=None, estimate=estimate)
    assert no_cost.per_pupil is None and no_cost.note == cost_selectors.NO_COST
    crosses_zero, _ = cost_of(world, monkeypatch, per_pupil=per_pupil, estimate=estimate)
    assert crosses_zero.per_pupil.per_pupil == Decimal("100.00")
    assert not crosses_zero.per_month.defined
    assert "could cost any amount" in crosses_zero.per_month.sentence()
