"""How real extracts spell canonical values: the spellings per field, and vectorised rendering per file."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from am_analytics import reference

# Each field: variant name → {canonical value: spelling}. A value a variant does not spell falls back to
# the file's main variant (the first of its style). Only spellings seen in real exports are used.
ETP = {
    "fraction": {"1/3": "1/3", "1/2": "1/2", "1": "1", "1+1/2": "1 + 1/2", "1+1": "1 + 1"},
    "decimal": {"1/3": "0,33", "1/2": "0,5", "1": "1", "1+1/2": "1,5", "1+1": "2"},
    "words": {"1/3": "tiers temps", "1/2": "mi-temps", "1": "temps plein"},
    "percent": {"1/3": "33 %"},
    "avenant7_code": {"1/3": "option 1", "1/2": "option 2", "1": "option 3"},  # avenant 7 option numbers
}
SPECIALITE = {
    "label": {
        "medecine_generale": "Médecine générale",
        "cardiologie": "Cardiologie",
        "ophtalmologie": "Ophtalmologie",
        "pediatrie": "Pédiatrie",
        "dermatologie": "Dermatologie",
        "psychiatrie": "Psychiatrie",
        "autre": "Autre",
    },
    "acronym": {"medecine_generale": "MG"},
}
PROFIL = {
    "label": {
        "secretaire_medicale": "Secrétaire médicale",
        "infirmier": "Infirmière",
        "aide_soignant": "Aide-soignante",
        "auxiliaire_puericulture": "Auxiliaire de puériculture",
        "assistant_dentaire": "Assistante dentaire",
        "autre_sante": "Autre paramédical",
        "hors_sante": "Sans expérience santé",
        "inconnu": "",
    },
    "short": {
        "secretaire_medicale": "secretaire medicale",
        "infirmier": "IDE",
        "aide_soignant": "AS",
        "auxiliaire_puericulture": "DEAP",
        "hors_sante": "Reconversion",
    },
}
ZONE = {"label": {"zip": "ZIP", "zac": "ZAC", "hors_zone": "Hors zone"}}
FORMATION = {
    "label": {
        "cqp_obtenu": "CQP obtenu",
        "cqp_en_cours": "CQP en cours",
        "diplome_etat_fae": "Diplôme d'État + FAE",
        "aucune": "Aucune",
    }
}


def departement_variants() -> dict[str, dict[str, str]]:
    """Département spellings: COG code, unpadded (`1`), lower-case Corsica (`2a`), names as files carry them."""
    geo = reference.departements()
    codes = geo["code"].tolist()
    return {
        "code": dict(zip(codes, codes, strict=True)),
        "unpadded": {code: code.lstrip("0") for code in codes if code.isdigit() and code.startswith("0")},
        "lower": {code: code.lower() for code in codes if not code.isdigit()},
        "name_plain": {code: unaccented(name).replace("-", " ") for code, name in zip(codes, geo["name"], strict=True)},
        "name_upper": dict(zip(codes, geo["name_uppercase"], strict=True)),
    }


def unaccented(text: str) -> str:
    """ "Côte-d'Or" → "Cote-d'Or": how names look in files typed without accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def render(
    values: pd.Series, variants: dict[str, dict[str, str]], style: dict[str, float], rng: np.random.Generator
) -> np.ndarray:
    """Spell each canonical value with a variant drawn per row from the file's `style` weights.

    Vectorised: one lookup table per variant, rows pick a variant by index; missing values are "".
    """
    canonical = values.astype("string").fillna("").to_numpy(dtype=object)
    names = list(style)
    weights = np.asarray([style[name] for name in names], dtype=float)
    chosen = rng.choice(len(names), size=len(canonical), p=weights / weights.sum())
    main = variants[names[0]]
    distinct, inverse = np.unique(canonical, return_inverse=True)
    rendered = np.empty(len(canonical), dtype=object)
    for k, name in enumerate(names):
        table = {**main, **variants[name]}
        spelled = np.asarray([table.get(value, value) for value in distinct] + [""], dtype=object)[:-1]
        rows = chosen == k
        rendered[rows] = spelled[inverse[rows]]
    return rendered


def french_decimal(values: np.ndarray, thousands: str) -> np.ndarray:
    """Amounts as French exports write them: `12 345,67` with the given thousands separator; NaN → ""."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    cents = np.round(np.where(missing, 0, values) * 100).astype(np.int64)
    units, fraction = cents // 100, cents % 100
    thousands_part, rest = units // 1000, units % 1000
    high = pd.Series(thousands_part.astype(str))
    low = pd.Series(rest.astype(str))
    text = np.where(
        thousands_part > 0,
        (high + thousands + low.str.zfill(3)).to_numpy(dtype=object),
        low.to_numpy(dtype=object),
    )
    text = text + "," + pd.Series(fraction.astype(str)).str.zfill(2).to_numpy(dtype=object)
    return np.where(missing, "", text)


def french_dates(values: pd.Series) -> np.ndarray:
    """Dates as DD/MM/YYYY; missing dates are ""."""
    return values.dt.strftime("%d/%m/%Y").fillna("").to_numpy(dtype=object)


def misspell(name: str) -> str:
    """A typing slip on a département name: the last consonant before a vowel is doubled ("Rhonne")."""
    vowels = set("aeiouyAEIOUY")
    for position in range(len(name) - 2, 0, -1):
        if name[position].isalpha() and name[position] not in vowels and name[position + 1] in vowels:
            return name[: position + 1] + name[position] + name[position + 1 :]
    return name + name[-1]
