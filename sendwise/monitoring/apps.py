from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "sendwise.monitoring"
    label = "monitoring"
    verbose_name = "Progress monitoring"

    def ready(self) -> None:
        # Registers the monitoring permission rules with `rules`.
        from sendwise.delivery.signals import calendar_changed, session_recorded
        from sendwise.monitoring import permissions  # noqa: F401
        from sendwise.monitoring.signals import (
            on_calendar_changed,
            on_plan_changed,
            on_session_recorded,
        )
        from sendwise.planning.signals import plan_changed

        session_recorded.connect(on_session_recorded, dispatch_uid="monitoring.session_recorded")
        calendar_changed.connect(on_calendar_changed, dispatch_uid="monitoring.calendar_changed")
        plan_changed.connect(on_plan_changed, dispatch_uid="monitoring.plan_changed")
