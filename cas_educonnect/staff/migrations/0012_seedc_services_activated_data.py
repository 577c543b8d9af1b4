"""Schools that already set services or settings used the module: their online services count as activated."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    SchoolSettings = apps.get_model("educonnect_staff", "SchoolSettings")
    SchoolServiceSetting = apps.get_model("educonnect_staff", "SchoolServiceSetting")
    now = timezone.now()
    SchoolSettings.objects.filter(services_activated_at__isnull=True).update(services_activated_at=now)
    with_services = SchoolServiceSetting.objects.values_list("establishment_id", flat=True).distinct()
    have = set(SchoolSettings.objects.values_list("establishment_id", flat=True))
    SchoolSettings.objects.bulk_create(
        [SchoolSettings(establishment_id=pk, services_activated_at=now) for pk in set(with_services) - have]
    )


class Migration(migrations.Migration):
    dependencies = [("educonnect_staff", "0011_seedc_codes_and_services")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
