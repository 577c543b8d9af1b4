"""Login routes: the CAS auth class and the Django authentication backends behind it."""
