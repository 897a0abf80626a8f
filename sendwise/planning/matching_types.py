"""The matcher's inputs and outputs: plain frozen dataclasses, so the matcher stays pure and
candidates can be cached. Pure: no Django. See ``matching`` for how they are scored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sendwise.planning import matching_weights as w

ERR_SEVERITY = "Skill severity must be 1 (mild), 2 (moderate) or 3 (severe): {skill}."
ERR_HISTORY = "History must say no_response, responded or ongoing: {slug}."
ERR_YEARS = "The youngest year must not be after the oldest: {slug}."
ERR_LOCAL = "Responders must be between 0 and the number of similar pupils."
ERR_SCOPE = "Local evidence scope must be school or trust."
ERR_GROUP = "A group needs at least one place and cannot have fewer than 0 pupils taken."


@dataclass(frozen=True)
class PupilNeeds:
    """What the school has recorded about one pupil's needs."""

    nc_year: int
    primary_need: str
    secondary_need: str
    areas: frozenset[str]
    skills: Mapping[str, int]  # skill slug -> severity: 1 mild, 2 moderate, 3 severe
    eal: bool = False
    #: What the pupil has had: intervention slug -> no_response | responded | ongoing.
    history: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LocalEvidence:
    """What has worked for similar pupils in this school (or, aggregated, across the trust)."""

    similar_pupils: int
    responded: int
    scope: str = w.SCHOOL

    def __post_init__(self):
        if not 0 <= self.responded <= self.similar_pupils:
            raise ValueError(ERR_LOCAL)
        if self.scope not in w.WHERE:
            raise ValueError(ERR_SCOPE)


@dataclass(frozen=True)
class StaffOption:
    """A member of staff who could deliver it: trained or not, and their free slots."""

    name: str
    trained: bool
    free_slots: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupOption:
    """A group already running the intervention in this school, and how full it is."""

    name: str
    when: str  # "Tuesday and Thursday 09:10"
    taken: int
    places: int
    #: The group's id, so a page can say, per pupil, whether joining breaks a school rule.
    key: int | None = field(default=None, compare=False)
    #: Why joining this group would break the school's rule on missed lessons for this pupil
    #: ("Maths 6 times a half-term, more than the school's limit of 2"); "" when it would not.
    breaks_rule: str = ""

    def __post_init__(self):
        if not self.taken >= 0 or self.places < 1:
            raise ValueError(ERR_GROUP)

    @property
    def has_place(self) -> bool:
        return self.taken < self.places


@dataclass(frozen=True)
class Candidate:
    """One catalogue entry as the matcher sees it (fields of ``evidence.Intervention``)."""

    slug: str
    name: str
    kind: str
    need_codes: frozenset[str]
    areas: frozenset[str]
    skills: frozenset[str]
    year_min: int
    year_max: int
    strength: str
    pooled_estimate: float | None = None
    pooled_ci_low: float | None = None
    pooled_ci_high: float | None = None
    pooled_k: int = 0
    pooled_n: int | None = None
    eef_months: int | None = None
    cost_note: str = ""
    delivered_by: str = ""
    local: LocalEvidence | None = None
    staff: tuple[StaffOption, ...] = ()
    #: Results across the trust, used only when the school's own are too few.
    trust: LocalEvidence | None = None
    #: False while the school has not recorded staff training and timetables at all: then
    #: "nobody is trained" would be a guess, so the matcher says it does not know instead.
    staff_known: bool = True
    #: Groups running it here now; a free place means no new timetable is needed.
    groups: tuple[GroupOption, ...] = ()
    #: The school's own cost of one pupil's place, and what is left of this year's budget.
    cost_per_pupil: float | None = None
    budget_left: float | None = None


@dataclass(frozen=True)
class Factor:
    """One reason, in words, and the points it adds to the score (negative: takes away)."""

    key: str
    points: float
    text: str


@dataclass(frozen=True)
class Recommendation:
    """A candidate for one pupil: its score, the reasons, and what would make it fit less."""

    candidate: Candidate
    score: float
    factors: tuple[Factor, ...]
    cautions: tuple[str, ...]  # if not eligible, the first one says why
    eligible: bool
    outside_age: bool
