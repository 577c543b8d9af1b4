"""The staff app's admin templates apply only when it comes before django.contrib.admin: a check says so."""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings

from cas_educonnect.checks import check_staff_before_admin


def test_staff_listed_after_the_admin_is_warned():
    assert check_staff_before_admin() == []
    apps = [app for app in settings.INSTALLED_APPS if app != "cas_educonnect.staff"]
    apps.insert(apps.index("django.contrib.admin") + 1, "cas_educonnect.staff")
    with override_settings(INSTALLED_APPS=apps):
        assert [m.id for m in check_staff_before_admin()] == ["cas_educonnect.W050"]
