"""Make a django-cas-server speak the French national-education identity model."""

from cas_educonnect import moved

__version__ = "0.2.0"

# The dotted paths of 0.1 keep working for one release (DeprecationWarning): see moved.MOVED.
moved.install()
