"""ATEN route: provisional-password login, first-login activation, email links, self-service.

Public pieces: ``steps.activation_step`` (a login step), ``steps.ThrottledUserCredential``
(``CAS_USER_CREDENTIAL_FORM``), ``tokens`` (derived link tokens), ``throttle`` (cache
counters) and ``urls`` (mounted under ``/cas/aten/`` by ``cas_educonnect.urls``).
"""
