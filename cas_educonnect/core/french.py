"""French grammar the catalogue alone cannot give: the elision of « de » before a name.

« Date de naissance de Léa » but « Date de naissance d'Arthur »: a message put before a
name is given twice, the second under the context ``ELIDED`` whose French says « d' ».
"""

from __future__ import annotations

import unicodedata

#: The gettext context of the messages whose « de » is elided before the name that follows.
ELIDED = "before a vowel"
VOWELS = "aeiou"
#: First names whose h is aspirated (« de Hamid »); any other h is mute (« d'Hugo »).
ASPIRATED_H = frozenset({"hamid", "hamza", "hassan", "hakim", "halima", "hanane", "hicham", "hocine", "houda"})


def _bare(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def elides(name: str) -> bool:
    """Whether French elides « de » before ``name``: a vowel, a mute h, or y before a consonant."""
    first = _bare(name).split(" ")[0].split("-")[0]
    if not first:
        return False
    if first[0] in VOWELS:
        return True
    if first[0] == "h":
        return first not in ASPIRATED_H
    return first[0] == "y" and len(first) > 1 and first[1] not in VOWELS + "y"


def before_name(name: str, message: str, elided_message: str) -> str:
    """``elided_message`` (French « d' ») when ``name`` elides « de », else ``message``.

    Callers pass both translations, the second looked up under the ``ELIDED`` context, e.g.
    ``before_name(name, _("Birth date of %(name)s"), pgettext(ELIDED, "Birth date of %(name)s"))``,
    so both stay extractable.
    """
    return elided_message if elides(name) else message
