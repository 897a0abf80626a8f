from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sendwise.reports"
    label = "reports"
    verbose_name = "Reports: PDF and spreadsheets people take to meetings"

    def ready(self) -> None:
        # Registers the reports permission rules with `rules`.
        from sendwise.reports import permissions  # noqa: F401
