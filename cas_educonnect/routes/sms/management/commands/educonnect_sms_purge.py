"""Delete spent code challenges and expired rate counters; keep SMS statistics (idempotent, cron-safe)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from cas_educonnect.conf import settings
from cas_educonnect.models import RateLimitCounter
from cas_educonnect.routes.sms.models import CodeChallenge, SentSms


class Command(BaseCommand):
    help = "Delete code challenges older than the registration timeout and expired rate counters."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only, delete nothing.")
        parser.add_argument(
            "--sent-days", type=int, default=0, help="Also delete SMS statistics older than this many days (0: keep)."
        )

    def handle(self, *args, **options):
        now = timezone.now()
        horizon = max(settings.CAS_EDUCONNECT_SMS_FLOW_TIMEOUT, settings.CAS_EDUCONNECT_SMS_CODE_VALIDITY)
        challenges = CodeChallenge.objects.filter(created_at__lt=now - datetime.timedelta(seconds=horizon))
        # Expired counters of the limiter's database backend (every scope stored there).
        counters = RateLimitCounter.objects.filter(expires_at__lte=now)
        sent = SentSms.objects.none()
        if options["sent_days"] > 0:
            sent = SentSms.objects.filter(created_at__lt=now - datetime.timedelta(days=options["sent_days"]))
        counts = {"challenges": challenges.count(), "counters": counters.count(), "sent": sent.count()}
        if not options["dry_run"]:
            challenges.delete()
            counters.delete()
            sent.delete()
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(
            f"{verb} {counts['challenges']} challenge(s), {counts['counters']} rate counter(s), "
            f"{counts['sent']} SMS record(s)."
        )
