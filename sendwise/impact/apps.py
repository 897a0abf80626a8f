from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "sendwise.impact"
    label = "impact"
    verbose_name = "Impact: the school's own results"

    def ready(self) -> None:
        # Registers the impact permission rules with `rules`.
        from sendwise.impact import permissions  # noqa: F401
