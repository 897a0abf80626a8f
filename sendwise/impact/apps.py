from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "sendwise.impact"
    label = "impact"
    verbose_name = "Impact: the school's own results"
