from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "cas_educonnect.staff"
    label = "educonnect_staff"
    verbose_name = _("School administration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cas_server.models import ServiceTicket

        from cas_educonnect.login.flow import sso_session_opened
        from cas_educonnect.routes.aten.signals import accounts_grouped
        from cas_educonnect.staff.access import count_access, record_route, reset_counter
        from cas_educonnect.staff.audit import record_grouping
        from cas_educonnect.staff.closure import connect as connect_closures

        post_save.connect(count_access, sender=ServiceTicket, dispatch_uid="educonnect_staff_count_access")
        setting_changed.connect(reset_counter, dispatch_uid="educonnect_staff_reset_counter")
        sso_session_opened.connect(record_route, dispatch_uid="educonnect_staff_record_route")
        accounts_grouped.connect(record_grouping, dispatch_uid="educonnect_staff_record_grouping")
        connect_closures()
