from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "sendwise.pupils"
    label = "pupils"
    verbose_name = "Pupils and the SEND register"

    def ready(self) -> None:
        # Registers the pupils permission rules with `rules`.
        from sendwise.pupils import permissions  # noqa: F401
