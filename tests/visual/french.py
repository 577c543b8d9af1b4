"""No English on a French page: every rendered text is French from a catalogue, or data.

A text passes when its words can be cut into runs that are each a piece of a ``fr`` msgstr
(the compiled catalogues as installed: this package's, Django's, django-cas-server's,
django-otp's, django-dsfr's...; a msgstr is cut at its placeholders and HTML tags) or single
words of data. Data is what the database holds (every text column of every model but a few
whose text is code, not data, see ``NOT_DATA``; columns with choices are left out too, their
labels come from the catalogues) plus the text settings of this package: known, never
guessed. Numbers, dates, identifiers and other tokens with a digit pass, and so do single letters.
"""

from __future__ import annotations

import functools
import gettext
import re
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import models

from cas_educonnect.conf import DEFAULTS
from cas_educonnect.conf import settings as own

# Models whose text columns are not data shown to a person as such: Django's permission names
# (English, from the migrations), content types, sessions, the admin log's JSON messages.
NOT_DATA = {"auth.permission", "contenttypes.contenttype", "sessions.session", "admin.logentry"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{[\w.]*\}|<[^>]*>|\n")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# French elision: « d’Arthur » is the particle « d’ » then the name.
ELISION = re.compile(r"^(d|l|qu|j|n|s|c|m|t|jusqu|lorsqu|puisqu)['’](.+)$", re.IGNORECASE)
ELIDED = {f"{p}’" for p in ("d", "l", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu")}


def words(text: str) -> list[str]:
    """Lower-case words, elided particles split off and spelt with ’."""
    out: list[str] = []
    for word in WORD.findall(text.lower()):
        match = ELISION.match(word)
        if match:
            out.append(f"{match.group(1)}’")
            word = match.group(2)
        out.append(word.replace("'", "’"))
    return out


def catalogue_files(language: str = "fr") -> list[Path]:
    """Every compiled catalogue Django would read for ``language``."""
    dirs = [Path(django.__file__).parent / "conf" / "locale"]
    dirs += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    dirs += [Path(p) for p in getattr(settings, "LOCALE_PATHS", ())]
    return [
        mo
        for d in dirs
        for domain in ("django", "djangojs")
        if (mo := d / language / "LC_MESSAGES" / f"{domain}.mo").exists()
    ]


@functools.lru_cache(maxsize=1)
def catalogue_runs(language: str = "fr") -> frozenset[tuple[str, ...]]:
    """The word runs of every msgstr piece (a msgstr cut at placeholders and tags)."""
    runs: set[tuple[str, ...]] = set()
    for mo in catalogue_files(language):
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog
        for key, msgstr in catalog.items():
            if not key or not msgstr:  # the header
                continue
            for piece in PLACEHOLDER.split(msgstr):
                run = tuple(words(piece))
                if run:
                    runs.add(run)
    return frozenset(runs)


def data_words() -> set[str]:
    """Every word of the text data in the database and of this package's text settings."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.label_lower in NOT_DATA or model._meta.proxy:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields).distinct():
            for value in row:
                if value:
                    found.update(words(str(value)))
    names = {name for name in dir(settings) if name.startswith("CAS_")} | set(DEFAULTS)
    for name in names:
        found.update(_setting_words(getattr(own, name, None)))
    return found


def _setting_words(value) -> set[str]:
    """The words of a text setting, of the texts in a dict or list setting too (legal facts...)."""
    if isinstance(value, str):
        return words(value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return set().union(*(_setting_words(item) for item in value)) if value else set()
    return set()


def not_french(texts: list[str], data: set[str], language: str = "fr") -> list[str]:
    """The texts that no cut into catalogue runs and data words explains."""
    runs = catalogue_runs(language)
    longest = max(len(run) for run in runs)
    bad = []
    for text in texts:
        tokens = words(text)
        reach = [True] + [False] * len(tokens)
        for i in range(len(tokens)):
            if not reach[i]:
                continue
            token = tokens[i]
            # A single letter (an initial, the A to Z of a list) or a token with a digit is no language.
            if token in data or token in ELIDED or len(token) == 1 or any(c.isdigit() for c in token):
                reach[i + 1] = True
            for j in range(i + 1, min(len(tokens), i + longest) + 1):
                if not reach[j] and tuple(tokens[i:j]) in runs:
                    reach[j] = True
        if not reach[-1]:
            bad.append(text)
    return bad
