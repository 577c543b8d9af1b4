"""ATEN route: provisional-password login, first-login activation, email links, self-service.

Public pieces: ``steps.activation_step`` (a login step), ``steps.ThrottledUserCredential``
(``CAS_USER_CREDENTIAL_FORM``, throttled through ``cas_educonnect.core.ratelimit``), ``tokens``
(derived link tokens) and ``urls`` (mounted under ``/cas/aten/`` by ``cas_educonnect.urls``).
"""
