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
from am_analytics.ingest.values import excel_integer
from am_analytics.text import fold, visible

Level = Literal["departement", "region"]

AMBIGUOUS_CORSICA = "20"


class GeographyError(ValueError):
    """A territory that cannot be mapped to one code; the message names it and its closest names."""

    def __init__(self, value: object, reason: str, message: str):
        self.value = value
        self.reason = reason
        super().__init__(message)


# Hand-typed abbreviations of name parts: Saint/Sainte (Seine-St-Denis), Haute/Hautes (Hte-Garonne,
# Htes-Pyrénées), and "&" for "et" (Ille-&-Vilaine).
_ABBREVIATIONS = ((re.compile(r"\bSTE\b"), "SAINTE"), (re.compile(r"\bST\b"), "SAINT"),
                  (re.compile(r"\bHTES\b"), "HAUTES"), (re.compile(r"\bHTE\b"), "HAUTE"))


def simplify(text: str) -> str:
    """Upper-case, unaccented, punctuation-free form used to compare names: `Côtes-d'Armor` → `COTES D ARMOR`."""
    text = fold(html.unescape(text).replace("&", " et ")).upper()
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return text


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
# "13 - Bouches-du-Rhône", "13 Bouches du Rhône", "62-Pas-de-Calais": a code followed by its name.
_CODE_THEN_NAME = re.compile(r"^(?P<code>\d{1,3}|0?2[AaBb])\s*(?:[-–:]\s*|\s+)(?P<name>\D.*)$")
# "Nord (59)", "Pas-de-Calais - 62": a name followed by its code.
_NAME_THEN_CODE = re.compile(
    r"^(?P<name>\D.*?)\s*(?:\((?P<code1>\d{1,3}|0?2[AaBb])\)|[-–:]\s*(?P<code2>\d{1,3}|0?2[AaBb]))$"
)
# "Corse" alone names two départements since 1976, like the code 20.
_AMBIGUOUS_NAMES = {"CORSE"}


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
    text = excel_integer(visible(html.unescape(str(raw))))
    if text == "":
        return None, "valeur_manquante", "valeur absente"
    if level == "departement":
        known_codes = _departement_codes()
        code = _departement_from_code(text)
        if code == AMBIGUOUS_CORSICA or (code is None and simplify(text) in _AMBIGUOUS_NAMES):
            return (
                None,
                "departement_ambigu",
                f"département « {text} » ambigu : 20 ou « Corse » désignait la Corse, aujourd'hui Corse-du-Sud "
                "(2A) ou Haute-Corse (2B) ; corriger la source avec 2A ou 2B",
            )
        if code in known_codes:
            return code, None, None
        if code is None and (both := _code_and_name(text)) is not None:
            return both
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
        caisse_hint = (
            " ; un code à trois chiffres est peut-être un code de caisse : intituler la colonne « Code caisse »"
            if level == "departement" and _THREE_DIGITS.match(text) else ""
        )
        return None, reason, f"{unknown} « {text} » : code absent du COG (codes valides : {valid_codes}){caisse_hint}"
    closest = _closest(simplified, level)
    return None, reason, f"{unknown} « {text} » ; les plus proches : {', '.join(closest)}"


def _code_and_name(text: str) -> tuple[str | None, str | None, str | None] | None:
    """A département written as code and name ("62-Pas-de-Calais", "Nord (59)", "59 - Nord"): both parts must
    name the same département; None when the text is not of that form."""
    match = _CODE_THEN_NAME.match(text) or _NAME_THEN_CODE.match(text)
    if match is None:
        return None
    parts = match.groupdict()
    code = _departement_from_code(parts.get("code") or parts.get("code1") or parts.get("code2") or "")
    if code not in _departement_codes():
        return None
    named = _departement_names().get(simplify(parts["name"]))
    if named is not None and named != code:
        return (
            None,
            "departement_incoherent",
            f"département « {text} » incohérent : le code {code} ({_display_names('departement')[code]}) et le "
            f"nom ({_display_names('departement')[named]}) ne désignent pas le même département",
        )
    return code, None, None


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


# --- Caisses (CPAM and CGSS) as geography -------------------------------------------------------------
# Contract extracts are often keyed by the caisse that signed the contract rather than by département: a
# three-digit organisme code ("599") or a name ("CPAM du Hainaut"). A caisse maps to its département through
# the sourced reference table; a code absent from it is reported, never derived from its digits (a caisse
# code is not a département code with a digit appended, and stripping zeros turns "011" into Aude).

_CAISSE_PREFIX = re.compile(
    r"^(?:CPAM|CGSS|CAISSE PRIMAIRE (?:D )?ASSURANCE MALADIE|CAISSE GENERALE (?:DE )?SECURITE SOCIALE)"
    r"(?: (?:DE LA|DE L|DES|DU|DE|D))? (?P<rest>.+)$"
)
_THREE_DIGITS = re.compile(r"^\d{3}$")
_OVERSEAS = frozenset({"971", "972", "973", "974", "976"})


@cache
def _caisse_codes() -> dict[str, str]:
    """Organisme code → département, for the caisses whose code the reference confirms."""
    table = reference.caisses()
    coded = table[table["organisme_code"].notna()]
    return dict(zip(coded["organisme_code"], coded["departement"], strict=True))


def structural_departement(code: str) -> str | None:
    """The département of a caisse's organisme code read from its structure, or None.

    A caisse of the general regime is coded by its département's number followed by the caisse's own digit
    (Ain 011, Bouches-du-Rhône 131, Hainaut 599 in the Nord; the overseas CGSS take their département's code:
    974), so the département of a code the reference table does not list is still known — every code the
    table confirms follows this structure (a test checks it). Corse (201, 202…) is not read: its two
    départements share the digits « 20 ». Used only where a column holds caisses (by its header, by the
    user's declaration, or by codes the table confirms): in a département column « 100 » is a typo."""
    if not (len(code) == 3 and code.isdigit()):
        return None
    if code in _OVERSEAS:
        return code
    departement = code[:2]
    if departement == "20" or departement not in _display_names("departement"):
        return None
    return departement


@cache
def _caisse_names() -> dict[str, tuple[str, str]]:
    """Simplified name (without "CPAM de") → (caisse as stored: its code, else its name; département)."""
    names: dict[str, tuple[str, str]] = {}
    table = reference.caisses()
    for code, name, departement in table[["organisme_code", "name", "departement"]].itertuples(index=False):
        stored = code if isinstance(code, str) else name
        simplified = simplify(name)
        match = _CAISSE_PREFIX.match(simplified)
        names[match["rest"] if match else simplified] = (stored, departement)
    return names


@cache
def _caisses_of_departement() -> dict[str, list[str]]:
    """Département → the caisses the reference lists for it (stored as code, else name)."""
    listed: dict[str, list[str]] = {}
    for code, name, departement in reference.caisses()[["organisme_code", "name", "departement"]].itertuples(
        index=False
    ):
        listed.setdefault(departement, []).append(code if isinstance(code, str) else name)
    return listed


def _caisse_by_name(text: str) -> tuple[str, str] | None:
    """(caisse, département) for "CPAM du Hainaut", "CPAM Marseille", "CPAM des Bouches-du-Rhône"."""
    match = _CAISSE_PREFIX.match(simplify(text))
    if match is None:
        return None
    rest = match["rest"]
    if rest in _caisse_names():
        return _caisse_names()[rest]
    departement = _departement_names().get(rest)
    if departement is None:
        return None
    listed = _caisses_of_departement().get(departement, [])
    if len(listed) > 1:
        return None  # "CPAM du Nord": no such caisse, the Nord has several
    # "CPAM des Bouches-du-Rhône": the département's one caisse, under its code when the reference has it.
    return (listed[0] if listed else "CPAM " + _display_names("departement")[departement]), departement


def _resolve_caisse(raw: object, declared: bool) -> tuple[str | None, str | None, str | None, str | None]:
    """(caisse, département, reason, message) of one value read as a caisse."""
    if raw is None or (not isinstance(raw, str) and pd.isna(raw)):
        return None, None, "valeur_manquante", "valeur absente"
    text = excel_integer(visible(html.unescape(str(raw))))
    if text == "":
        return None, None, "valeur_manquante", "valeur absente"
    if text.isdigit():
        # In a column declared as caisses, a code that lost its zeros to Excel ("11") is padded back.
        code = text.zfill(3) if declared and len(text) < 3 else text
        if code in _caisse_codes():
            return code, _caisse_codes()[code], None, None
        if structural_departement(code) is not None:
            return code, structural_departement(code), None, None
        return None, None, "caisse_inconnue", (
            f"code de caisse « {text} » absent de la table de référence des caisses : écrire le département "
            "de la caisse dans une colonne « Département », ou son nom (« CPAM du Hainaut »)"
        )
    found = _caisse_by_name(text)
    if found is not None:
        return found[0], found[1], None, None
    names = [name for name in reference.caisses()["name"]]
    closest = [name for name, _, _ in fuzzy.extract(text, names, limit=3)]
    return None, None, "caisse_inconnue", f"caisse « {text} » inconnue ; les plus proches : {', '.join(closest)}"


def normalise_caisses(values: Iterable[object] | pd.Series, *, declared: bool = True) -> pd.DataFrame:
    """Caisse codes or names → frame aligned on the input with `caisse` (organisme code, or the caisse's name
    where the reference has no confirmed code), `departement`, `reason` (`caisse_inconnue`,
    `valeur_manquante` or `<NA>`) and `message`. With `declared`, 1–2-digit codes are taken as codes whose
    leading zeros Excel removed."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    return resolve_distinct(
        series, lambda value: _resolve_caisse(value, declared), ("caisse", "departement", "reason", "message")
    )


GeographyReading = Literal["departement", "caisse", "ambigu"]


def _value_kinds(text: str) -> tuple[bool, bool]:
    """(can be read as a caisse, can be read as a département) for one value of a département column.

    A caisse is a code of the reference table or a caisse's name. A three-digit number other than an
    overseas code is a département only as a zero-padded "0NN" that is no known caisse code: a caisse code is
    never turned into a département by stripping its zeros."""
    value = excel_integer(visible(html.unescape(text)))
    # Only a code the reference lists decides that a département column holds caisses: a typo (« 100 ») has a
    # caisse's shape too. A column named or declared as caisses reads every well-formed code.
    caisse = (value in _caisse_codes()) or (not value.isdigit() and _caisse_by_name(value) is not None)
    if value.isdigit() and _THREE_DIGITS.match(value) and value not in _OVERSEAS:
        return caisse, value.startswith("0") and not caisse and _resolve(value, "departement")[0] is not None
    code, _, _ = _resolve(value, "departement")
    return caisse, code is not None


def geography_column_reading(values: pd.Series) -> tuple[GeographyReading, list[str]]:
    """How a département column must be read, decided for the whole column, never per value, with the
    values that decided it.

    "caisse" when some values can only be caisse codes or names and none only a département; "ambigu" when
    some values can only be caisses and others only départements (a caisse code Excel stripped of its zeros
    looks like a département: "0591" → "591", "011" → "11"); else "departement".
    """
    distinct = [str(v) for v in pd.unique(values.dropna().astype("string")) if str(v).strip()]
    kinds = {value: _value_kinds(value) for value in distinct}
    caisse_only = [v for v, (caisse, departement) in kinds.items() if caisse and not departement]
    if not caisse_only:
        return "departement", []
    # Values that read as neither (a typo, an unknown code) are rejected whichever way the column is read:
    # only values that read as départements and not as caisses make the column ambiguous.
    departement_only = [v for v, (caisse, departement) in kinds.items() if departement and not caisse]
    if not departement_only:
        return "caisse", caisse_only[:3]
    return "ambigu", caisse_only[:3] + departement_only[:3]
