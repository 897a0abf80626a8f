from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "sendwise.impact"
    label = "impact"
    verbose_name = "Impact: the school's own results"

    def ready(self) -> None:
        # Registers the impact permission rules with `rules`.
        from django.db.models.signals import post_save

        from sendwise.impact import (
            permissions,  # noqa: F401
            signals,
        )
        from sendwise.planning.models import Placement, Plan

        post_save.connect(signals.on_plan_saved, sender=Plan, dispatch_uid="impact_plan_saved")
        post_save.connect(
            signals.on_placement_saved, sender=Placement, dispatch_uid="impact_placement_saved"
        )
