"""A Content-Security-Policy for django-csp that fits our pages and DSFR's static assets.

Import it in the project's settings (``from cas_educonnect.csp import CONTENT_SECURITY_POLICY``)
with ``csp.middleware.CSPMiddleware`` in MIDDLEWARE. Everything comes from the server itself
(DSFR is served from static files, no CDN). Inline scripts need the request's nonce
(``request.csp_nonce``); the one inline handler of the staff admin (the school selector's
``this.form.submit()``) is allowed by its hash. Inline ``style`` attributes of a few admin
pages are allowed; ``<style>`` elements are not. ``form-action`` is left out on purpose:
browsers apply it to the redirect that follows the login POST, which goes to the service.
"""

from __future__ import annotations

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

#: sha256 of ``this.form.submit()`` (``admin/_school.html``).
SCHOOL_SELECTOR_HASH = "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, "'unsafe-hashes'", SCHOOL_SELECTOR_HASH],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
