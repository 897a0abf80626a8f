"""No kind of record about a pupil can be left out of a subject-access export or survive
retention: the models are walked, not listed by hand."""

from django.apps import apps
from django.db import models

from sendwise.pupils.models import Pupil
from sendwise.reports.sar_kinds import KINDS, NOT_EXPORTED

#: Shared records a pupil's rows point at, which are not about the pupil: the catalogue, the
#: measures, the groups and their sessions (the pupil's place in them is exported), classes.
SHARED = {
    "core",
    "evidence",
    "exchange",
    "tasks",
}


def models_about_a_pupil() -> set[type[models.Model]]:
    """Every model (history tables aside) with a foreign key to Pupil, or to a model that has
    one, followed until nothing new is found."""
    found = {Pupil}
    candidates = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("sendwise")
        and not m.__name__.startswith("Historical")
        and m._meta.app_label not in SHARED
    ]
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in found:
                continue
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if isinstance(f, models.ForeignKey)
            }
            if targets & found:
                found.add(model)
                grew = True
    return found


def test_every_model_that_reaches_a_pupil_is_a_kind_of_the_export():
    exported = {kind.model for kind in KINDS} | set(NOT_EXPORTED)
    missing = {m._meta.label for m in models_about_a_pupil() - exported}
    assert not missing, f"Add these to sendwise/reports/sar_kinds.py KINDS: {sorted(missing)}"


def test_the_walk_finds_records_reached_through_plans_placements_and_concerns():
    labels = {m._meta.label for m in models_about_a_pupil()}
    assert {
        "monitoring.Score",  # directly
        "planning.Outcome",  # through a plan
        "delivery.Attendance",  # through a placement
        "concerns.Observation",  # through a concern's request
        "monitoring.OutcomeReview",  # through a review
    } <= labels


def test_each_kind_reaches_the_pupil_by_its_lookup_and_comes_after_what_it_points_to():
    position = {kind.model: i for i, kind in enumerate(KINDS)}
    for kind in KINDS:
        if kind.to_pupil:
            path = kind.to_pupil.split("__")
            model = kind.model
            for hop in path:
                model = model._meta.get_field(hop).related_model
            assert model is Pupil, kind.slug
        for f in kind.model._meta.concrete_fields:
            target = f.related_model if isinstance(f, models.ForeignKey) else None
            if target in position and target is not kind.model:
                # Removal runs the list backwards: a record goes before what it points to.
                assert position[target] < position[kind.model], (kind.slug, f.name)
