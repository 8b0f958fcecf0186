"""milresearch: media and information literacy research data for Central Asia and Pakistan."""

__version__ = "0.1.0"
