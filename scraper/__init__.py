"""portal-archive: archive a Vietnamese district government news portal."""

__version__ = "0.1.0"
