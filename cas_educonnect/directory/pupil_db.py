"""Pupil rows as the importer sees them: state read back from the database, links, groups."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from cas_educonnect.core.db import insert
from cas_educonnect.models import Group, Pupil, RepresentativeLink

CHUNK = 2000


def pupil_db_states(pks: list[int]) -> dict[int, dict[str, Any]]:
    """The canonical states (as ``mapping.pupil_state`` builds them) of stored pupils."""
    links: dict[int, list] = defaultdict(list)
    groups: dict[int, list] = defaultdict(list)
    states = {}
    for chunk in _chunks(pks):
        rows = RepresentativeLink.objects.filter(pupil_id__in=chunk, closed_at__isnull=True).values_list(
            "pupil_id", "representative__jointure", "link_code", "financial", "legal", "contact"
        )
        for pupil_id, *link in rows:
            links[pupil_id].append(tuple(link))
        for pupil_id, code in Group.pupils.through.objects.filter(pupil_id__in=chunk).values_list(
            "pupil_id", "group__code"
        ):
            groups[pupil_id].append(code)
        for pupil in Pupil.objects.filter(pk__in=chunk).select_related("establishment", "division", "mef"):
            states[pupil.pk] = {
                "struct_id": pupil.struct_id,
                "ine": pupil.ine,
                "last_name": pupil.last_name,
                "first_name": pupil.first_name,
                "birth_date": pupil.birth_date.isoformat() if pupil.birth_date else None,
                "school": pupil.establishment.jointure,
                "division": pupil.division.code if pupil.division else "",
                "mef": pupil.mef.code if pupil.mef else "",
                "mef_label": pupil.mef.label if pupil.mef else "",
                "regime": pupil.regime,
                "groups": sorted(groups[pupil.pk]),
                "links": sorted(links[pupil.pk]),
            }
    return states


def _chunks(items: list[int]):
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def reconcile_links(pupils, changed, pks: dict[str, int]) -> None:
    """Make the links of the changed pupils match their records (close, reopen, update, create)."""
    summary, now = pupils.summary.links, pupils.now
    existing: dict[int, dict[int, RepresentativeLink]] = defaultdict(dict)
    old = [pks[r.jointure] for r, _s, _h, pk in changed if pk is not None]
    for chunk in _chunks(old):
        for link in RepresentativeLink.objects.filter(pupil_id__in=chunk):
            existing[link.pupil_id][link.representative_id] = link
    create, update = [], []
    for record, state, _h, _pk in changed:
        pupil_pk = pks[record.jointure]
        have = existing.get(pupil_pk, {})
        wanted = set()
        for jointure, code, financial, legal, contact in state["links"]:
            rep_pk = pupils.representatives.pk(jointure)
            wanted.add(rep_pk)
            values = {"link_code": code, "financial": financial, "legal": legal, "contact": contact}
            link = have.get(rep_pk)
            if link is None:
                create.append((pupil_pk, rep_pk, code, financial, legal, contact))
            elif link.closed_at or any(getattr(link, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(link, key, value)
                link.closed_at = None
                update.append(link)
                summary.updated += 1
        for rep_pk, link in have.items():
            if rep_pk not in wanted and link.closed_at is None:
                link.closed_at = now
                update.append(link)
                summary.deleted += 1
    columns = ["pupil", "representative", "link_code", "financial", "legal", "contact"]
    insert(RepresentativeLink, columns, create)
    summary.created += len(create)
    fields = ["link_code", "financial", "legal", "contact", "closed_at"]
    RepresentativeLink.objects.bulk_update(update, fields, batch_size=CHUNK)


def reconcile_groups(pupils, changed, pks: dict[str, int]) -> None:
    """Replace the group memberships of the changed pupils."""
    through = Group.pupils.through
    old = [pks[r.jointure] for r, _s, _h, pk in changed if pk is not None]
    for chunk in _chunks(old):
        through.objects.filter(pupil_id__in=chunk).delete()
    rows = []
    for record, state, _h, _pk in changed:
        school = pupils.structures.school_pk(state["school"])
        for code in state["groups"]:
            rows.append((pupils.structures.groups[(school, code)], pks[record.jointure]))
    insert(through, ["group", "pupil"], rows)
