from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sendwise.demo"
    label = "demo"
    verbose_name = "Demo trust (made-up people and records)"
