"""Signals telling the host project what the SMS machinery did (never carrying a code).

- ``sms_sent``: kwargs ``challenge`` (CodeChallenge), ``sent`` (SentSms row).
- ``sms_failed``: kwargs ``challenge``, ``error_code`` (gateway code, e.g. ``21211``).
- ``verification_failed``: kwargs ``challenge``, ``remaining`` (wrong tries left).
- ``account_registered``: kwargs ``account``, ``created`` (bool), ``closed`` (identifiers grouped away),
  ``request``.
"""

from __future__ import annotations

from django.dispatch import Signal

sms_sent = Signal()
sms_failed = Signal()
verification_failed = Signal()
account_registered = Signal()
