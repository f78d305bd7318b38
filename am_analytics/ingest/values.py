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
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import OSA

from am_analytics import reference
from am_analytics.distinct import resolve_distinct
from am_analytics.text import fold, visible
from am_analytics.vocabulary import CONVENTION_2024, ETP_OPTIONS, FORMATIONS, PROFILS, SPECIALITES, ZONES

MISSING = "valeur_manquante"

__all__ = [  # `fold` is re-exported: callers compare free text the way the normalisers do
    "ACCEPTED_DATES", "AVENANT7_OPTIONS", "DATE_FORMATS", "PLAUSIBLE_AID_EUR", "SPREADSHEET_ERRORS",
    "accepted_spellings", "error_cells", "etp_column_reading", "excel_integer", "fold", "is_scientific",
    "normalise_amounts", "normalise_contrat_ids",
    "normalise_dates", "normalise_etp", "normalise_formations", "normalise_numbers", "normalise_periods",
    "normalise_profils", "normalise_rpps", "normalise_specialites", "normalise_years", "normalise_zones",
    "specialty_code", "visible",
]

Parsed = tuple[object, str | None]  # (canonical value or None, reason code or None)


# --- Shared machinery --------------------------------------------------------------------------------

# Excel re-saves an integer typed in a "Standard" cell as "59.0" (or "59,0" in French): a code, not a decimal.
_EXCEL_INTEGER = re.compile(r"^(\d+)[.,]0+$")
# "1,00012E+10": an identifier Excel displayed in scientific notation and saved so, its last digits lost.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")


def excel_integer(text: str) -> str:
    """ "59.0" → "59": an integer code Excel re-saved with a decimal part; anything else unchanged."""
    match = _EXCEL_INTEGER.match(text)
    return match.group(1) if match else text


def is_scientific(text: str) -> bool:
    """True for "1,00012E+10": a number in scientific notation (an identifier Excel has destroyed)."""
    return bool(_SCIENTIFIC.match(text))


# Characters `visible` removes or replaces, searched for in a whole column at once before any value is parsed.
_NOT_PLAIN = "[\u200b\u200c\u200d\u00ad\u2060\ufeff\u00a0\u202f]"


# What a spreadsheet shows in a cell whose formula failed (English and French Excel, LibreOffice's `Err:502`):
# the source's value is lost, which is neither a blank nor a value to read.
SPREADSHEET_ERRORS = (
    "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA",
    "#VALEUR!", "#NOM?", "#NOMBRE!", "#NUL!", "#N/D",
)
_LIBREOFFICE_ERROR = r"Err:\d{3}"


def error_cells(values: pd.Series) -> np.ndarray:
    """Where a column holds a spreadsheet's error cell (`#N/A`, `#REF!`, `Err:502`...), as a boolean array.

    Only cells starting with "#" or "Err:" are looked at closely: one vectorised test per column keeps a million
    rows without any error cell at a few milliseconds."""
    arrow = arrow_text(values)
    maybe = pc.or_(pc.starts_with(arrow, "#"), pc.starts_with(arrow, "Err:"))
    maybe = maybe.fill_null(False).to_numpy(zero_copy_only=False)
    if not maybe.any():
        return maybe
    candidates = values[maybe].astype("string").str.strip()
    found = candidates.str.upper().isin(SPREADSHEET_ERRORS) | candidates.str.fullmatch(_LIBREOFFICE_ERROR)
    maybe[maybe] = found.fillna(False).to_numpy(dtype=bool)
    return maybe


def arrow_text(values: pd.Series) -> pa.ChunkedArray | pa.Array:
    """A text column as Arrow strings, without a copy when Arrow already holds it (as the reader gives it)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        return pa.chunked_array(pa.array(values.array))
    return pa.array(values.astype(object).where(values.notna(), None).to_numpy(dtype=object), type=pa.large_string())


def _blank_to_na(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    if text.str.contains(_NOT_PLAIN, regex=True).fillna(False).any():
        # Vectorised: a million identifiers cost a tenth of a second here, seconds value by value.
        text = text.str.replace("[\u200b\u200c\u200d\u00ad\u2060\ufeff]", "", regex=True)
        text = text.str.replace("[\u00a0\u202f]", " ", regex=True)
    text = text.str.strip()
    return text.mask(text == "")


def _by_unique(
    values: pd.Series,
    parse: Callable[[str], Parsed],
    *,
    dtype: str,
    empty: Parsed,
    plain: str | None = None,
    special: str | None = None,
) -> pd.DataFrame:
    """Apply `parse` to each distinct non-empty value once and broadcast (value, reason) to every row.

    Invisible characters are removed first; a cell holding nothing else is empty. `plain` is a regular
    expression of values that are their own canonical value (an 11-digit RPPS), `special` one of the only
    values `parse` can change (the others are their own canonical value): either way the rest skip `parse`,
    which keeps columns of a million distinct identifiers fast. Both are in RE2 syntax (no lookaround), which
    Arrow evaluates over the whole column; a pattern it cannot run is applied value by value in Python."""
    text = _blank_to_na(values)
    if plain is not None or special is not None:
        matched = text.str.fullmatch(plain if plain is not None else special)
        as_is = (matched if plain is not None else ~matched).fillna(False).to_numpy(dtype=bool)
        if as_is.any():
            rest = _by_unique(text.where(~as_is), parse, dtype=dtype, empty=empty)
            value = rest["value"].astype(dtype)
            value[as_is] = text[as_is].astype(dtype)
            reason = rest["reason"].mask(as_is)
            return pd.DataFrame({"value": value, "reason": reason}, index=values.index)
    return resolve_distinct(
        text, lambda t: empty if t is None else parse(t), ("value", "reason"), dtypes=(dtype, "string")
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
    "1 2 temps": "1/2",
    "1 3 temps": "1/3",
    "temps plein": "1",
    "plein temps": "1",
    "temps complet": "1",
}
# Avenant 7 numbered the options: option 1 = 1/3 FTE, option 2 = 1/2 FTE, option 3 = full time.
AVENANT7_OPTIONS = {"1": "1/3", "2": "1/2", "3": "1"}
# 0.33 and 0.333 are 1/3 written with two or three decimals; 0.01 separates them from any other option.
_ETP_TOLERANCE = 0.01
# Words that say the FTE without saying which option: refused with a message rather than guessed.
_ETP_IMPRECISE = re.compile(r"^(temps partiel|partiel|tp|temps non complet)$")
# Hours ("35 h", "17h30", "24 heures", "35 h/semaine"): the contract funds an option, not a number of hours.
_ETP_HOURS = re.compile(r"^\d+(?:[.,]\d+)?\s*(?:h|heures?|hrs?)(?:\s*\d{2})?(?:\s*(?:/|par)\s*(?:sem\w*|s))?$")
# "Option 2 (1/2 ETP)", "option 3 - temps plein": an option number and the FTE it stands for.
_OPTION_WITH_FTE = re.compile(r"^option\s*([123])\s*[(:–-]\s*(.+?)\)?$")

EtpReading = str  # "fte", "options", "percent" or "ambiguous": how a column's bare numbers are read


def etp_column_reading(header: str | None, values: pd.Series, signed: pd.Series | None = None) -> EtpReading:
    """How to read the bare numbers of one FTE column, decided for the whole column, never per value.

    - a header naming a percentage ("Quotité (%)", "Taux d'activité") → bare numbers are percents (50 → 1/2);
    - a header naming an option ("Option", "N° d'option") whose values are only 1, 2 or 3 → avenant 7
      numbering (1 = 1/3, 2 = 1/2, 3 = full time);
    - bare 1/2/3 that could be either (a neutral header over a column holding a 3, or a 2 signed before the
      2024 convention opened 2 FTE; or an option header over a column that also writes fractions and a 3)
      → "ambiguous": those cells are refused with a message saying how to declare the column;
    - anything else → FTE as written (1 = full time).
    """
    folded = fold(header or "")
    if "%" in (header or "") or re.search(r"\b(pourcent\w*|pct|taux)\b", folded):
        return "percent"
    text = _blank_to_na(values).dropna()
    cleaned = {raw: excel_integer(visible(raw).lower()) for raw in text.unique().tolist()}
    distinct = set(cleaned.values())
    bare = {t for t in distinct if re.fullmatch(r"\d+", t)}
    others = distinct - bare
    names_option = re.search(r"\boption\b", folded) is not None
    if names_option:
        if bare and bare <= {"1", "2", "3"} and not others:
            return "options"
        return "ambiguous" if "3" in bare and others else "fte"
    if bare and bare <= {"1", "2", "3"} and not others:
        if "3" in bare:
            return "ambiguous"
        if "2" in bare and signed is not None:
            two = text.index[text.map(cleaned) == "2"]
            before = pd.to_datetime(signed.reindex(two), errors="coerce") < pd.Timestamp(CONVENTION_2024)
            if before.fillna(False).any():
                return "ambiguous"
    return "fte"


def normalise_etp(
    values: pd.Series,
    *,
    required: bool = True,
    header: str | None = None,
    signed: pd.Series | None = None,
) -> pd.DataFrame:
    """FTE option label (`vocabulary.ETP_OPTIONS` key: "1/3", "1/2", "1", "1+1/2", "1+1") from "0,33",
    "33 %", "tiers-temps", "mi-temps", "1/2 temps", "temps plein", "option 2", "Option 2 (1/2 ETP)",
    "1 + 1/2", "150 %"…; negative, zero, above 2 or unreadable → `etp_invalide`; hours → `etp_heures`;
    "temps partiel" → `etp_imprecis`.

    With the column's `header` (and signing dates), bare numbers are read as the column says
    (`etp_column_reading`): avenant 7 option numbers, percents, or refused as `etp_ambigu`.
    """
    reading = etp_column_reading(header, values, signed) if header is not None else "fte"
    return _by_unique(values, lambda text: _parse_etp(text, reading), dtype="string", empty=_empty(required))


def _parse_etp(text: str, reading: EtpReading = "fte") -> Parsed:
    folded = fold(text)
    bare = excel_integer(text.strip())
    if re.fullmatch(r"\d+", bare):
        if reading == "options":
            return (AVENANT7_OPTIONS[bare], None) if bare in AVENANT7_OPTIONS else (None, "etp_invalide")
        if reading == "ambiguous":
            return None, "etp_ambigu"
        if reading == "percent":
            text = bare + "%"
    elif reading == "percent" and re.fullmatch(r"\d+[.,]\d+", text.strip()):
        text = text.strip() + "%"
    if folded in _ETP_WORDS:
        return _ETP_WORDS[folded], None
    if _ETP_IMPRECISE.match(folded):
        return None, "etp_imprecis"
    if _ETP_HOURS.match(text.strip().lower()):
        return None, "etp_heures"
    if match := re.fullmatch(r"option ?([123])", folded):
        return AVENANT7_OPTIONS[match.group(1)], None
    if match := _OPTION_WITH_FTE.match(text.strip().lower()):
        # Both the number and the FTE are written: they must agree, or neither can be trusted.
        stated, _ = _parse_etp(match.group(2).replace("etp", "").strip())
        numbered = AVENANT7_OPTIONS[match.group(1)]
        return (numbered, None) if stated in (numbered, None) else (None, "etp_invalide")
    compact = re.sub(r"\s+", "", text.lower()).replace(",", ".").removesuffix("etp").removesuffix("temps")
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
    "secretaire_medicale": (
        "Secrétaire", "Secrétaire médical", "Secrétaire médicale", "Secrétariat médical", "Secrétaire médico-sociale",
        "Assistante médico-administrative", "Assistant médico-administratif",
    ),
    "infirmier": (
        "IDE", "Infirmière", "Infirmier", "Infirmier diplômé d'État", "Infirmière diplômée d'État", "IDEL",
        "Infirmier libéral", "Infirmière libérale", "IPA", "IBODE", "IADE", "Infirmier anesthésiste",
        "Infirmier de bloc opératoire", "Infirmier puériculteur", "Infirmière puéricultrice",
        "Infirmier en pratique avancée",
    ),
    "aide_soignant": ("Aide-soignante", "Aide-soignant", "AS", "DEAS"),
    "auxiliaire_puericulture": ("DEAP", "AP", "Auxiliaire puériculture", "Auxiliaire de puériculture"),
    "assistant_dentaire": ("Assistante dentaire", "Assistant dentaire"),
    # Health professions of the Code de la santé publique that are none of the backgrounds above: another
    # health profession, said so by name (never reached by closeness to another background).
    "autre_sante": (
        "Autre paramédical", "Autre profession de santé", "Autre santé", "Paramédical", "Professionnel de santé",
        "Masseur-kinésithérapeute", "Kinésithérapeute", "Kiné", "Pharmacien", "Préparateur en pharmacie",
        "Préparatrice en pharmacie", "Sage-femme", "Maïeuticien", "Orthophoniste", "Orthoptiste",
        "Manipulateur en électroradiologie médicale", "Manipulateur radio", "Ergothérapeute", "Psychomotricien",
        "Diététicien", "Pédicure-podologue", "Podologue", "Ambulancier", "Technicien de laboratoire médical",
        "Opticien-lunetier", "Audioprothésiste",
    ),
    "hors_sante": (
        "Reconversion",
        "Reconversion professionnelle",
        "Sans expérience santé",
        "Sans expérience en santé",
        # in a background column, « without experience » is of health care (how CPAM follow-up tables say it)
        "Sans expérience",
        "Aucune expérience en santé",
        "Hors santé",
        "Hors secteur santé",
    ),
    "inconnu": ("Inconnu", "Non renseigné", "NR", "Non connu", "NC"),
}
_PROFILS = _category_lookup(PROFILS, _PROFIL_ALIASES)
# Inclusive endings once folded: "Infirmier·ère" → "infirmier ere", "Aide-soignant(e)" → "aide soignant e",
# "Secrétaire médical.e" → "secretaire medical e". The masculine stem is the known spelling.
_INCLUSIVE_ENDING = re.compile(r"(?: (?:e|ere|ne|te|se|trice|euse|es))+$")
_PARENTHESES = re.compile(r"^(?P<outer>[^()]*?)\s*\((?P<inner>[^()]*)\)\s*(?P<after>[^()]*)$")
# A typo is one or two slips in a long word: "Infirmeire", "Aide soigante", "Secretaire medicalle". Closeness
# is only trusted when the spelling is long enough for a slip to be told from another word, and the best
# match is far ahead of any other background's (so "Assistante maternelle" never becomes "dentaire").
_TYPO_DISTANCE = ((12, 2), (6, 1))  # (minimum length, edits allowed)


def normalise_profils(values: pd.Series) -> pd.DataFrame:
    """Background (`vocabulary.PROFILS` key) from "IDE", "Infirmière", "Infirmier·ère", "Aide-soignant(e)",
    "Infirmier (IDE)", "Infirmeire", "AS", "DEAP", "Kinésithérapeute", "Reconversion"…; an empty cell is
    `inconnu` (a known unknown, kept), unrecognised text is `profil_inconnu`; a profession that is none of the
    backgrounds is never mapped to the closest one."""

    def parse(text: str) -> Parsed:
        found = _profil_of(text)
        return (found, None) if found is not None else (None, "profil_inconnu")

    return _by_unique(values, parse, dtype="string", empty=("inconnu", None))


def _profil_of(text: str) -> str | None:
    folded = fold(text)
    if folded in _PROFILS:
        return _PROFILS[folded]
    stem = _INCLUSIVE_ENDING.sub("", folded)
    if stem in _PROFILS:
        return _PROFILS[stem]
    if match := _PARENTHESES.match(text):
        # "Infirmier (IDE)", "IDE (infirmière)": the parts must not contradict each other.
        parts = [p for p in (match["outer"] + " " + match["after"], match["inner"]) if fold(p)]
        found = {_profil_of(part) for part in parts} - {None}
        return found.pop() if len(found) == 1 else None
    return _profil_by_typo(stem)


def _profil_by_typo(folded: str) -> str | None:
    allowed = next((edits for length, edits in _TYPO_DISTANCE if len(folded) >= length), 0)
    if not allowed:
        return None
    best: dict[str, int] = {}
    for spelling, key in _PROFILS.items():
        if len(spelling) < 5 or key == "inconnu":
            continue  # acronyms (AS, AP, IDE) are one slip away from anything
        distance = OSA.distance(folded, spelling, score_cutoff=allowed + 2)
        best[key] = min(distance, best.get(key, distance))
    ranked = sorted(best.items(), key=lambda item: item[1])
    if not ranked or ranked[0][1] > allowed:
        return None
    if len(ranked) > 1 and ranked[1][1] <= ranked[0][1] + 1:
        return None  # two backgrounds about as close: no slip can be told from the other word
    return ranked[0][0]


_SPECIALITE_ALIASES = {
    "medecine_generale": ("MG", "Généraliste", "Médecin généraliste", "Médecine générale", "Omnipraticien"),
    "cardiologie": ("Cardiologue", "Cardiologie et maladies vasculaires", "Médecine cardiovasculaire"),
    "ophtalmologie": ("Ophtalmologue", "Ophtalmo"),
    "pediatrie": ("Pédiatre",),
    "dermatologie": ("Dermatologue", "Dermato", "Dermatologie et vénéréologie"),
    "psychiatrie": ("Psychiatre", "Pédopsychiatre", "Pédopsychiatrie"),
    "autre": ("Autre", "Autres", "Autre spécialité", "ORL"),
}
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


@cache
def _specialty_tables() -> tuple[dict[str, str | None], dict[str, str]]:
    """(code → specialty or None for a code that is no doctor's, folded label → specialty) from the sourced
    Assurance Maladie codes (TRE_G100) and RPPS qualifications (TRE_R38)."""
    codes: dict[str, str | None] = {}
    labels: dict[str, str] = {}
    for table in (reference.specialty_codes(), reference.rpps_qualifications()):
        for code, label, group in table[["code", "label", "specialite"]].itertuples(index=False):
            group = None if pd.isna(group) else group
            codes[code.upper()] = group
            if group is not None:
                labels.setdefault(fold(label), group)
    return codes, labels


def specialty_code(text: str) -> tuple[bool, str | None]:
    """(is a known code, its specialty): "01", "1", "1.0" → Assurance Maladie code 01; "SM54" → RPPS."""
    codes, _ = _specialty_tables()
    compact = excel_integer(text.strip()).upper().replace(" ", "")
    if compact.isdigit() and len(compact) <= 2:
        compact = compact.zfill(2)
    return (compact in codes, codes.get(compact))


def _specialty_of(folded: str) -> str | None:
    _, labels = _specialty_tables()
    if folded in _SPECIALITES:
        return _SPECIALITES[folded]
    if folded in labels:
        return labels[folded]
    return "autre" if folded.startswith(_OTHER_SPECIALTY_STEMS) else None


_SPECIALITES = _category_lookup(SPECIALITES, _SPECIALITE_ALIASES)


def normalise_specialites(values: pd.Series, *, required: bool = False) -> pd.DataFrame:
    """Specialty (`vocabulary.SPECIALITES` key) from "MG", "Généraliste", "Cardiologue", an Assurance Maladie
    specialty code ("01", "03") or an RPPS qualification ("SM54", "Qualifié en Médecine générale"); other
    known specialties ("Neurologie", "Chirurgie…") → `autre`; a code that is no doctor's specialty ("24",
    nurse) → `specialite_non_medicale`; unrecognised text → `specialite_inconnue`."""

    def parse(text: str) -> Parsed:
        known, group = specialty_code(text)
        if known:
            return (group, None) if group is not None else (None, "specialite_non_medicale")
        folded = fold(text)
        found = _specialty_of(folded) or _specialty_of(_INCLUSIVE_ENDING.sub("", folded))
        return (found, None) if found is not None else (None, "specialite_inconnue")

    return _by_unique(values, parse, dtype="string", empty=_empty(required))


_ZONE_ALIASES = {
    "zip": ("ZIP", "Zone d'intervention prioritaire"),
    "zac": ("ZAC", "Zone d'action complémentaire"),
    "hors_zone": ("Hors zone", "Hors ZIP/ZAC", "Hors ZIP et ZAC", "Hors zone sous-dense", "Non", "Aucune"),
}
_ZONES = _category_lookup(ZONES, _ZONE_ALIASES)


def normalise_zones(values: pd.Series, *, required: bool = False) -> pd.DataFrame:
    """Under-served zone (`zip`, `zac`, `hors_zone`); empty stays NA; unrecognised → `zone_inconnue`."""
    return _normalise_category(values, _ZONES, "zone_inconnue", empty=_empty(required))


_FORMATION_ALIASES = {
    # a training column says « obtenu » or « en cours » of the CQP, the only certification it tracks
    "cqp_obtenu": ("CQP obtenu", "CQP validé", "CQP AM obtenu", "Diplômé CQP", "Obtenu", "Validé", "Certifié",
                   "Certifiée"),
    "cqp_en_cours": ("CQP en cours", "En cours de CQP", "En formation CQP", "CQP AM en cours", "En cours",
                     "En formation", "Inscrit", "Inscrite"),
    "diplome_etat_fae": ("Diplôme d'État + FAE", "DE + FAE", "Diplôme d'État et FAE", "DE et FAE"),
    "aucune": ("Aucune", "Aucune formation", "Sans formation", "Non", "Non commencée", "Pas commencée",
               "Formation non commencée", "Non inscrit", "Non inscrite"),
}
_FORMATIONS = _category_lookup(FORMATIONS, _FORMATION_ALIASES)


def normalise_formations(values: pd.Series, *, required: bool = False) -> pd.DataFrame:
    """Training status (`vocabulary.FORMATIONS` key); empty stays NA; unrecognised → `formation_inconnue`."""
    return _normalise_category(values, _FORMATIONS, "formation_inconnue", empty=_empty(required))


def accepted_spellings(field: str) -> dict[str, str]:
    """Folded spelling → canonical key of a descriptive field, to suggest the closest accepted values."""
    tables = {"profil_origine": _PROFILS, "specialite": _SPECIALITES, "zone": _ZONES, "formation": _FORMATIONS}
    return dict(tables.get(field, {}))


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


# SAS writes DATE9. as "04MAR2021" and DATETIME. as "04MAR2021:10:22:33" (English month abbreviations).
_SAS_MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
_SAS_DATE = re.compile(r"^(\d{1,2})([A-Z]{3})(\d{4})(?::\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# French month names, full or abbreviated as French software writes them ("4 mars 2021", "1er févr. 2021",
# "04-mars-21").
_FRENCH_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "mar": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "aou": 8, "septembre": 9, "sept": 9,
    "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}
_FRENCH_DATE = re.compile(r"^(\d{1,2})(?: ?er)? ([a-z]+) (\d{4}|\d{2})$")
# ISO 8601 with a time: "2021-03-04T10:22:33.123Z", "2021-03-04 10:22:33+01:00", "2021-03-04T10:22".
_ISO_WITH_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
# An American date with AM/PM ("3/4/2021 10:00 AM"): month first, so 3 April and 4 March read alike.
_AMERICAN = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AaPp]\.?[Mm]\.?$")
_YYYYMMDD = re.compile(r"^(19|20)\d{6}$")
# Dates are read in the time zone of the scheme's offices: an instant written in UTC is converted first.
_LOCAL_ZONE = "Europe/Paris"
ACCEPTED_DATES = (
    "JJ/MM/AAAA, AAAA-MM-JJ (avec heure, Z ou décalage admis), AAAAMMJJ, 04MAR2021 (SAS), "
    "4 mars 2021, numéro de série Excel"
)


# A date the information systems write for "no date" ("0000-00-00", Excel's day 0, 1900-01-01): read as empty.
_SENTINEL_TEXT = re.compile(r"0{1,4}[-/.]?0{0,2}[-/.]?0{0,4}(?:[ T]0{1,2}:00(?::00)?)?")
_SENTINEL_DAYS = (pd.Timestamp("1899-12-30"), pd.Timestamp("1899-12-31"), pd.Timestamp("1900-01-01"))
# Years a date of the scheme can hold. From NO_END_YEAR on, an end date is a database's "no end" (31/12/9999,
# 2999-12-31); any other date that far, or before PLAUSIBLE_FROM_YEAR, is a typing error, never a date to
# count with (and beyond 2262 it does not even fit a nanosecond timestamp).
NO_END_YEAR = 2100
PLAUSIBLE_FROM_YEAR = 1900
# Reasons of a date read as empty on purpose: a warning, even in a column that rejects unreadable values.
DATE_READ_AS_EMPTY = ("date_sans_fin", "date_sentinelle")


def normalise_dates(values: pd.Series, *, required: bool = False, end: bool = False) -> pd.DataFrame:
    """Dates (`datetime64`, time of day dropped) from ISO (with a time, milliseconds, `Z` or an offset:
    converted to French time first), DD/MM/YYYY, DD/MM/YY, D/M/YYYY, DD-MM-YYYY, YYYYMMDD, SAS `DATE9.` and
    `DATETIME.`, French month names or an Excel serial ("44259", 1900 date system); an American date with
    AM/PM is ambiguous (`date_ambigue`); anything else → `date_invalide`; empty → NA (`valeur_manquante`
    when required).

    A sentinel for "no date" (`0000-00-00`, `1900-01-01`) is NA with `date_sentinelle`; a year from
    `NO_END_YEAR` on is NA with `date_sans_fin` in an `end` column (31/12/9999 means "no end"), else with
    `date_invraisemblable`, like a year before `PLAUSIBLE_FROM_YEAR`. Every value returned fits a nanosecond
    timestamp."""
    text = _blank_to_na(values)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    distinct = pd.Series([visible(u) for u in uniques.to_numpy(dtype=object).tolist()], dtype="string")
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
    reasons = pd.Series(np.where(parsed.isna(), "date_invalide", None), dtype="string")
    # The rarer spellings, one distinct value at a time: they are few, and each needs its own rule.
    for position in np.flatnonzero(parsed.isna().to_numpy()):
        day, reason = _rare_date(str(distinct.iat[position]))
        parsed.iat[position] = day if day is not None else pd.NaT
        reasons.iat[position] = reason
    parsed = parsed.dt.normalize()
    parsed, reasons = _implausible_dates(distinct, parsed, reasons, end=end)
    empty_reason = MISSING if required else None
    value = np.append(parsed.to_numpy(), np.datetime64("NaT", "us"))[codes]
    reason = np.append(reasons.to_numpy(dtype=object, na_value=None), empty_reason)[codes]
    return pd.DataFrame(
        {"value": pd.Series(value, dtype="datetime64[us]").to_numpy(), "reason": pd.array(reason, dtype="string")},
        index=values.index,
    )


def _implausible_dates(
    distinct: pd.Series, parsed: pd.Series, reasons: pd.Series, *, end: bool
) -> tuple[pd.Series, pd.Series]:
    """Sentinels and far years (see `normalise_dates`) taken out of the parsed distinct values, with their reason."""
    sentinel = distinct.str.fullmatch(_SENTINEL_TEXT.pattern).fillna(False).to_numpy(dtype=bool)
    sentinel |= parsed.isin(_SENTINEL_DAYS).to_numpy(dtype=bool)
    years = parsed.dt.year
    far = (years >= NO_END_YEAR).fillna(False).to_numpy(dtype=bool) & ~sentinel
    early = (years < PLAUSIBLE_FROM_YEAR).fillna(False).to_numpy(dtype=bool) & ~sentinel
    if not (sentinel.any() or far.any() or early.any()):
        return parsed, reasons
    parsed, reasons = parsed.copy(), reasons.copy()
    parsed[sentinel | far | early] = pd.NaT
    reasons[sentinel] = "date_sentinelle"
    reasons[far] = "date_sans_fin" if end else "date_invraisemblable"
    reasons[early] = "date_invraisemblable"
    return parsed, reasons


def _rare_date(raw: str) -> tuple[pd.Timestamp | None, str | None]:
    """A date in one of the spellings the fast formats miss, or the reason it is refused."""
    text = visible(raw)
    if not text:
        return None, None
    if _AMERICAN.match(text):
        return None, "date_ambigue"
    if match := _ISO_WITH_TIME.match(text):
        if match.group(3) is None:
            return _timestamp(match.group(1)), None
        instant = pd.to_datetime(text.replace(",", "."), utc=True, errors="coerce", format="ISO8601")
        if pd.isna(instant):
            return None, "date_invalide"
        return instant.tz_convert(_LOCAL_ZONE).tz_localize(None), None
    if _YYYYMMDD.match(text):
        return _timestamp(text, "%Y%m%d"), None
    if match := _SAS_DATE.match(text.upper()):
        day, month, year = match.groups()
        if month in _SAS_MONTHS:
            return _ymd(int(year), _SAS_MONTHS[month], int(day))
    if match := _FRENCH_DATE.match(fold(text)):
        day, month, year = match.groups()
        if month in _FRENCH_MONTHS:
            full_year = int(year) if len(year) == 4 else 2000 + int(year)
            return _ymd(full_year, _FRENCH_MONTHS[month], int(day))
    return None, "date_invalide"


def _timestamp(text: str, fmt: str = "%Y-%m-%d") -> pd.Timestamp | None:
    value = pd.to_datetime(text, format=fmt, errors="coerce")
    return None if pd.isna(value) else value


def _ymd(year: int, month: int, day: int) -> tuple[pd.Timestamp | None, str | None]:
    try:
        return pd.Timestamp(year=year, month=month, day=day), None
    except ValueError:
        return None, "date_invalide"


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


# Euro amounts of the scheme's aid: from nothing paid yet (0 €) or a prorated first payment of a few euros to
# cumulated totals over several years; 38 000 € a year for a full-time assistant keeps any total for one
# contract under 500 000 € over the scheme's life. Above that an amount is not plausible.
PLAUSIBLE_AID_EUR = (0.0, 500_000.0)
# One separator followed by exactly three digits ("12.000", "12,000"): euros are written with two decimals,
# so three digits after the separator are thousands, unless that makes the amount implausible.
_LONE_GROUP = re.compile(r"^([+-]?\d{1,3})[.,](\d{3})$")


def normalise_amounts(values: pd.Series, *, plausible: tuple[float, float] = PLAUSIBLE_AID_EUR) -> pd.DataFrame:
    """Euro amounts (`Float64`) of a column of the scheme's aid.

    "12.000" or "12,000" is 12 000 €, not 12 €: a euro amount has two decimals, so a lone separator followed
    by three digits groups thousands, where that reading is plausible for the scheme (`plausible`); where
    it is not ("900.000" would be 900 000 €), the amount is left empty with `montant_ambigu`. Any other
    amount outside the plausible range is kept as written with `montant_invraisemblable` (a warning): never
    scaled silently. Negative or unreadable → `montant_invalide`.
    """
    low, high = plausible

    def parse(text: str) -> Parsed:
        compact = _NUMBER_NOISE.sub("", text)
        if match := _LONE_GROUP.match(compact):
            thousands = float(match.group(1) + match.group(2))
            return (thousands, None) if low <= thousands <= high else (None, "montant_ambigu")
        number = _french_number(text)
        if number is None or number < 0:
            return None, "montant_invalide"
        return (number, None) if low <= number <= high else (number, "montant_invraisemblable")

    return _by_unique(values, parse, dtype="Float64", empty=(None, None))


# --- Identifiers ---------------------------------------------------------------------------------------

_RPPS = re.compile(r"\d{11}")
# The national identifier of a health professional (IDNPS) is its type, then the number: "8" + the RPPS.
_IDNPS_OF_RPPS = re.compile(r"8(\d{11})")
# What information systems write where an RPPS is expected, told by its shape: an ADELI number or an Assurance
# Maladie practitioner number (9 digits: they cannot be told apart), the national identifier of an ADELI number
# ("0" + ADELI), or a practitioner number without its key (8 digits).
_OTHER_IDENTIFIERS = (
    (re.compile(r"\d{9}"), "identifiant_adeli_ou_am"),
    (re.compile(r"0\d{9}"), "identifiant_adeli_national"),
    (re.compile(r"\d{8}"), "identifiant_am_sans_cle"),
)


def normalise_rpps(values: pd.Series, *, required: bool = True) -> pd.DataFrame:
    """RPPS numbers kept as text (11 digits, spaces removed, an Excel ".0" dropped); other lengths or
    characters → `rpps_invalide`; scientific notation (Excel has lost digits) → `identifiant_scientifique`;
    empty → `valeur_manquante`. The national identifier "8" + RPPS (12 digits) is read as the RPPS; an ADELI or
    Assurance Maladie number gets a reason naming it (`identifiant_adeli_ou_am`, `identifiant_adeli_national`,
    `identifiant_am_sans_cle`)."""

    def parse(text: str) -> Parsed:
        if is_scientific(text):
            return None, "identifiant_scientifique"
        digits = excel_integer(re.sub(r"\s+", "", text))
        if _RPPS.fullmatch(digits):
            return digits, None
        if national := _IDNPS_OF_RPPS.fullmatch(digits):
            return national.group(1), None
        reason = next((r for pattern, r in _OTHER_IDENTIFIERS if pattern.fullmatch(digits)), "rpps_invalide")
        return None, reason

    return _by_unique(values, parse, dtype="string", empty=_empty(required), plain=r"\d{11}")


def normalise_contrat_ids(values: pd.Series) -> pd.DataFrame:
    """Contract numbers kept as written (surrounding and invisible spaces removed, an Excel ".0" dropped);
    empty → `contrat_id_manquant`; scientific notation → `identifiant_scientifique`."""

    def parse(text: str) -> Parsed:
        if is_scientific(text):
            return None, "identifiant_scientifique"
        return excel_integer(text), None

    # Most numbers are neither re-saved by Excel ("12.0") nor in scientific notation: they skip `parse`.
    special = f"{_EXCEL_INTEGER.pattern.strip('^$')}|{_SCIENTIFIC.pattern.strip('^$')}"
    return _by_unique(values, parse, dtype="string", empty=(None, "contrat_id_manquant"), special=special)


# --- Observation periods of activity tables -----------------------------------------------------------------
# CPAM follow-up tables count a doctor's activity by calendar year or half-year, written in many ways: « 2023 »,
# « 2023-S1 », « S2 2023 », « 2023 S2 », « 2023-H1 », « 1er semestre 2023 », « second semestre 2023 ».
PLAUSIBLE_PERIOD_YEARS = (2000, 2099)  # activity before the scheme is the baseline of a before/after comparison
ACCEPTED_PERIODS = "année (2023) ou semestre (2023-S1, S2 2023, 1er semestre 2023)"
_YEAR = r"(?P<year>\d{4})"
_HALF_WORDS = {"1": 1, "1er": 1, "premier": 1, "1e": 1, "2": 2, "2e": 2, "2eme": 2, "second": 2, "deuxieme": 2}
_PERIOD_PATTERNS = (
    re.compile(rf"^{_YEAR}(?:\.0+)?$"),
    re.compile(rf"^{_YEAR} ?[-_/ ]? ?[sh] ?(?P<half>[12])$"),
    re.compile(rf"^[sh] ?(?P<half>[12]) ?[-_/ ]? ?{_YEAR}$"),
    re.compile(rf"^(?P<word>1er|premier|1e|2e|2eme|second|deuxieme) semestre {_YEAR}$"),
    re.compile(rf"^{_YEAR} ?[-_/ ]? ?semestre (?P<word>[12])$"),
    re.compile(rf"^semestre (?P<word>[12]) ?[-_/ ]? ?{_YEAR}$"),
)


def period_label(year: int, half: int | None) -> str:
    """The canonical label of a period: « 2023 » for a year, « 2023-S1 » for a half-year."""
    return f"{year}" if half is None else f"{year}-S{half}"


def normalise_periods(values: pd.Series, *, required: bool = True) -> pd.DataFrame:
    """Observation periods as canonical labels (« 2023 », « 2023-S1 »); anything else → `periode_invalide`,
    a year outside `PLAUSIBLE_PERIOD_YEARS` → `periode_invraisemblable`; empty → `valeur_manquante` when
    required."""

    def parse(text: str) -> Parsed:
        # folded, separators become spaces (« 2023-S1 » → « 2023 s1 »); as written, an Excel « 2023.0 » stays one
        spellings = (re.sub(r"\s+", " ", fold(text, " ")).strip(), text.strip().lower())
        for pattern in _PERIOD_PATTERNS:
            found = pattern.match(spellings[0]) or pattern.match(spellings[1])
            if found is None:
                continue
            year = int(found["year"])
            groups = found.groupdict()
            half = groups.get("half") or groups.get("word")
            if not PLAUSIBLE_PERIOD_YEARS[0] <= year <= PLAUSIBLE_PERIOD_YEARS[1]:
                return None, "periode_invraisemblable"
            return period_label(year, None if half is None else _HALF_WORDS[half]), None
        return None, "periode_invalide"

    return _by_unique(values, parse, dtype="string", empty=_empty(required))


# --- Years of a doctor's career ------------------------------------------------------------------------

# A year written alone (« 2005 », Excel's « 2005.0 »), an Excel date serial (five digits: from 1927 on, when a
# « Date d'installation » column was re-saved as numbers) or a date in any of `normalise_dates`' spellings.
_BARE_YEAR = re.compile(r"\d{4}(?:[.,]0+)?")
_YEAR_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")
_YEAR_SERIAL_RANGE = (10_000, _SERIAL_RANGE[1])  # 1927-05-18 to 2099-12-31


def normalise_years(values: pd.Series, *, plausible: tuple[int, int]) -> pd.DataFrame:
    """The year (`Int64`) a cell names: « 2005 », « 2005.0 », a date (« 15/03/2005 », « 2005-03-15 », an Excel
    serial) → its year. Unreadable → `annee_illisible`; a year outside `plausible` (bounds included) →
    `annee_invraisemblable`; empty → NA without a reason. Dates are read by `normalise_dates`, serials here (its
    serial range starts in 1990, after many doctors settled)."""
    text = _blank_to_na(values)
    bare = text.str.fullmatch(_BARE_YEAR.pattern).fillna(False).to_numpy(dtype=bool)
    serial = text.str.fullmatch(_YEAR_SERIAL.pattern).fillna(False).to_numpy(dtype=bool)
    year = pd.Series(pd.NA, index=values.index, dtype="Int64")
    reason = pd.Series(pd.NA, index=values.index, dtype="string")
    year[bare] = pd.to_numeric(text[bare].str.slice(0, 4)).astype("Int64")
    if serial.any():
        days = pd.to_numeric(text[serial].str.replace(",", ".", regex=False)).astype("float64")
        days = days.where(days.between(*_YEAR_SERIAL_RANGE))
        year[serial] = (_EXCEL_EPOCH + pd.to_timedelta(np.floor(days), unit="D")).dt.year.astype("Int64")
    dated = text.notna().to_numpy(dtype=bool) & ~bare & ~serial
    if dated.any():
        found = normalise_dates(text[dated])
        year[dated] = found["value"].dt.year.astype("Int64")
        reason[dated] = found["reason"].map(
            lambda r: "annee_invraisemblable" if r == "date_invraisemblable" else "annee_illisible",
            na_action="ignore")
    unread = text.notna().to_numpy(dtype=bool) & year.isna().to_numpy() & reason.isna().to_numpy()
    reason[unread] = "annee_illisible"
    outside = ~year.between(*plausible).fillna(True).to_numpy(dtype=bool)
    reason[outside] = "annee_invraisemblable"
    year[outside | reason.notna().to_numpy()] = pd.NA
    return pd.DataFrame({"value": year, "reason": reason}, index=values.index)
