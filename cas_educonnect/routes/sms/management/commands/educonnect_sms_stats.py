"""Count the SMS sent (statistics, cost control): per day, purpose and result."""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from cas_educonnect.routes.sms.models import SentSms


class Command(BaseCommand):
    help = "Count the SMS sent per day, purpose and result (failed sends listed with their gateway codes)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="How many days back (default 30).")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        since = timezone.now() - datetime.timedelta(days=options["days"])
        rows = (
            SentSms.objects.filter(created_at__gte=since)
            .annotate(day=TruncDate("created_at"))
            .values("day", "purpose", "status", "error_code")
            .annotate(count=Count("id"))
            .order_by("day", "purpose", "status", "error_code")
        )
        data = [{**row, "day": row["day"].isoformat()} for row in rows]
        totals = {status: sum(r["count"] for r in data if r["status"] == status) for status in SentSms.Status.values}
        if options["format"] == "json":
            self.stdout.write(json.dumps({"since": since.isoformat(), "totals": totals, "rows": data}))
            return
        self.stdout.write(f"SMS since {since:%Y-%m-%d %H:%M}: {totals['sent']} sent, {totals['failed']} failed")
        for row in data:
            code = f" (code {row['error_code']})" if row["error_code"] else ""
            self.stdout.write(f"  {row['day']} {row['purpose']:<14} {row['status']:<6} {row['count']:>6}{code}")
