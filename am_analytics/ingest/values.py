"""Value normalisers: raw text cells → canonical values, each failure carrying a quarantine reason code.

Every normaliser takes a Series of raw cells and returns a frame on the same index with a `value`
column (the canonical value, NA where it failed or was empty) and a `reason` column (NA, or a code of
`vocabulary.REASONS`), so the pipeline can quarantine a row naming its file, line,
column and value. Work is done once per distinct value and broadcast back (`pd.factorize`), so a
million rows with a few hundred distinct spellings cost a few hundred parses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from fractions import Fraction

import numpy as np
import pandas as pd

from am_analytics.distinct import resolve_distinct
from am_analytics.text import fold
from am_analytics.vocabulary import ETP_OPTIONS, FORMATIONS, PROFILS, SPECIALITES, ZONES

MISSING = "valeur_manquante"

__all__ = [  # `fold` is re-exported: callers compare free text the way the normalisers do
    "DATE_FORMATS", "fold", "normalise_contrat_ids", "normalise_dates", "normalise_etp",
    "normalise_formations", "normalise_numbers", "normalise_profils", "normalise_rpps",
    "normalise_specialites", "normalise_zones",
]

Parsed = tuple[object, str | None]  # (canonical value or None, reason code or None)


# --- Shared machinery --------------------------------------------------------------------------------


def _blank_to_na(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _by_unique(
    values: pd.Series,
    parse: Callable[[str], Parsed],
    *,
    dtype: str,
    empty: Parsed,
) -> pd.DataFrame:
    """Apply `parse` to each distinct non-empty value once and broadcast (value, reason) to every row."""
    return resolve_distinct(
        _blank_to_na(values),
        lambda text: empty if text is None else parse(text),
        ("value", "reason"),
        dtypes=(dtype, "string"),
    )


def _category_lookup(labels: Mapping[str, str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Folded spelling → canonical key; each key and its vocabulary label are spellings too."""
    lookup = {}
    for key, label in labels.items():
        for spelling in (key, label, *aliases.get(key, ())):
            lookup[fold(spelling)] = key
    return lookup


def _normalise_category(
    values: pd.Series,
    lookup: Mapping[str, str],
    unknown: str,
    *,
    empty: Parsed,
    extra: Callable[[str], str | None] | None = None,
) -> pd.DataFrame:
    def parse(text: str) -> Parsed:
        key = fold(text)
        if key in lookup:
            return lookup[key], None
        if extra is not None and (found := extra(key)) is not None:
            return found, None
        return None, unknown

    return _by_unique(values, parse, dtype="string", empty=empty)


def _empty(required: bool) -> Parsed:
    return (None, MISSING) if required else (None, None)


# --- FTE option --------------------------------------------------------------------------------------

_ETP_WORDS = {
    "tiers temps": "1/3",
    "mi temps": "1/2",
    "demi temps": "1/2",
    "temps plein": "1",
    "plein temps": "1",
    "temps complet": "1",
}
# Avenant 7 numbered the options: option 1 = 1/3 FTE, option 2 = 1/2 FTE, option 3 = full time.
_AVENANT7_OPTIONS = {"1": "1/3", "2": "1/2", "3": "1"}
# 0.33 and 0.333 are 1/3 written with two or three decimals; 0.01 separates them from any other option.
_ETP_TOLERANCE = 0.01


def normalise_etp(values: pd.Series, *, required: bool = True) -> pd.DataFrame:
    """FTE option label (`vocabulary.ETP_OPTIONS` key: "1/3", "1/2", "1", "1+1/2", "1+1") from "0,33",
    "33 %", "tiers-temps", "mi-temps", "temps plein", "option 2", "1 + 1/2", "150 %"…; negative, zero,
    above 2 or unreadable → `etp_invalide`."""
    return _by_unique(values, _parse_etp, dtype="string", empty=_empty(required))


def _parse_etp(text: str) -> Parsed:
    folded = fold(text)
    if folded in _ETP_WORDS:
        return _ETP_WORDS[folded], None
    if match := re.fullmatch(r"option ?([123])", folded):
        return _AVENANT7_OPTIONS[match.group(1)], None
    compact = re.sub(r"\s+", "", text.lower()).replace(",", ".").removesuffix("etp")
    terms = [_fte_number(term) for term in compact.split("+")]
    if not terms or any(t is None for t in terms):
        return None, "etp_invalide"
    total = sum(terms)  # a second assistant is written "1 + 1/2": the contract funds the sum
    for label, fraction in ETP_OPTIONS.items():
        if abs(total - float(fraction)) <= _ETP_TOLERANCE:
            return label, None
    return None, "etp_invalide"


def _fte_number(term: str) -> float | None:
    """A non-negative FTE written as a fraction ("1/3"), a percentage ("33%") or a decimal ("0.33")."""
    try:
        if match := re.fullmatch(r"(\d+)/(\d+)", term):
            return float(Fraction(int(match.group(1)), int(match.group(2))))
        if match := re.fullmatch(r"(\d+(?:\.\d+)?)%", term):
            return float(match.group(1)) / 100
        if re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", term):
            return float(term)
    except ZeroDivisionError:
        return None
    return None  # negative values, words, empty terms ("1+")


# --- Categories ----------------------------------------------------------------------------------------

_PROFIL_ALIASES = {
    "secretaire_medicale": ("Secrétaire", "Secrétaire médical", "Secrétariat médical"),
    "infirmier": ("IDE", "Infirmière", "Infirmier", "Infirmier diplômé d'État", "Infirmière diplômée d'État"),
    "aide_soignant": ("Aide-soignante", "Aide-soignant", "AS", "DEAS"),
    "auxiliaire_puericulture": ("DEAP", "AP", "Auxiliaire puériculture", "Auxiliaire de puériculture"),
    "assistant_dentaire": ("Assistante dentaire", "Assistant dentaire"),
    "autre_sante": ("Autre paramédical", "Autre profession de santé", "Autre santé", "Paramédical"),
    "hors_sante": (
        "Reconversion",
        "Reconversion professionnelle",
        "Sans expérience santé",
        "Sans expérience en santé",
        "Hors santé",
    ),
    "inconnu": ("Inconnu", "Non renseigné", "NR"),
}
_PROFILS = _category_lookup(PROFILS, _PROFIL_ALIASES)


def normalise_profils(values: pd.Series) -> pd.DataFrame:
    """Background (`vocabulary.PROFILS` key) from "IDE", "Infirmière", "AS", "DEAP", "Reconversion"…;
    an empty cell is `inconnu` (a known unknown, kept), unrecognised text is `profil_inconnu`."""
    return _normalise_category(values, _PROFILS, "profil_inconnu", empty=("inconnu", None))


_SPECIALITE_ALIASES = {
    "medecine_generale": ("MG", "Généraliste", "Médecin généraliste", "Médecine générale"),
    "cardiologie": ("Cardiologue", "Cardiologie et maladies vasculaires"),
    "ophtalmologie": ("Ophtalmologue", "Ophtalmo"),
    "pediatrie": ("Pédiatre",),
    "dermatologie": ("Dermatologue", "Dermato", "Dermatologie et vénéréologie"),
    "psychiatrie": ("Psychiatre",),
    "autre": ("Autre", "Autres", "Autre spécialité", "ORL"),
}
_SPECIALITES = _category_lookup(SPECIALITES, _SPECIALITE_ALIASES)
# Specialties the scheme funds but the analysis groups as "autre": recognised by their stem, so that
# "Neurologue", "Chirurgie orthopédique" or "Gynécologie médicale" are not quarantined as unknown.
_OTHER_SPECIALTY_STEMS = (
    "addictolog", "allergolog", "anatomo", "anesthes", "angiolog", "chirurg", "diabetolog", "endocrin",
    "gastro", "genetique", "geriatr", "gerontolog", "gyneco", "hematolog", "hepato", "infectiolog",
    "medecine d urgence", "medecine du sport", "medecine du travail", "medecine interne",
    "medecine nucleaire", "medecine physique", "medecine vasculaire", "nephrolog", "neurolog",
    "obstetri", "oncolog", "oto rhino", "pneumolog", "radiolog", "radiotherap", "rhumatolog",
    "stomatolog", "urolog",
)


def _other_specialty(folded: str) -> str | None:
    return "autre" if folded.startswith(_OTHER_SPECIALTY_STEMS) else None


def normalise_specialites(values: pd.Series, *, required: bool = False) -> pd.DataFrame:
    """Specialty (`vocabulary.SPECIALITES` key) from "MG", "Généraliste", "Cardiologue"…; other known
    specialties ("Neurologie", "Chirurgie…") → `autre`; unrecognised text → `specialite_inconnue`."""
    return _normalise_category(
        values, _SPECIALITES, "specialite_inconnue", empty=_empty(required), extra=_other_specialty
    )


_ZONE_ALIASES = {
    "zip": ("ZIP",),
    "zac": ("ZAC",),
    "hors_zone": ("Hors zone", "Hors ZIP/ZAC", "Hors ZIP et ZAC", "Hors zone sous-dense"),
}
_ZONES = _category_lookup(ZONES, _ZONE_ALIASES)


def normalise_zones(values: pd.Series, *, required: bool = False) -> pd.DataFrame:
    """Under-served zone (`zip`, `zac`, `hors_zone`); empty stays NA; unrecognised → `zone_inconnue`."""
    return _normalise_category(values, _ZONES, "zone_inconnue", empty=_empty(required))


_FORMATION_ALIASES = {
    "cqp_obtenu": ("CQP obtenu", "CQP validé"),
    "cqp_en_cours": ("CQP en cours", "En cours de CQP"),
    "diplome_etat_fae": ("Diplôme d'État + FAE", "DE + FAE", "Diplôme d'État et FAE", "DE et FAE"),
    "aucune": ("Aucune", "Aucune formation", "Sans formation"),
}
_FORMATIONS = _category_lookup(FORMATIONS, _FORMATION_ALIASES)


def normalise_formations(values: pd.Series, *, required: bool = False) -> pd.DataFrame:
    """Training status (`vocabulary.FORMATIONS` key); empty stays NA; unrecognised → `formation_inconnue`."""
    return _normalise_category(values, _FORMATIONS, "formation_inconnue", empty=_empty(required))


# --- Dates ---------------------------------------------------------------------------------------------

# Tried in this order on the values not yet parsed; day-first throughout, as French exports write dates.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
# Excel's 1900 date system counts days from 1899-12-30 (its phantom 29 Feb 1900 included) for any date
# after February 1900. Serials are accepted only for 1990–2099: a bare "2021" is a year typed in the
# wrong column, not 13 July 1905.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL_RANGE = (32874, 73415)  # 1990-01-01, 2099-12-31
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")  # "44259", "44259.0", "44259,0" (French Excel)


def normalise_dates(values: pd.Series, *, required: bool = False) -> pd.DataFrame:
    """Dates (`datetime64`, time of day dropped) from ISO, DD/MM/YYYY, DD/MM/YY, D/M/YYYY, DD-MM-YYYY or an
    Excel serial ("44259", "44259.0", 1900 date system); anything else → `date_invalide`; empty → NA
    (`valeur_manquante` when required)."""
    text = _blank_to_na(values)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype="string")
    parsed = pd.Series(pd.NaT, index=distinct.index, dtype="datetime64[us]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(distinct[todo], format=fmt, errors="coerce")
    serial = parsed.isna() & distinct.str.fullmatch(_SERIAL.pattern).fillna(False)
    if serial.any():
        days = pd.to_numeric(distinct[serial].str.replace(",", ".", regex=False)).astype("float64")
        days = days.where(days.between(*_SERIAL_RANGE))
        parsed[serial] = _EXCEL_EPOCH + pd.to_timedelta(np.floor(days), unit="D")
    parsed = parsed.dt.normalize()
    reasons = pd.Series(np.where(parsed.isna(), "date_invalide", None), dtype="string")
    empty_reason = MISSING if required else None
    value = np.append(parsed.to_numpy(), np.datetime64("NaT", "us"))[codes]
    reason = np.append(reasons.to_numpy(dtype=object, na_value=None), empty_reason)[codes]
    return pd.DataFrame(
        {"value": pd.Series(value, dtype="datetime64[us]").to_numpy(), "reason": pd.array(reason, dtype="string")},
        index=values.index,
    )


# --- Numbers -------------------------------------------------------------------------------------------

# "NS" (non significatif) marks a count too small to publish: not a number, not an error either.
_NOT_SIGNIFICANT = {"ns", "n s", "non significatif", "secret", "secret statistique"}
# Thousands separators: space, no-break space (U+00A0), narrow no-break space (U+202F), thin space;
# units that exports leave in the cell.
_NUMBER_NOISE = re.compile(r"[\s\u00a0\u202f\u2009€%]")


def normalise_numbers(values: pd.Series, *, required: bool = False) -> pd.DataFrame:
    """Decimal numbers (`Float64`) written the French way ("1 234,5", "1.234,5") or not ("1234.5").

    Columns: `value`, `reason` (`nombre_invalide`, or `valeur_manquante` when required and empty) and
    `non_significatif` (True where the cell said "NS": the value is NA on purpose, not missing).
    A lone separator followed by three digits ("1,234" or "1.234") is read as a decimal separator.
    """

    def parse(text: str) -> Parsed:
        if fold(text) in _NOT_SIGNIFICANT:
            return None, "ns"
        number = _french_number(text)
        return (number, None) if number is not None else (None, "nombre_invalide")

    result = _by_unique(values, parse, dtype="Float64", empty=_empty(required))
    not_significant = result["reason"].eq("ns").fillna(False).astype(bool)
    result["reason"] = result["reason"].mask(not_significant)
    result["non_significatif"] = not_significant
    return result


def _french_number(text: str) -> float | None:
    compact = _NUMBER_NOISE.sub("", text).replace("\u2212", "-")  # U+2212 is the typographic minus
    commas, dots = compact.count(","), compact.count(".")
    if commas and dots:
        # Both present: the last one is the decimal separator, the other groups thousands.
        thousands = "." if compact.rfind(",") > compact.rfind(".") else ","
        compact = compact.replace(thousands, "").replace(",", ".")
    elif commas > 1 or dots > 1:
        compact = compact.replace(",", "").replace(".", "")  # "1.234.567": grouping only
    else:
        compact = compact.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", compact):
        return None
    number = float(compact)
    return number if np.isfinite(number) else None  # 400 digits make `inf`, which no sum survives


# --- Identifiers ---------------------------------------------------------------------------------------

_RPPS = re.compile(r"\d{11}")


def normalise_rpps(values: pd.Series, *, required: bool = True) -> pd.DataFrame:
    """RPPS numbers kept as text (11 digits, spaces removed); other lengths or characters →
    `rpps_invalide`, empty → `valeur_manquante`."""

    def parse(text: str) -> Parsed:
        digits = re.sub(r"\s+", "", text)
        return (digits, None) if _RPPS.fullmatch(digits) else (None, "rpps_invalide")

    return _by_unique(values, parse, dtype="string", empty=_empty(required))


def normalise_contrat_ids(values: pd.Series) -> pd.DataFrame:
    """Contract numbers kept as written (surrounding spaces removed); empty → `contrat_id_manquant`."""
    return _by_unique(values, lambda text: (text, None), dtype="string", empty=(None, "contrat_id_manquant"))
