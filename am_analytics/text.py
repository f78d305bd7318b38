"""Text folding shared by header matching and value normalising: what two spellings have in common."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Characters that exports and copy-pastes leave inside cells without showing them: zero-width space and
# joiners, soft hyphen, word joiner, byte-order mark. They make "Nord" differ from "Nord" for a computer only.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u00ad\u2060\ufeff]")


def visible(text: str) -> str:
    """The text without invisible characters, no-break spaces made plain, surrounding spaces removed."""
    return _INVISIBLE.sub("", text).replace("\u00a0", " ").replace("\u202f", " ").strip()


def fold(text: str, joiner: str = " ") -> str:
    """Accents stripped, lower case, every run of other characters (punctuation, °, €, spaces) replaced
    by one `joiner`: "Aide-soignant·e" → "aide soignant e", "N°contrat" → "n contrat"."""
    # œ and æ have no decomposition: spelled out so that "Cœur" and "Coeur" fold alike
    text = _INVISIBLE.sub("", str(text))
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(joiner, plain.lower()).strip(joiner)
