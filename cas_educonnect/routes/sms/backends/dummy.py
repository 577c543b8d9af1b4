"""Gateway that sends nothing and reports success (load tests, disabled SMS)."""

from __future__ import annotations

from cas_educonnect.routes.sms import base
from cas_educonnect.routes.sms.base import SendResult


class SmsBackend(base.SmsBackend):
    def send(self, to: str, body: str) -> SendResult:
        return SendResult(provider_id="dummy", status="dropped")
