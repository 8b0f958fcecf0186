"""Report sections: per-country inputs, charts, tables, message catalogue, templates."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
"""The report stylesheet, templates and message catalogue live here."""
