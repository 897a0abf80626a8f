from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sendwise.reports"
    label = "reports"
    verbose_name = "Reports: PDF and spreadsheets people take to meetings"
