"""Hosting django-cas-server: our URLconf, login view and fixes of its measured defects."""
