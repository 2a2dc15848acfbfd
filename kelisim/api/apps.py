from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kelisim.api"
    label = "api"
    verbose_name = "API"
