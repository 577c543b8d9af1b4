"""Contract of an attribute provider."""

from __future__ import annotations

import re

from cas_educonnect.attributes.subject import Subject

#: An attribute name must be an XML NCName (ASCII subset): the host writes names as element names.
ATTRIBUTE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


class AttributeProvider:
    """Computes some attributes of an account from its :class:`~.subject.Subject`.

    ``attributes()`` returns ``{name: [value, ...]}`` with XML-safe names and string values,
    without any SQL query (everything needed is on the subject, loaded once per request);
    ``release()`` merges the providers in the order of ``CAS_EDUCONNECT_ATTRIBUTE_PROVIDERS``.
    ``subject.persons`` is already restricted to the person chosen at login.
    """

    def attributes(self, subject: Subject, service: str | None = None) -> dict[str, list[str]]:
        raise NotImplementedError
