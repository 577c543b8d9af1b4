"""The CAS URLconf: the host's routes, with ``login`` and ``logout`` shadowed by ours.

Mount it with ``path("cas/", include("cas_educonnect.urls"))``: ``app_name`` stays
``cas_server`` because the host's views reverse ``cas_server:login``.
"""

from __future__ import annotations

from cas_server import urls as cas_urls
from django.urls import include, path, re_path
from django.views.decorators.debug import sensitive_post_parameters

from .attributes.choice import ProfileChoiceView
from .attributes.proxy import Proxy as AttributesProxy
from .franceconnect import logout as fc_logout
from .host import saml, views
from .portal import views as portal_views

app_name = "cas_server"

urlpatterns = [
    re_path(r"^login$", sensitive_post_parameters("password")(views.LoginView.as_view()), name="login"),
    path("choix-du-profil", ProfileChoiceView.as_view(), name="educonnect_profile_choice"),
    # One <Attribute> per name with all its values (the host writes one per value).
    re_path(r"^samlValidate$", saml.SamlValidate.as_view(), name="samlValidate"),
    # Proxy tickets: the person chosen at login and the follow-up refusal, as for service tickets.
    re_path(r"^proxy$", AttributesProxy.as_view(), name="proxy"),
    path("profil/reinitialiser", portal_views.reset, name="educonnect_portal_reset"),
    path("legacy/", include("cas_educonnect.legacy.urls")),
    # FranceConnect's logout subclasses the host's hardened LogoutView (ends FranceConnect first).
    re_path(r"^logout$", fc_logout.LogoutView.as_view(), name="logout"),
    path("inscription-sms/", include("cas_educonnect.sms.urls")),
    path("franceconnect/", include("cas_educonnect.franceconnect.urls")),
]
urlpatterns += [
    path("aten/", include("cas_educonnect.auth_backends.aten.urls")),
]
_shadowed = {getattr(p, "name", None) for p in urlpatterns} - {None}
urlpatterns += [p for p in cas_urls.urlpatterns if getattr(p, "name", None) not in _shadowed]
