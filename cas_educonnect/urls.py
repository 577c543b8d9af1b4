"""The CAS URLconf: the host's routes, some shadowed by ours of the same name.

Shadowed: ``login`` and ``logout`` (login steps, release policy, no open redirect),
``samlValidate`` and ``proxy`` (attributes), and the four CAS 2/3 validations (the success
document written as one string, :mod:`.host.validate`). Every other route is the host's.

Mount it with ``path("cas/", include("cas_educonnect.urls"))``: ``app_name`` stays
``cas_server`` because the host's views reverse ``cas_server:login``. Each login route's
pages are included only when its app is installed (:data:`ROUTE_URLS`).
"""

from __future__ import annotations

from cas_server import urls as cas_urls
from django.apps import apps
from django.urls import include, path, re_path
from django.utils.module_loading import import_string
from django.views.decorators.debug import sensitive_post_parameters

from cas_educonnect.host import saml, validate
from cas_educonnect.login import legal, views
from cas_educonnect.login.choice import ProfileChoiceView
from cas_educonnect.login.portal import views as portal_views
from cas_educonnect.login.proxy import Proxy as AttributesProxy

app_name = "cas_server"

#: (app, URL prefix, URLconf) of each optional login route.
ROUTE_URLS = [
    ("cas_educonnect.routes.aten", "aten/", "cas_educonnect.routes.aten.urls"),
    ("cas_educonnect.routes.legacy", "legacy/", "cas_educonnect.routes.legacy.urls"),
    ("cas_educonnect.routes.sms", "inscription-sms/", "cas_educonnect.routes.sms.urls"),
    ("cas_educonnect.routes.franceconnect", "franceconnect/", "cas_educonnect.routes.franceconnect.urls"),
]

#: The host's CAS 2/3 validation URLs (each also its URL name, ``/`` read ``_``), and whether proxy tickets pass.
VALIDATIONS = [
    ("serviceValidate", False),
    ("proxyValidate", True),
    ("p3/serviceValidate", False),
    ("p3/proxyValidate", True),
]

#: The logout view: FranceConnect's ends the FranceConnect session first, when that route is installed.
LOGOUT_VIEW = (
    "cas_educonnect.routes.franceconnect.logout.LogoutView"
    if apps.is_installed("cas_educonnect.routes.franceconnect")
    else "cas_educonnect.login.views.LogoutView"
)

urlpatterns = [
    re_path(r"^login$", sensitive_post_parameters("password")(views.LoginView.as_view()), name="login"),
    path("choix-du-profil", ProfileChoiceView.as_view(), name="educonnect_profile_choice"),
    # One <Attribute> per name with all its values (the host writes one per value).
    re_path(r"^samlValidate$", saml.SamlValidate.as_view(), name="samlValidate"),
    # The host's CAS 2/3 validations, their success document written without the template engine.
    *(
        re_path(rf"^{url}$", validate.ValidateService.as_view(allow_proxy_ticket=proxy), name=url.replace("/", "_"))
        for url, proxy in VALIDATIONS
    ),
    re_path(r"^proxy$", AttributesProxy.as_view(), name="proxy"),
    path("profil/reinitialiser", portal_views.reset, name="educonnect_portal_reset"),
    re_path(r"^logout$", import_string(LOGOUT_VIEW).as_view(), name="logout"),
]
urlpatterns += [
    path(url, legal.LegalPageView.as_view(template_name=f"cas_educonnect/portal/{page}.html"), name=name)
    for url, page, name in legal.PAGES
]
urlpatterns += [path(prefix, include(urlconf)) for app, prefix, urlconf in ROUTE_URLS if apps.is_installed(app)]
_shadowed = {getattr(p, "name", None) for p in urlpatterns} - {None}
urlpatterns += [p for p in cas_urls.urlpatterns if getattr(p, "name", None) not in _shadowed]
