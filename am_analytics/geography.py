"""Geography normaliser: any département or region written as code or name maps to its COG code.

Real files write the same territory in many ways: codes that lost their leading zeros (`1`, `001`),
lower-case Corsica (`2a`), upper-case unaccented names (`COTE D OR`), hand-typed names
(`Bouches du Rhone`), HTML entities (`Rh&ocirc;ne`), pre-2016 regions (`Midi-Pyrénées`, `73`).
Département and region codes collide (`11`, `75`, `84`), so the caller always says which level it
normalises. A value that cannot be mapped with certainty is reported, never guessed: `20` (old Corsica
code, split into 2A and 2B in 1976) is ambiguous, and a typo is unknown with its closest names.

The work is vectorised the usual way for categorical text: each distinct value is resolved once and the
result broadcast back, so a million values cost about as much as their few hundred distinct spellings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache
from typing import Literal

import pandas as pd
from rapidfuzz import process as fuzzy

from am_analytics import reference
from am_analytics.distinct import resolve_distinct
from am_analytics.text import fold

Level = Literal["departement", "region"]

AMBIGUOUS_CORSICA = "20"


class GeographyError(ValueError):
    """A territory that cannot be mapped to one code; the message names it and its closest names."""

    def __init__(self, value: object, reason: str, message: str):
        self.value = value
        self.reason = reason
        super().__init__(message)


def simplify(text: str) -> str:
    """Upper-case, unaccented, punctuation-free form used to compare names: `Côtes-d'Armor` → `COTES D ARMOR`."""
    text = fold(html.unescape(text)).upper()
    # "St"/"Ste" are the usual hand-typed abbreviations of Saint/Sainte (Seine-St-Denis).
    text = re.sub(r"\bSTE\b", "SAINTE", text)
    return re.sub(r"\bST\b", "SAINT", text)


_ARTICLES = re.compile(r"^(LA|LE|LES|L) ")

# Names regions carried in 2016 before their definitive names, and usual abbreviations.
_REGION_EXTRA_ALIASES = {
    "ALSACE CHAMPAGNE ARDENNE LORRAINE": "44",
    "ACAL": "44",
    "AQUITAINE LIMOUSIN POITOU CHARENTES": "75",
    "ALPC": "75",
    "LANGUEDOC ROUSSILLON MIDI PYRENEES": "76",
    "LRMP": "76",
    "NORD PAS DE CALAIS PICARDIE": "32",
    "NPDCP": "32",
    "PACA": "93",
    "IDF": "11",
    "ARA": "84",
    "AURA": "84",
    "BFC": "27",
    "HDF": "32",
    "CVL": "24",
}


def _with_article_variants(names: dict[str, str]) -> dict[str, str]:
    """Also accept a name without its leading article (`REUNION` for `LA REUNION`)."""
    result = dict(names)
    for key, code in names.items():
        bare = _ARTICLES.sub("", key)
        result.setdefault(bare, code)
    return result


@cache
def _departement_names() -> dict[str, str]:
    table = reference.departements()
    names: dict[str, str] = {}
    for column in ("name", "name_uppercase", "name_unaccented"):
        for code, name in zip(table["code"], table[column], strict=True):
            if isinstance(name, str):
                names[simplify(name)] = code
    return _with_article_variants(names)


@cache
def _departement_codes() -> frozenset[str]:
    return frozenset(reference.departements()["code"])


@cache
def _region_names() -> dict[str, str]:
    names: dict[str, str] = {}
    regions = reference.regions()
    for code, name in zip(regions["region_code"], regions["region_name"], strict=True):
        names[simplify(name)] = code
    old = reference.old_regions()
    for code, name in zip(old["region_code"], old["old_region_name"], strict=True):
        names.setdefault(simplify(name), code)
    names.update(_REGION_EXTRA_ALIASES)
    return _with_article_variants(names)


@cache
def _region_codes() -> dict[str, str]:
    """Current region codes map to themselves; pre-2016 codes (none of which collide) to their new region."""
    codes = {code: code for code in reference.regions()["region_code"]}
    old = reference.old_regions()
    for old_code, new_code in zip(old["old_region_code"], old["region_code"], strict=True):
        codes.setdefault(old_code, new_code)
    return codes


@cache
def _display_names(level: Level) -> dict[str, str]:
    """Official name of each code, to show the closest matches to a user."""
    if level == "departement":
        table = reference.departements()
        return dict(zip(table["code"], table["name"], strict=True))
    table = reference.regions()
    return dict(zip(table["region_code"], table["region_name"], strict=True))


_DEPT_CODE = re.compile(r"^0*(\d{1,3})$")
_CORSICA_CODE = re.compile(r"^0?2\s*([AB])$")
# "13 - Bouches-du-Rhône", "13 Bouches du Rhône": a code followed by its name.
_CODE_THEN_NAME = re.compile(r"^(\d{1,3}|0?2[AB])\s*[-–:]?\s+\D.*$")


def _departement_from_code(text: str) -> str | None:
    upper = text.upper()
    corsica = _CORSICA_CODE.match(upper)
    if corsica:
        return "2" + corsica.group(1)
    digits = _DEPT_CODE.match(upper)
    if not digits:
        return None
    number = int(digits.group(1))
    return f"{number:02d}" if number < 100 else str(number)


def _region_from_code(text: str) -> str | None:
    digits = _DEPT_CODE.match(text)
    if not digits:
        return None
    return f"{int(digits.group(1)):02d}"


def _closest(simplified: str, level: Level, limit: int = 3) -> list[str]:
    choices = _departement_names() if level == "departement" else _region_names()
    matches = fuzzy.extract(simplified, list(choices), limit=limit * 3)
    display = _display_names(level)
    seen: list[str] = []
    for _, _, index in matches:
        code = list(choices.values())[index]
        label = f"{display[code]} ({code})"
        if label not in seen:
            seen.append(label)
        if len(seen) == limit:
            break
    return seen


def _resolve(raw: object, level: Level) -> tuple[str | None, str | None, str | None]:
    """Resolve one distinct value: (code, reason, message). Exactly one of code and reason is set."""
    if raw is None or (not isinstance(raw, str) and pd.isna(raw)):
        return None, "valeur_manquante", "valeur absente"
    text = html.unescape(str(raw)).strip()
    if text == "":
        return None, "valeur_manquante", "valeur absente"
    if level == "departement":
        known_codes = _departement_codes()
        code = _departement_from_code(text)
        if code == AMBIGUOUS_CORSICA:
            return (
                None,
                "departement_ambigu",
                f"département « {text} » ambigu : 20 désignait la Corse, aujourd'hui Corse-du-Sud (2A) "
                "ou Haute-Corse (2B) ; corriger la source avec 2A ou 2B",
            )
        if code in known_codes:
            return code, None, None
        prefixed = _CODE_THEN_NAME.match(text)
        if code is None and prefixed:
            code = _departement_from_code(prefixed.group(1))
            if code in known_codes:
                return code, None, None
        names = _departement_names()
    else:
        code = _region_from_code(text)
        codes = _region_codes()
        if code in codes:
            return codes[code], None, None
        names = _region_names()
    simplified = simplify(text)
    if simplified in names:
        return names[simplified], None, None
    if level == "departement":
        reason, unknown = "departement_inconnu", "département inconnu"
        valid_codes = "01 à 95, 2A, 2B, 971 à 974, 976"
    else:
        reason, unknown = "region_inconnue", "région inconnue"
        valid_codes = ", ".join(sorted(set(_region_codes().values())))
    if code is not None or not simplified.strip("0123456789 "):
        # A code: the closest *names* mean nothing, the list of valid codes does.
        return None, reason, f"{unknown} « {text} » : code absent du COG (codes valides : {valid_codes})"
    closest = _closest(simplified, level)
    return None, reason, f"{unknown} « {text} » ; les plus proches : {', '.join(closest)}"


def _normalise(values: Iterable[object] | pd.Series, level: Level) -> pd.DataFrame:
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    return resolve_distinct(series, lambda value: _resolve(value, level), ("code", "reason", "message"))


def normalise_departements(values: Iterable[object] | pd.Series) -> pd.DataFrame:
    """Map département codes or names to COG codes, row by row, without guessing.

    Returns a frame aligned on the input with `code` (`<NA>` when unresolved), `reason`
    (`valeur_manquante`, `departement_ambigu`, `departement_inconnu` or `<NA>`) and `message`
    (French, naming the value and the closest known names).
    """
    return _normalise(values, "departement")


def normalise_regions(values: Iterable[object] | pd.Series) -> pd.DataFrame:
    """Map region codes or names, current or pre-2016, to the 2016 region code (same frame as above;
    the failure reason is `region_inconnue`)."""
    return _normalise(values, "region")


def _single(value: object, level: Level) -> str:
    code, reason, message = _resolve(value, level)
    if code is None:
        raise GeographyError(value, reason or "", message or "")
    return code


def normalise_departement_code(value: object) -> str:
    """One département to its COG code; raises `GeographyError` (a ValueError) when it cannot."""
    return _single(value, "departement")


def normalise_region_code(value: object) -> str:
    """One region (code or name, current or pre-2016) to its 2016 code; raises `GeographyError`."""
    return _single(value, "region")


def region_of_departements(codes: pd.Series) -> pd.Series:
    """The 2016 region code of each (already canonical) département code; `<NA>` where unknown."""
    table = reference.departements()
    mapping = dict(zip(table["code"], table["region_code"], strict=True))
    return codes.map(mapping).astype("string")


def departement_name(code: str) -> str:
    """Official name of a canonical département code."""
    return _display_names("departement")[code]


def region_name(code: str) -> str:
    """Official name of a canonical region code."""
    return _display_names("region")[code]
