from django.apps import AppConfig


class TextConfig(AppConfig):
    """Kazakh/Russian language kit: inflection, stemming, dates and extraction of event records."""

    name = "kelisim.text"
    label = "text"
    verbose_name = "Text"
