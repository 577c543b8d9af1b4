"""Emails of the ATEN route: French text + HTML templates sent with Django's email backend.

Each message ``name`` has three templates under ``cas_educonnect/aten/email/``:
``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html``; projects override them by path.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "cas_educonnect/aten/email"


def send_mail(name: str, to: str, context: dict[str, Any]) -> bool:
    """Render message ``name`` for ``to`` and send it; False (logged) if the backend failed.

    Callers have already committed what the email announces; a failed send must not turn
    into an error page, and every link can be asked for again.
    """

    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{TEMPLATE_DIR}/{name}_subject.txt", context).strip()
        text = render_to_string(f"{TEMPLATE_DIR}/{name}.txt", context)
        html = render_to_string(f"{TEMPLATE_DIR}/{name}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not send the %s email", name)
        return False
    logger.info("Sent %s email", name)
    return True
