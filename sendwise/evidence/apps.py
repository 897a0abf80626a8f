from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "sendwise.evidence"
    label = "evidence"
    verbose_name = "Evidence catalogue: interventions, strategies, studies and measures"
