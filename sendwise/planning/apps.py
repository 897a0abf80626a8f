from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "sendwise.planning"
    label = "planning"
    verbose_name = "Support plans and recommendations"
