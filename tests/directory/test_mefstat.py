"""MefEducNat records give each MEF its MEFSTAT11 (the access statistics count by it)."""

from __future__ import annotations

import pytest

from cas_educonnect.directory.importer import import_paths
from cas_educonnect.directory.writer import request
from cas_educonnect.models import Mef

from .aaf import write


def mef(code: str, mefstat: str, op: str = "add") -> str:
    return request(
        "MefEducNat", code, [("ENTMefJointure", code), ("ENTLibelleMef", "3EME"), ("ENTMEFSTAT11", mefstat)], op=op
    )


@pytest.mark.django_db
def test_mef_records_set_and_update_the_mefstat(tmp_path):
    write(tmp_path, "ENT_Complet_MefEducNat_0000.xml", [mef("10310019110", "21131010001")])
    import_paths([tmp_path])
    assert Mef.objects.get(code="10310019110").mefstat == "21131010001"
    write(tmp_path, "ENT_Complet_MefEducNat_0000.xml", [mef("10310019110", "21131010002", op="modify")])
    import_paths([tmp_path])
    assert Mef.objects.get(code="10310019110").mefstat == "21131010002"
