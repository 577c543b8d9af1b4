"""Test gateway: keeps every SMS in the module-level :data:`outbox` list."""

from __future__ import annotations

from dataclasses import dataclass

from cas_educonnect.routes.sms import base
from cas_educonnect.routes.sms.base import SendResult

outbox: list[SmsMessage] = []


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


class SmsBackend(base.SmsBackend):
    def send(self, to: str, body: str) -> SendResult:
        outbox.append(SmsMessage(to=to, body=body))
        return SendResult(provider_id=f"locmem-{len(outbox)}", status="stored")
