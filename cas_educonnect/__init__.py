"""Make a django-cas-server speak the French national-education identity model."""

__version__ = "0.1.0"
