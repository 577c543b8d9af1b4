from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "cas_educonnect.staff"
    label = "educonnect_staff"
    verbose_name = _("School administration")
    default_auto_field = "django.db.models.BigAutoField"
