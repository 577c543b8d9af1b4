"""FranceConnect route: OpenID Connect login, first link by SMS and birth dates, logout.

Entry point for templates: ``{% url 'cas_server:educonnect_franceconnect:login' %}?service=...``
(see :data:`ENTRY_URL_NAME`). Staff unlinking: :func:`cas_educonnect.routes.franceconnect.linking.unlink`.
"""

ENTRY_URL_NAME = "cas_server:educonnect_franceconnect:login"
