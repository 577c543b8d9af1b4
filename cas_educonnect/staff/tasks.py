"""The background task of mass notification (django-tasks; database backend in production).

The job row carries the progress shown to the staff member and the summary of who could
not be notified; the task itself only needs the job id.
"""

from __future__ import annotations

import logging

from django.core import mail
from django.utils import timezone
from django_tasks import task

from cas_educonnect.core.locks import single_run
from cas_educonnect.models import Account, AccountKind, AccountState, Pupil
from cas_educonnect.models.accounts import NotificationMode
from cas_educonnect.staff.letters import LetterModel
from cas_educonnect.staff.models import JobStatus, NotificationJob
from cas_educonnect.staff.notify import notify_account

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 25


def run_job(job: NotificationJob, portal_url: str) -> NotificationJob:
    """Notify every (account, pupil) pair of ``job``, saving progress as it goes."""
    job.status, job.processed, job.failures, job.paper = JobStatus.RUNNING, 0, [], {}
    job.save(update_fields=["status", "processed", "failures", "paper"])
    model = LetterModel(job.establishment, portal_url)
    pairs = [tuple(pair) for pair in job.account_ids]
    accounts = Account.objects.in_bulk([a for a, _p in pairs])
    pupils = Pupil.objects.select_related("division").in_bulk([p for _a, p in pairs if p])
    paper: dict[str, list[list[int | None]]] = {}
    with mail.get_connection() as connection:
        for index, (account_id, pupil_id) in enumerate(pairs, start=1):
            account, pupil = accounts.get(account_id), pupils.get(pupil_id)
            if account is None:
                continue
            # The pupils' option resets the passwords of accounts in use only: a notified
            # account keeps the provisional password its first letter gave (004 §3.1, §4.1).
            reset = job.reset_active and account.state == AccountState.ACTIVE
            outcome = notify_account(account, pupil, job.mode, model, reset=reset, connection=connection)
            if outcome.reasons:
                job.failures.append(
                    {
                        "identifier": account.identifier,
                        "name": str(account.representatives.first() or pupil or ""),
                        "pupil": str(pupil or ""),
                        "notified": outcome.notified,
                        "reasons": outcome.reasons,
                    }
                )
            if outcome.notified and (account.kind == AccountKind.PUPIL or job.mode != NotificationMode.EMAIL):
                key = str(pupil.division_id) if pupil and pupil.division_id else "none"
                paper.setdefault(key, []).append([account_id, pupil_id])
            if index % PROGRESS_EVERY == 0:
                NotificationJob.objects.filter(pk=job.pk).update(processed=index)
    job.processed = len(pairs)
    job.paper = paper
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    return job


@task()
def notify_job(job_id: int, portal_url: str) -> int:
    """Entry point of the background task; returns the number of accounts handled."""
    job = NotificationJob.objects.select_related("establishment").get(pk=job_id)
    try:
        # One mass notification of a school at a time, whatever the worker: two would send
        # the same letters and emails twice.
        with single_run(f"notify_job:{job.establishment_id}"):
            run_job(job, portal_url)
    except Exception as exc:
        logger.exception("notification job %s failed", job_id)
        NotificationJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    return job.processed
