from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "sendwise.monitoring"
    label = "monitoring"
    verbose_name = "Progress monitoring"
