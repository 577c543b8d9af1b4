"""Streaming, safe reading of one AAF XML file (``ficAlimMENESR``).

Safety: the prolog is checked before lxml sees it. A ``<!DOCTYPE ficAlimMENESR SYSTEM
"ficAlimMENESR.dtd">`` (what real files carry) is fine since the DTD is never loaded; an
internal subset (``<!DOCTYPE x [ ... ]>``, where entities, hence XXE and entity-expansion
bombs, are declared) is refused outright. lxml then runs with no DTD loading, no network,
no entity resolution and no huge-tree mode, so any entity reference is an error.
Memory: each request element is cleared, with its finished siblings, once read.
Speed: given an ``unchanged`` hook, an addRequest is first digested from its serialized
bytes and offered to the hook with its category and key, read by a strict pattern; the
record is built only when the hook does not take it (new, changed, or not in the usual
shape), so an unchanged re-import costs little more than lxml's own parsing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import IO

from lxml import etree

from cas_educonnect.directory.base import ImportFailure, InvalidRecord, Record
from cas_educonnect.directory.sources import Source
from cas_educonnect.directory.state import raw_digest

REQUESTS = ("addRequest", "modifyRequest", "deleteRequest")
CATEGORY_ATTRS = {"categoriePersonne", "categorieStructure", "categorieMef", "categorieMatiere"}
_PROLOG_LIMIT = 1 << 16
_ROOT_START = re.compile(rb"<(?![?!])")
_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
# The head of an addRequest in lxml's serialization: one category attribute, then the
# identifier. Anything else (an entity or character reference, other attributes or
# elements) does not match, and the record is built and read as usual.
_HEAD = re.compile(
    rb"<addRequest>\s*<operationalAttributes>\s*<attr name=\"categorie(?:Personne|Structure|Mef|Matiere)\">"
    rb"\s*<value>([^<&]*)</value>\s*</attr>\s*</operationalAttributes>\s*<identifier>\s*<id>([^<&]*)</id>"
)
_VALUE = re.compile(rb"<value>([^<&]*)</value>")
# unchanged(category, jointure, digest, raw bytes) -> True when it took the record.
Unchanged = Callable[[str, str, str, bytes], bool]


class _Replay:
    """A read()-able stream that first returns ``head`` again, then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head, self.stream, self.done = head, stream, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._read(size)
        self.done += len(chunk)
        return chunk

    def _read(self, size: int) -> bytes:
        if self.head:
            if size is None or size < 0 or size >= len(self.head):
                chunk, self.head = self.head, b""
                return chunk + (self.stream.read(size - len(chunk)) if size and size > 0 else b"")
            chunk, self.head = self.head[:size], self.head[size:]
            return chunk
        return self.stream.read(size)


def _check_prolog(name: str, stream: IO[bytes]) -> bytes:
    head = b""
    while len(head) < _PROLOG_LIMIT:
        chunk = stream.read(4096)
        if not chunk:
            break
        head += chunk
        # Skip comments and declarations: the prolog ends at the first element start tag.
        stripped = re.sub(rb"<!--.*?-->", b"", head, flags=re.DOTALL)
        if _ROOT_START.search(re.sub(rb"<\?.*?\?>|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", b"", stripped, flags=re.DOTALL)):
            break
    if b"\x00" in head[:512]:
        raise ImportFailure(name, 1, "unsupported encoding (UTF-16/32): AAF files are UTF-8 or ISO-8859-15")
    prolog = re.sub(rb"<!--.*?-->", b"", head, flags=re.DOTALL)
    doctype = _DOCTYPE.search(prolog)
    if doctype:
        end = prolog.find(b">", doctype.start())
        declaration = prolog[doctype.start() : end if end >= 0 else len(prolog)]
        if b"[" in declaration or b"<!ENTITY" in prolog.upper():
            line = prolog[: doctype.start()].count(b"\n") + 1
            raise ImportFailure(name, line, "DOCTYPE with an internal subset (entity declarations) refused")
    return head


def _values(attr) -> list[str]:
    return [value.text or "" for value in attr]


def _record(name: str, elem, digest: str = "") -> Record:
    # One walk over the request's children (no path lookups): this runs once per record.
    op = elem.tag[: -len("Request")]
    line = elem.sourceline or 0
    category = jointure = ""
    found_id = False
    attrs: dict[str, list[str]] = {}
    bad_operation = None
    for part in elem:
        tag = part.tag
        if tag == "operationalAttributes":
            for attr in part:
                if attr.tag == "attr" and attr.get("name") in CATEGORY_ATTRS:
                    category = (attr.findtext("value") or "").strip()
        elif tag == "identifier" and not found_id:
            for child in part:
                if child.tag == "id":
                    jointure, found_id = (child.text or "").strip(), True
                    break
        elif tag == "attributes" and op == "add":
            for attr in part:
                if attr.tag == "attr":
                    attrs[attr.get("name", "")] = [value.text or "" for value in attr]
        elif tag == "modifications" and op == "modify":
            for mod in part:
                if mod.tag != "modification":
                    continue
                operation = mod.get("operation", "replace")
                if operation != "replace":
                    bad_operation = bad_operation or (mod.sourceline or line, operation)
                attrs[mod.get("name", "")] = _values(mod)
    if not category:
        raise InvalidRecord(name, line, f"{elem.tag} without a category (operationalAttributes)")
    if bad_operation:
        raise InvalidRecord(name, bad_operation[0], f"unsupported modification operation {bad_operation[1]!r}")
    record = Record(op=op, category=category, jointure=jointure, attrs=attrs, source=name, line=line, digest=digest)
    if not jointure:
        raise InvalidRecord(name, line, f"{category} {elem.tag} without identifier/id")
    return record


@functools.cache
def _raw_attr(name: str) -> tuple[bytes, re.Pattern[bytes]]:
    tag = b'<attr name="%s">' % name.encode()
    return tag, re.compile(rb"%s((?:\s*<value>[^<&]*</value>|\s*<value/>)*)\s*</attr>" % re.escape(tag))


def raw_first(raw: bytes, name: str) -> str | None:
    """``Record.first(name)`` read from a serialized add request; None if not in the usual shape.

    The usual shape: the attribute once, inside ``<attributes>``, holding only plain values.
    """
    tag, pattern = _raw_attr(name)
    found = pattern.search(raw)
    if (
        found is None
        or raw.count(tag) != 1
        or not raw.find(b"<attributes>") < found.start() < raw.find(b"</attributes>")
    ):
        return None
    return next((v for v in (m.strip() for m in _VALUE.findall(found[1])) if v), b"").decode()


def parse(
    source: Source,
    errors: list[InvalidRecord] | None = None,
    progress: Callable[[int], None] | None = None,
    unchanged: Unchanged | None = None,
) -> Iterator[Record]:
    """The records of ``source``, one at a time.

    A malformed record raises :class:`InvalidRecord`, or is appended to ``errors`` when a
    list is given (``--skip-invalid``). Broken XML always raises :class:`ImportFailure`:
    nothing after the break can be trusted, and a half-read full export would make every
    person after the break look gone. ``progress(bytes_read)`` is called every 1000 records.
    With ``unchanged`` (see the module docstring), add records carry their ``digest`` and
    those the hook takes are not yielded.
    """
    with source.open() as stream:
        head = _check_prolog(source.name, stream)
        replay = _Replay(head, stream)
        count = 0
        events = etree.iterparse(
            replay,
            events=("end",),
            tag=REQUESTS,
            load_dtd=False,
            dtd_validation=False,
            no_network=True,
            resolve_entities=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            for _event, elem in events:
                for entity in elem.iter(etree.Entity):
                    # Undeclared, so unresolved: libxml2 lets it through when a DOCTYPE
                    # names an external DTD. Refused, whatever the entity is.
                    raise ImportFailure(source.name, entity.sourceline or elem.sourceline, "entity references refused")
                try:
                    if unchanged is None or elem.tag != "addRequest":
                        yield _record(source.name, elem)
                    else:
                        raw = etree.tostring(elem, with_tail=False)
                        hexd = raw_digest(raw)
                        head = _HEAD.match(raw)
                        if head is None or not unchanged(head[1].strip().decode(), head[2].strip().decode(), hexd, raw):
                            yield _record(source.name, elem, hexd)
                except InvalidRecord as exc:
                    if errors is None:
                        raise
                    errors.append(exc)
                count += 1
                if progress and count % 1000 == 0:
                    progress(replay.done)
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
            root = events.root
        except etree.XMLSyntaxError as exc:
            line = exc.lineno or (exc.position[0] if exc.position else 0)
            raise ImportFailure(source.name, line, f"XML error: {exc.msg}")
        if root is None or root.tag != "ficAlimMENESR":
            tag = None if root is None else root.tag
            raise ImportFailure(source.name, 1, f"not an AAF file (root element {tag!r}, expected 'ficAlimMENESR')")
