"""milresearch: media and information literacy research data for Central Asia and Pakistan."""

from importlib.metadata import PackageNotFoundError, version

try:
    # pyproject.toml is the one place the version is written.
    __version__ = version("milresearch")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
