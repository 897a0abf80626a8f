from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "sendwise.impact"
    label = "impact"
    verbose_name = "Impact: the school's own results"

    def ready(self) -> None:
        # Keep results in step with the rows they read (impact.signals says what changes what).
        from django.db.models.signals import post_save

        from sendwise.delivery.models import GroupMember
        from sendwise.delivery.signals import calendar_changed, session_recorded
        from sendwise.impact import permissions  # noqa: F401
        from sendwise.impact import signals as upkeep
        from sendwise.monitoring.models import Score
        from sendwise.monitoring.signals import scores_recorded
        from sendwise.planning.models import Outcome, Placement, Plan
        from sendwise.pupils.models import Pupil

        post_save.connect(upkeep.on_score_saved, sender=Score, dispatch_uid="impact.score")
        for model in (Outcome, Placement):
            post_save.connect(
                upkeep.on_plan_part_saved, sender=model, dispatch_uid=f"impact.{model.__name__}"
            )
        post_save.connect(upkeep.on_plan_saved, sender=Plan, dispatch_uid="impact.plan")
        post_save.connect(upkeep.on_pupil_saved, sender=Pupil, dispatch_uid="impact.pupil")
        post_save.connect(upkeep.on_member_saved, sender=GroupMember, dispatch_uid="impact.member")
        session_recorded.connect(upkeep.on_session_recorded, dispatch_uid="impact.session")
        scores_recorded.connect(upkeep.on_scores_recorded, dispatch_uid="impact.scores")
        calendar_changed.connect(upkeep.on_calendar_changed, dispatch_uid="impact.calendar")
        # How pupils responded, for the recommendations (impact.response_signals).
        from sendwise.impact import response_signals

        post_save.connect(
            response_signals.on_plan_saved, sender=Plan, dispatch_uid="impact.response_plan"
        )
        post_save.connect(
            response_signals.on_placement_saved,
            sender=Placement,
            dispatch_uid="impact.response_placement",
        )
