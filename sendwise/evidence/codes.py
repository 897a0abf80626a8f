"""Code lists of the evidence catalogue.

The values are the ones the seed files use (sendwise/evidence/seed/README.md), so a seed row is
stored as written. `Strength` values are the labels `pooling.evidence_strength` returns.
"""

from django.db import models

from sendwise.evidence import pooling


class Kind(models.TextChoices):
    TARGETED = "targeted_intervention", "Targeted intervention"
    STRATEGY = "classroom_strategy", "Classroom strategy"


class Format(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One to one"
    SMALL_GROUP = "small_group", "Small group"
    WHOLE_CLASS = "whole_class", "Whole class"


class DeliveredBy(models.TextChoices):
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
    TEACHER = "teacher", "Teacher"
    SPECIALIST = "specialist", "Specialist"
    PARENT = "parent", "Parent or carer"
    COMPUTER = "computer", "Computer program"


class Strength(models.TextChoices):
    """How much published evidence stands behind an entry (derived; see pooling.py)."""

    POOLED = pooling.STRENGTH_POOLED, "Pooled from 2 or more trials"
    SINGLE = pooling.STRENGTH_SINGLE, "One trial"
    STUDIES = pooling.STRENGTH_STUDIES, "Studied, no poolable result"
    TOOLKIT = pooling.STRENGTH_TOOLKIT, "EEF Toolkit strand only"
    PRACTICE = pooling.STRENGTH_PRACTICE, "Practice-based (this school)"
    NONE = pooling.STRENGTH_NONE, "No evaluation"


class MeasureKind(models.TextChoices):
    STANDARDISED = "standardised", "Standardised score"
    AGE_EQUIVALENT = "age_equivalent", "Age equivalent"
    CURRICULUM_PROBE = "curriculum_probe", "Curriculum-based probe"
    RATING_SCALE = "rating_scale", "Rating scale"


class Theme(models.TextChoices):
    """The themes of the key research messages page, in the order the page shows them."""

    TEACHING = "needs_and_teaching", "Understanding needs and teaching well"
    LITERACY = "literacy", "Literacy"
    NUMBER = "number", "Number"
    LANGUAGE = "communication_language", "Communication and language"
    SOCIAL_EMOTIONAL = "social_emotional", "Social and emotional"
    REGULATION = "regulation_behaviour", "Regulation and behaviour"
    SENSORY = "sensory_physical", "Sensory and physical"
    PARENTS = "working_with_parents", "Working with parents"
    TEACHING_ASSISTANTS = "teaching_assistants", "Deploying teaching assistants"


_THEME_BY_SKILL = (
    (Theme.NUMBER, {"number_sense", "arithmetic_fluency"}),
    (
        Theme.LITERACY,
        {
            "phonological_awareness",
            "phonics",
            "decoding",
            "reading_fluency",
            "reading_comprehension",
            "spelling",
            "writing_composition",
        },
    ),
    (
        Theme.LANGUAGE,
        {"vocabulary", "expressive_language", "receptive_language", "listening", "narrative"},
    ),
    (Theme.REGULATION, {"behaviour", "self_regulation", "attention"}),
    (Theme.SOCIAL_EMOTIONAL, {"emotional_regulation", "anxiety", "self_esteem"}),
    (Theme.SENSORY, {"handwriting", "fine_motor", "gross_motor", "sensory_processing"}),
)
_THEME_BY_AREA = {
    "communication_interaction": Theme.LANGUAGE,
    "semh": Theme.SOCIAL_EMOTIONAL,
    "sensory_physical": Theme.SENSORY,
}


def theme_for(*, areas: list[str], skills: list[str]) -> str:
    """The key-messages theme of an entry that names none: from its skills, else its areas.

    Used for a school's own entries and for seed entries without a ``theme``.
    """
    named = set(skills)
    for theme, theme_skills in _THEME_BY_SKILL:
        if named & theme_skills:
            return theme.value
    for area in areas:
        if area in _THEME_BY_AREA:
            return _THEME_BY_AREA[area].value
    return Theme.TEACHING.value


def skill_label(slug: str) -> str:
    """'reading_fluency' -> 'Reading fluency'."""
    return slug.replace("_", " ").capitalize()
