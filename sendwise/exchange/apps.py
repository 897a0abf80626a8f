from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "sendwise.exchange"
    label = "exchange"
    verbose_name = "Import and export"
