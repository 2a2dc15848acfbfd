"""Kelisim: the «Бейбітшілік пен келісім» project's working system."""
