from django.apps import AppConfig


class DemoEntConfig(AppConfig):
    name = "demo_ent"
    verbose_name = "Demo ENT"
    default_auto_field = "django.db.models.BigAutoField"
