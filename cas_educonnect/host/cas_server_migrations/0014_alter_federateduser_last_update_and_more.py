"""State-only step the host never shipped (no SQL): FK related_names and a default."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def _fk(to: str) -> models.ForeignKey:
    return models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="%(class)s", to=to)


class Migration(migrations.Migration):
    dependencies = [
        ("cas_server", "0001_squashed_0013_auto_20170329_1748"),
    ]

    operations = [
        migrations.AlterField(
            model_name="federateduser",
            name="last_update",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ] + [
        migrations.AlterField(model_name=model, name=name, field=_fk(to))
        for model in ("proxygrantingticket", "proxyticket", "serviceticket")
        for name, to in (("service_pattern", "cas_server.servicepattern"), ("user", "cas_server.user"))
    ]
