from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "sendwise.concerns"
    label = "concerns"
    verbose_name = "Raising a concern (identification)"

    def ready(self) -> None:
        # Registers the concern permission rules with `rules`.
        from sendwise.concerns import permissions  # noqa: F401
