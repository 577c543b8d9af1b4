"""Where AAF files come from: files, folders, ``.zip`` and ``.tar.gz`` archives.

Files are sorted so that a run applies schools, MEFs, representatives, then pupils,
whatever order they are given in; inside a category, by name (``_0000``, ``_0001``...).
A file is a full export (``_Complet_``) only when its name says so: only then do persons
missing from it count as having left.
"""

from __future__ import annotations

import re
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cas_educonnect.directory.base import ORDER, ImportFailure

_NAME = re.compile(r"_(Complet|Delta)_(?:\d{8}_)?([A-Za-z]+?)_\d{4}\.xml$", re.IGNORECASE)
_TYPE = re.compile(rb"<attr\s+name=\"categorie(?:Personne|Structure|Mef|Matiere)\"\s*>\s*<value>\s*(\w+)")
_CANON = {name.lower(): name for name in ORDER}


@dataclass
class Source:
    """One XML file to import; ``open()`` gives a fresh binary stream each time."""

    name: str
    category: str | None
    complete: bool
    open: Callable[[], IO[bytes]]
    size: int = 0

    @property
    def rank(self) -> tuple[int, str]:
        return (ORDER.index(self.category) if self.category in ORDER else len(ORDER), self.name)


def _classify(name: str, opener: Callable[[], IO[bytes]], size: int = 0) -> Source:
    match = _NAME.search(name)
    category = _CANON.get(match.group(2).lower()) if match else None
    if category is None:
        with opener() as stream:  # No usable name: look at the first record.
            found = _TYPE.search(stream.read(65536))
        category = _CANON.get(found.group(1).decode().lower()) if found else None
    complete = bool(match and match.group(1).lower() == "complet")
    return Source(name=name, category=category, complete=complete, open=opener, size=size)


def _from_zip(path: Path) -> Iterator[Source]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ImportFailure(str(path), None, f"not a readable zip archive ({exc})")
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if not info.is_dir() and info.filename.lower().endswith(".xml"):
            yield _classify(f"{path}!{info.filename}", lambda info=info: archive.open(info), info.file_size)


def _from_tar(path: Path) -> Iterator[Source]:
    try:
        archive = tarfile.open(path, "r:*")
    except tarfile.TarError as exc:
        raise ImportFailure(str(path), None, f"not a readable tar archive ({exc})")
    for member in sorted(archive.getmembers(), key=lambda m: m.name):
        if member.isfile() and member.name.lower().endswith(".xml"):
            yield _classify(f"{path}!{member.name}", lambda member=member: archive.extractfile(member), member.size)


def _from_path(path: Path) -> Iterator[Source]:
    name = path.name.lower()
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_dir() or child.name.lower().endswith((".xml", ".zip", ".tar.gz", ".tgz", ".tar")):
                yield from _from_path(child)
    elif name.endswith(".zip"):
        yield from _from_zip(path)
    elif name.endswith((".tar.gz", ".tgz", ".tar")):
        yield from _from_tar(path)
    elif path.is_file():
        yield _classify(str(path), lambda: path.open("rb"), path.stat().st_size)
    else:
        raise ImportFailure(str(path), None, "no such file or directory")


def collect_sources(paths: list[str | Path]) -> list[Source]:
    """All XML files found under ``paths``, in the order a run must apply them."""
    sources = [source for path in paths for source in _from_path(Path(path))]
    return sorted(sources, key=lambda s: s.rank)
