"""Signals of the ATEN route, telling the host project (e.g. the staff audit log) what happened.

Our own control flow calls functions; these only inform. No secret is ever passed.
"""

from __future__ import annotations

from django.dispatch import Signal

# A representative grouped another account into his own (seed 002 §2.2.1).
# kwargs: request, account (the account kept), absorbed (the closed one), kind ("same_person" | "joint")
accounts_grouped = Signal()
