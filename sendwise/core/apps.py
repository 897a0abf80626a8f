from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sendwise.core"
    label = "core"
    verbose_name = "Schools, staff and access"

    def ready(self) -> None:
        # Registers the core permission rules and shared predicates with `rules`; connects the
        # audit of sign-ins, refusals and sign-outs to Django's auth signals.
        from sendwise.core import permissions  # noqa: F401
        from sendwise.core.sign_in_audit import connect

        connect()
