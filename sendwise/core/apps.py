from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sendwise.core"
    label = "core"
    verbose_name = "Schools, staff and access"

    def ready(self) -> None:
        # Registers the core permission rules and shared predicates with `rules`.
        from sendwise.core import permissions  # noqa: F401
