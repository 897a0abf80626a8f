from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "sendwise.pupils"
    label = "pupils"
    verbose_name = "Pupils and the SEND register"
