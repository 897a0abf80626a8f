from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "sendwise.impact"
    label = "impact"
    verbose_name = "Impact: the school's own results"

    def ready(self) -> None:
        # The permission rules, and the listeners that keep results in step with the rows they
        # read (impact.signals says what changes what).
        from sendwise.impact import (
            permissions,  # noqa: F401
            signals,
        )

        signals.connect()
