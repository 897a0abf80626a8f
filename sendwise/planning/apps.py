from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "sendwise.planning"
    label = "planning"
    verbose_name = "Support plans and recommendations"

    def ready(self) -> None:
        # Registers the planning permission rules with `rules`.
        from sendwise.planning import permissions  # noqa: F401
