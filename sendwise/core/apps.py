from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sendwise.core"
    label = "core"
    verbose_name = "Schools, staff and access"

    def ready(self) -> None:
        # Registers the permission rules with `rules`.
        from sendwise.core import permissions  # noqa: F401
