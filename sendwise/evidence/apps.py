from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "sendwise.evidence"
    label = "evidence"
    verbose_name = "Evidence catalogue: interventions, strategies, studies and measures"

    def ready(self) -> None:
        # Registers the evidence permission rules with `rules`.
        from sendwise.evidence import permissions  # noqa: F401
