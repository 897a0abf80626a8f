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


def skill_label(slug: str) -> str:
    """'reading_fluency' -> 'Reading fluency'."""
    return slug.replace("_", " ").capitalize()
