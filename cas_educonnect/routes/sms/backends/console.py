"""Demo gateway: writes the SMS on the server console (stderr) and in the log."""

from __future__ import annotations

import logging
import sys
from typing import Any

from cas_educonnect.routes.sms import base
from cas_educonnect.routes.sms.base import SendResult
from cas_educonnect.routes.sms.phone import mask_number

logger = logging.getLogger(__name__)


class SmsBackend(base.SmsBackend):
    def __init__(self, stream: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stream = stream

    def send(self, to: str, body: str) -> SendResult:
        stream = self.stream or sys.stderr
        stream.write(f"\n----- SMS to {to} -----\n{body}\n-----------------------\n")
        stream.flush()
        logger.info("Console SMS to %s", mask_number(to))
        return SendResult(provider_id="console", status="printed")
