"""Text folding shared by header matching and value normalising: what two spellings have in common."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str, joiner: str = " ") -> str:
    """Accents stripped, lower case, every run of other characters (punctuation, °, €, spaces) replaced
    by one `joiner`: "Aide-soignant·e" → "aide soignant e", "N°contrat" → "n contrat"."""
    # œ and æ have no decomposition: spelled out so that "Cœur" and "Coeur" fold alike
    decomposed = unicodedata.normalize("NFKD", str(text).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(joiner, plain.lower()).strip(joiner)
