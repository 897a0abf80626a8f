from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "sendwise.monitoring"
    label = "monitoring"
    verbose_name = "Progress monitoring"

    def ready(self) -> None:
        # Registers the monitoring permission rules with `rules`.
        from sendwise.monitoring import permissions  # noqa: F401
