"""Compact in-memory index of imported rows: AAF key -> (pk, digest, flags) in one int.

At 1 M persons a dict of tuples costs ~3x more memory than a dict of ints, so each value
packs the primary key, 61 bits of the record digest and two flags into a single int.
"""

from __future__ import annotations

import hashlib
from typing import Any

SEEN = 1  # an add record for this key was read in this run
LEFT = 2  # the row is marked as gone (left_at set)
_FLAGS = 2
_HASH_BITS = 61


def digest(state: dict[str, Any]) -> str:
    """Hex digest (32 chars) of a canonical record state; keys are sorted."""
    return hashlib.blake2b(repr(sorted(state.items())).encode(), digest_size=16).hexdigest()


def raw_digest(raw: bytes) -> str:
    """Hex digest of an add request as serialized by lxml (``etree.tostring`` of the element).

    Digesting the bytes costs a fraction of building the record, so an unchanged record is
    found before any Python object is made for it. Any difference in the bytes (a value,
    the order of attributes or values, white space) only costs one rewrite of identical
    values. Digests made before this format (of the attribute dict) are hashes of other
    input under another personalization: they do not match, so the first run after an
    upgrade rewrites every row once.
    """
    return hashlib.blake2b(raw, digest_size=16, person=b"aaf-raw-1").hexdigest()


def short(hexdigest: str) -> int:
    return int(hexdigest[:16], 16) >> (64 - _HASH_BITS) if hexdigest else 0


def pack(pk: int, hexdigest: str, flags: int = 0) -> int:
    return (pk << (_HASH_BITS + _FLAGS)) | (short(hexdigest) << _FLAGS) | flags


def unpack(value: int) -> tuple[int, int, int]:
    """``(pk, short digest, flags)``."""
    return value >> (_HASH_BITS + _FLAGS), (value >> _FLAGS) & ((1 << _HASH_BITS) - 1), value & ((1 << _FLAGS) - 1)


def with_flags(value: int, set_: int = 0, clear: int = 0) -> int:
    return (value | set_) & ~clear


def with_pk(value: int, pk: int) -> int:
    return (value & ((1 << (_HASH_BITS + _FLAGS)) - 1)) | (pk << (_HASH_BITS + _FLAGS))
