"""Kazakh and Russian language kit: inflection, stemming, dates, extraction."""
