"""The weights and the words that ``matching.py`` ranks recommendations with. Pure: no Django.

Every number that decides how a recommendation is scored lives in :class:`Weights`, in this one
file, with the reason for its size. A recommendation's score is the plain sum of the points of
its factors, so a SENCO can read off why one option sits above another ("+30 for the primary
need, +20 for two matched skills, +14 for the evidence ...").

The relative sizes follow one idea: fit to the pupil's need comes first, then the strength of
the evidence, then what this school has seen, then whether it can be delivered next week. An
intervention made for the wrong need is no help however good its trials were (EEF, "Special
Educational Needs in Mainstream Schools" guidance report, 2020, recommendation 4: targeted
support should match an accurate assessment of the pupil's needs).
"""

from __future__ import annotations

from dataclasses import dataclass

from sendwise.evidence import pooling
from sendwise.maths import stats


@dataclass(frozen=True)
class Weights:
    """Points each factor adds to (or takes from) a recommendation's score.

    Need and skills (together at most 72 points: the largest part, because fit to the need is
    what makes support useful at all):

    * ``primary_need`` 30: made for the pupil's primary census type of need. A census code is
      the most specific thing the school records about a pupil's need.
    * ``secondary_need`` 12: made for the secondary need as well (or instead); it matters less
      because the primary need is the one the school judged most pressing.
    * ``broad_area`` 10: neither census code matches but the intervention works in one of the
      pupil's broad areas of need (Code of Practice 6.28). Given only when no code matches,
      since each code already implies its area; less than a code because an area is broad.
    * ``skill_per_severity`` 5 and ``skill_cap`` 30: each matched skill adds 5 points times
      its severity (mild 1, moderate 2, severe 3), up to 30 in all, so a programme for the
      pupil's severe difficulty outranks one for a mild one, and a catch-all entry that lists
      every skill cannot win on the length of its list.

    Age (never a way to win, mostly a way to lose):

    * ``inside_age`` 5: the pupil's year is inside the range the programme was evaluated for.
    * ``outside_age_by_one`` -15: one year outside the range. Still offered (with a caution,
      and the plan must record a reason) because year boundaries in the trials are rough;
      more than ``max_years_outside`` years outside is never offered at all.

    Evidence (at most 26 points; the published research, EEF months via ``stats.eef_months``):

    * ``strength_*``: what kind of evidence there is, in the order of
      ``pooling.evidence_strength``: several trials pooled 10, one trial 6, studies without a
      poolable result 3, an EEF Toolkit strand only 2, practice-based 1, none 0.
    * ``per_month`` 1.0: each month of additional progress of the programme's own pooled or
      single-trial estimate (capped by the EEF table at 12; negative months count against).
    * ``per_toolkit_month`` 0.4: each month of the EEF Toolkit strand, used only when the
      programme has no estimate of its own; less than a programme's own month because a
      strand averages many different programmes.
    * ``no_effect_share`` 0.5: when the 95% interval's lower end is at or below zero, a
      positive estimate counts at half, because the trials cannot rule out no effect.
    * ``per_extra_trial`` 1.0 up to ``extra_trials_cap`` 4: each trial beyond the first,
      since a result repeated in more trials is more likely to hold in a new school.

    This school's own results (practice-based evidence):

    * ``local_max`` 15: the most a school's record can add (or take away). Less than the
      primary need and about half the evidence, because a school's groups are small and not
      randomised. The response rate is shrunk towards one half by ``local_prior_pupils`` 4
      imaginary pupils (2 responding, 2 not), so 3 of 3 counts for less than 30 of 30: a
      group of six moves the score only as much as six pupils should (DESIGN.md, Statistics).
    * ``local_min_pupils`` 3: fewer similar pupils than this count for nothing, the same
      small-number threshold the school's reports use before they show a figure.
    * ``trust_share`` 0.5: results from across the trust count at half, used only when the
      school has too few of its own; other schools' pupils and staff differ from this one's.

    Delivery and history:

    * ``delivery_ready`` 8: a group running it has a free place, or someone trained has
      free time on as many days as it needs sessions a week, so it can start next week.
    * ``delivery_trained_busy`` 3: someone is trained but the timetable is full.
    * ``over_budget`` -6: the school's own cost per pupil is more than is left of this
      year's intervention budget. Small: money can be moved, and a pupil's need comes first;
      but the SENCO should see it before choosing, not after (EEF, "Putting evidence to work:
      a school's guide to implementation", 2019: plan the resources before starting). A cost
      within the budget adds nothing: cheaper is not better for the pupil.
    * ``no_response`` -25: the pupil made no progress with it before. Large enough to drop
      it below a comparable alternative (about one need match), not so large that it vanishes:
      delivered differently, it may still be the right choice.
    * ``responded`` 5: the pupil made progress with it before.
    """

    primary_need: float = 30.0
    secondary_need: float = 12.0
    broad_area: float = 10.0
    skill_per_severity: float = 5.0
    skill_cap: float = 30.0
    inside_age: float = 5.0
    outside_age_by_one: float = -15.0
    max_years_outside: int = 1
    strength_pooled: float = 10.0
    strength_single: float = 6.0
    strength_studies: float = 3.0
    strength_toolkit: float = 2.0
    strength_practice: float = 1.0
    strength_none: float = 0.0
    per_month: float = 1.0
    per_toolkit_month: float = 0.4
    no_effect_share: float = 0.5
    per_extra_trial: float = 1.0
    extra_trials_cap: int = 4
    local_max: float = 15.0
    local_min_pupils: int = 3
    local_prior_pupils: float = 4.0
    trust_share: float = 0.5
    delivery_ready: float = 8.0
    delivery_trained_busy: float = 3.0
    over_budget: float = -6.0
    no_response: float = -25.0
    responded: float = 5.0

    def strength_points(self, strength: str) -> float:
        """Points for the kind of published evidence (an unknown label counts as none)."""
        return {
            pooling.STRENGTH_POOLED: self.strength_pooled,
            pooling.STRENGTH_SINGLE: self.strength_single,
            pooling.STRENGTH_STUDIES: self.strength_studies,
            pooling.STRENGTH_TOOLKIT: self.strength_toolkit,
            pooling.STRENGTH_PRACTICE: self.strength_practice,
            pooling.STRENGTH_NONE: self.strength_none,
        }.get(strength, self.strength_none)


WEIGHTS = Weights()

#: Strength labels (the values of ``evidence.codes.Strength``), strongest first.
STRENGTHS = (
    pooling.STRENGTH_POOLED,
    pooling.STRENGTH_SINGLE,
    pooling.STRENGTH_STUDIES,
    pooling.STRENGTH_TOOLKIT,
    pooling.STRENGTH_PRACTICE,
    pooling.STRENGTH_NONE,
)

TARGETED = "targeted_intervention"
STRATEGY = "classroom_strategy"
KINDS = (TARGETED, STRATEGY)

NO_RESPONSE = "no_response"
RESPONDED = "responded"
ONGOING = "ongoing"
HISTORY_VALUES = (NO_RESPONSE, RESPONDED, ONGOING)

SCHOOL = "school"
TRUST = "trust"

#: Deliverers for whom "nobody here is trained" is not a problem (the program or the family
#: delivers it; a member of staff only supervises).
NO_TRAINING_NEEDED = ("computer", "parent")

# A copy of ``core.codes.AREA_OF_NEED`` (that module imports Django): the broad area of need
# each census type of need belongs to. Source: SEND Code of Practice 0 to 25 (2015), 6.28-6.35;
# DfE School Census guide, type-of-need codes. OTH and NSA belong to no one area.
AREA_OF_NEED = {
    "SPLD": "cognition_learning",
    "MLD": "cognition_learning",
    "SLD": "cognition_learning",
    "PMLD": "cognition_learning",
    "SEMH": "semh",
    "SLCN": "communication_interaction",
    "ASD": "communication_interaction",
    "HI": "sensory_physical",
    "VI": "sensory_physical",
    "MSI": "sensory_physical",
    "PD": "sensory_physical",
}

# Census types of need and broad areas in words, for sentences (labels of core.codes).
NEED_WORDS = {
    "SPLD": "specific learning difficulty",
    "MLD": "moderate learning difficulty",
    "SLD": "severe learning difficulty",
    "PMLD": "profound and multiple learning difficulty",
    "SEMH": "social, emotional and mental health",
    "SLCN": "speech, language and communication",
    "HI": "hearing impairment",
    "VI": "visual impairment",
    "MSI": "multi-sensory impairment",
    "PD": "physical disability",
    "ASD": "autism",
    "OTH": "other difficulty or disability",
    "NSA": "SEN support without a specialist assessment",
}
AREA_WORDS = {
    "communication_interaction": "communication and interaction",
    "cognition_learning": "cognition and learning",
    "semh": "social, emotional and mental health",
    "sensory_physical": "sensory and physical needs",
}

#: Skills where English as an additional language can look like a special educational need.
LANGUAGE_SKILLS = frozenset(
    {
        "vocabulary",
        "expressive_language",
        "receptive_language",
        "listening",
        "narrative",
        "sentence_structure",
        "reading_comprehension",
        "inference",
    }
)

# --- Words ------------------------------------------------------------------------------------
# Factor and caution texts, lower case: ``explain`` joins them into one sentence.
TEXT_PRIMARY = "made for {need}, the primary need"
TEXT_SECONDARY = "made for {need}, the secondary need"
TEXT_BOTH = "made for {primary} and {secondary}, the primary and secondary needs"
TEXT_AREA = "works on {area}"
TEXT_SKILLS = "matches {skills}"
TEXT_AGE_INSIDE = "made for {range}, which includes {year}"
TEXT_AGE_OUTSIDE = "{year} is one year outside its evaluated range ({range})"
TEXT_TRIALS = "{months} ({label}) in {trials}{pupils}"
TEXT_INTERVAL = ", interval {low} to {high} months"
TEXT_INTERVAL_NO_EFFECT = ", but the interval includes no effect"
TEXT_TOOLKIT = "EEF Toolkit: {months} for this kind of approach, not this programme itself"
TEXT_STUDIES = "studied, but without a result that can be pooled"
TEXT_PRACTICE = "practice-based: built from school experience, not tested in a trial"
TEXT_NO_EVALUATION = "no published evaluation"
TEXT_LOCAL = "worked for {responded} of {pupils} similar pupils {where}"
TEXT_LOCAL_NONE = "not enough school data yet"
TEXT_READY = "{name} is trained and has {slot} free"
TEXT_GROUP_PLACE = "a place is free in {group} ({when}, {taken} of {places} places taken)"
TEXT_COST_HERE = "costs \u00a3{cost:,.0f} a pupil here"
TEXT_BUDGET_LEFT = "; \u00a3{left:,.0f} of this year's budget left"
TEXT_TRAINED_BUSY = "{name} is trained"
TEXT_NO_PROGRESS = (
    "made no progress with {name} before: try something different or change how it is delivered"
)
TEXT_PROGRESS = "made progress with {name} before"
TEXT_IN_PLACE = "{name} is already in place: review it rather than adding it again"
TEXT_COST = "cost: {cost}"
TEXT_NOT_RECOMMENDED = "Not recommended: {reason}."
#: Words for kinds of evidence without an estimate of their own (others: see matching.py).
STRENGTH_TEXT = {
    pooling.STRENGTH_STUDIES: TEXT_STUDIES,
    pooling.STRENGTH_PRACTICE: TEXT_PRACTICE,
}

CAUTION_OUTSIDE_AGE = "outside the evaluated age range: record a reason"
CAUTION_TOO_FAR = "made for {range}: {year} is too far outside that range"
CAUTION_NO_MATCH = "does not match any of the pupil's recorded needs or skills"
CAUTION_SINGLE = "one trial only: the result may not repeat in another school"
CAUTION_NEGATIVE = "pupils in the research made less progress than similar pupils without it"
CAUTION_NO_EVALUATION = "no published evaluation: watch progress closely"
CAUTION_LOCAL_LOW = "worked for fewer than half of similar pupils {where}"
CAUTION_TRAINED_BUSY = "{name} is trained but has no free slot: the timetable would need to change"
CAUTION_GROUPS_FULL = "every group running it is full: a new group or more places are needed"
CAUTION_GROUP_MISSES = (
    "{group} ({when}) has a place, but joining it would take the pupil out of {missed}"
)
CAUTION_OVER_BUDGET = (
    "costs \u00a3{cost:,.0f} a pupil, more than the \u00a3{left:,.0f} left in this year's budget"
)
CAUTION_NOBODY_TRAINED = "nobody here is trained to deliver it yet: training comes first"
CAUTION_NO_BENEFIT = "the published trials found no benefit on average (about 0 months)"
CAUTION_STAFF_UNKNOWN = (
    "who is trained and free to deliver it is not recorded in SENDwise yet: check before choosing"
)
CAUTION_EAL = (
    "the pupil is learning English as an additional language: check the difficulty is not only "
    "about learning English (SEND Code of Practice 6.24)"
)

WHERE = {SCHOOL: "here", TRUST: "in the trust's other schools"}


def year_label(year: int) -> str:
    """0 -> "Reception", 4 -> "Year 4" (as ``core.codes.nc_year_label``, which imports Django)."""
    return "Reception" if year == 0 else f"Year {year}"


def signed_months_of(effect_size: float) -> str:
    """An effect size as signed EEF months without the unit: "+4", "\u22121", "0"."""
    months = stats.eef_months(effect_size)
    return f"+{months}" if months > 0 else "\u2212" + str(-months) if months < 0 else "0"


def and_list(items: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
