"""Columns outside a dataset's schema: which look like direct identifiers, judged by header and values, never shown.

Extracts carry columns nobody asked for (the doctor's name, the assistant's NIR, an e-mail, a comment). They
are dropped at the read step; the manifest lists them by name and flags those that look like direct
identifiers so that whoever sent the file can stop sending them. No value of such a column is ever copied
anywhere: the judgement on values returns a yes or no, nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from am_analytics.text import fold

# Header words (folded) of direct identifiers: names, NIR, Assurance Maladie numbers, contact details,
# addresses, free comments (which hold anything), birth dates.
_IDENTIFIER_HEADER = re.compile(
    r"\b(nom|noms|prenom|prenoms|patronyme|nom de naissance|nom d usage|nir|secu|securite sociale|"
    r"n ss|nss|matricule|immatriculation|numero d assure|n assure|num assure|ins|mail|e mail|email|courriel|"
    r"telephone|tel|portable|mobile|fax|adresse|rue|voie|code postal|cp|commentaire|commentaires|remarque|"
    r"remarques|observation|observations|note|notes|precision|precisions|date de naissance|naissance|iban)\b"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_PHONE = re.compile(r"^(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}$")
# NIR: sex (1, 2, or 7/8 for temporary numbers), year, month, département (2A/2B), commune, order, key.
_NIR = re.compile(r"^[1278]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}(?:\s?\d{2})?$")
# Free text: several words, long on average (a comment, an address).
_FREE_TEXT_WORDS = 4
# Share of a sample's values that must look like an identifier for the column to be flagged.
_VALUE_SHARE = 0.3
_SAMPLE = 200


@dataclass(frozen=True)
class DroppedColumn:
    """A column read from a file and dropped because no dataset column is it (name only, never values)."""

    column: str
    likely_identifier: bool
    why: str | None  # "en-tête", "valeurs" or None

    def as_record(self) -> dict[str, object]:
        return {"column": self.column, "likely_identifier": self.likely_identifier, "why": self.why}


def judge_column(name: str, values: pd.Series) -> DroppedColumn:
    """Whether a dropped column looks like a direct identifier, by its header or by a sample of its values."""
    if _IDENTIFIER_HEADER.search(fold(name)):
        return DroppedColumn(name, True, "en-tête")
    if _values_look_identifying(values):
        return DroppedColumn(name, True, "valeurs")
    return DroppedColumn(name, False, None)


def _values_look_identifying(values: pd.Series) -> bool:
    sample = values.dropna().astype(str).str.strip()
    sample = sample[sample != ""].head(_SAMPLE)
    if sample.empty:
        return False
    looks = sample.map(
        lambda v: bool(_EMAIL.match(v) or _PHONE.match(v) or _NIR.match(v)) or len(v.split()) >= _FREE_TEXT_WORDS
    )
    return looks.mean() >= _VALUE_SHARE
