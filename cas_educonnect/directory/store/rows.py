"""The row-batch writer: each batch goes at once as multi-row INSERTs and bulk UPDATEs.

Works on every database (SQLite's path): new rows get their primary keys back into the
run's index, links and groups of the changed pupils are reconciled batch by batch.
"""

from __future__ import annotations

from cas_educonnect.accounts.provisioning import provision_accounts
from cas_educonnect.core.db import insert
from cas_educonnect.directory.pupil_db import reconcile_groups, reconcile_links
from cas_educonnect.directory.state import unpack, with_pk
from cas_educonnect.directory.store.base import Writer
from cas_educonnect.models import Pupil, RepresentativeLink

CHUNK = 2000


class RowWriter(Writer):
    def write(self, people, changed):
        new = [people.values(r, s, h) for r, s, h, pk in changed if pk is None]
        old = [people.row(r, s, h, pk) for r, s, h, pk in changed if pk is not None]
        for jointure, pk in insert(people.model, people.columns(), new, key="jointure").items():
            people.index[jointure] = with_pk(people.index[jointure], pk)
        if old:
            fields = [*people.fields, "source_hash", "left_at", "updated_at", *people.extra_update_fields()]
            people.model.objects.bulk_update(old, fields, batch_size=CHUNK)
        if changed and people.model is Pupil:
            pks = {r.jointure: unpack(people.index[r.jointure])[0] for r, _s, _h, _pk in changed}
            reconcile_links(people, changed, pks)
            reconcile_groups(people, changed, pks)

    def leave(self, people, gone):
        pks = [pk for _jointure, pk in gone]
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            people.model.objects.filter(pk__in=chunk).update(left_at=self.now)
            links = RepresentativeLink.objects.filter(closed_at__isnull=True, **{f"{people.link_field}__in": chunk})
            self.summary.links.deleted += links.update(closed_at=self.now)

    def provision(self):
        return provision_accounts()
