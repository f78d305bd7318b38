"""Selecting by what people write: a region, a département, a background and a signing period as an analyst types
them (« Occitanie », « occitanie », « Ocitanie », « 76 »; « Hérault », « 34 », « 2A »; « Infirmier·ère »,
« infirmier »; « 2022-01 », « 01/01/2022 »), resolved by the package's own resolvers (`geography` for territories,
the preparation's background normaliser), then applied to a frame.

One function, `select(frame, region=…, departement=…, background=…, since=…, until=…)`, and one decorator,
`selectable`, that gives every public indicator, chart and map the same three keywords (`region=`, `departement=`,
`background=`): the frame an indicator reads is selected first, then the indicator runs on the selection; a function
that takes a `region` or a `profil` of its own (a test of a region against France, the trend of one background)
receives it resolved to its code instead of a selected frame.

A value that names nothing is refused with a French `SelectionError` naming the value and its closest candidates,
never an empty result; a close misspelling with one clearly closest name (« Ocitanie ») is read as that name, with a
warning saying so. A background that exists but has no contract in the selection gives zero rows and a note
(`attrs["notes"]`), not an error: zero is an answer.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz import process as fuzzy

from am_analytics.geography import GeographyError, departement_name, normalise_departement_code, normalise_region_code
from am_analytics.indicators.common import IndicatorArgumentError, as_of_timestamp, departement_table
from am_analytics.text import fold
from am_analytics.vocabulary import PROFILS

# A misspelling is read as the closest name only when it is this similar (rapidfuzz's ratio, 0–100) and clearly
# closer than the next name: « Ocitanie » → Occitanie (94), never « Bretagen » for two regions at 80 each.
ACCEPTED_SIMILARITY = 85.0
CLEAR_MARGIN = 10.0
SELECTION_KEYWORDS = ("region", "departement", "background")
NOTES_ATTR = "notes"

Function = TypeVar("Function", bound=Callable)


class SelectionError(IndicatorArgumentError):
    """A region, département, background or period that names nothing known; the French message names the value
    and its closest candidates. An `IndicatorArgumentError`, so a `ValueError` and a usage error (exit 2)."""


# --- Resolving what people write -------------------------------------------------------------------------------


def _region_names() -> dict[str, str]:
    from am_analytics.indicators.common import region_table

    return dict(zip(region_table()["name"], region_table()["code"], strict=True))


def _departement_names() -> dict[str, str]:
    table = departement_table()
    return dict(zip(table["name"], table["code"], strict=True))


def _closest_name(text: str, names: dict[str, str]) -> str | None:
    """The code of the one name clearly closest to `text` (see `ACCEPTED_SIMILARITY`), or None."""
    folded = {fold(name): code for name, code in names.items()}
    ranked = fuzzy.extract(fold(text), list(folded), scorer=fuzz.ratio, limit=2)
    if not ranked or ranked[0][1] < ACCEPTED_SIMILARITY:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < CLEAR_MARGIN:
        return None
    return folded[ranked[0][0]]


def _territory(value: object, what: str, resolve: Callable[[object], str], names: dict[str, str]) -> str:
    """A territory code from a code or a name, by the package's resolver; a close misspelling with one clearly
    closest name is read as it (with a warning); anything else a `SelectionError` naming the closest ones."""
    try:
        return resolve(value)
    except GeographyError as error:
        code = _closest_name(str(value), names) if error.reason.endswith(("inconnue", "inconnu")) else None
        if code is None:
            raise SelectionError(f"{what}={value!r} : {error} ; écrire un code ou un nom, par exemple "
                                 f"{next(iter(names))!r}") from None
        name = next(name for name, known in names.items() if known == code)
        warnings.warn(f"{what} « {value} » lu comme {name} ({code}), le nom le plus proche", UserWarning,
                      stacklevel=4)
        return code


def region_code(value: object) -> str:
    """A 2016 region from its code or name (« Occitanie », « occitanie », « 76 », a pre-2016 region, « Ocitanie »)."""
    return _territory(value, "region", normalise_region_code, _region_names())


def departement_code(value: object) -> str:
    """A département from its code or name (« Hérault », « 34 », « 2A », « Côte d'Or », « Herault »)."""
    return _territory(value, "departement", normalise_departement_code, _departement_names())


def background_code(value: object) -> str:
    """A background (`vocabulary.PROFILS` key) from its code (`infirmier`) or French label (« Infirmier·ère »,
    « infirmière », « IDE », « Non renseigné »), read by the preparation's own normaliser; otherwise a
    `SelectionError` naming the closest labels."""
    text = str(value).strip()
    by_label = {fold(label): code for code, label in PROFILS.items()} | {fold(code): code for code in PROFILS}
    if fold(text) in by_label:
        return by_label[fold(text)]
    from am_analytics.ingest.values import normalise_profils

    found = normalise_profils(pd.Series([text], dtype="string"))["value"].iloc[0] if text else pd.NA
    if not pd.isna(found):
        return str(found)
    closest = [f"« {label} »" for label, _, _ in fuzzy.extract(text, list(PROFILS.values()), limit=3)]
    raise SelectionError(f"background={value!r} : profil d'origine inconnu ; les plus proches : {', '.join(closest)} "
                         f"(libellés ou codes de am_analytics.vocabulary.PROFILS)")


# --- Selecting rows ---------------------------------------------------------------------------------------------


def _region_column(frame: pd.DataFrame) -> pd.Series:
    """Each row's region: from its département when the frame has one (as every indicator counts a contract's
    region), else its `region` or `region_code`, else the `code` of a region-level indicator frame."""
    if "departement" in frame:
        table = departement_table()
        return frame["departement"].astype("string").map(dict(zip(table["code"], table["region_code"], strict=True)))
    for column in ("region", "region_code", "code"):
        if column in frame:
            return frame[column].astype("string")
    raise SelectionError("region= : ce tableau n'a ni colonne « departement », ni « region », ni « code » ; "
                         "sélectionner les contrats avant de calculer l'indicateur")


def _departement_column(frame: pd.DataFrame) -> pd.Series:
    """Each row's département: its `departement`, else the `code` of a département-level indicator frame (one that
    names each row's `region_code`)."""
    if "departement" in frame:
        return frame["departement"].astype("string")
    if {"code", "region_code"} <= set(frame.columns):
        return frame["code"].astype("string")
    raise SelectionError("departement= : ce tableau n'a pas de colonne de département ; sélectionner les contrats "
                         "avant de calculer l'indicateur")


def _background_column(frame: pd.DataFrame) -> pd.Series:
    if "profil_origine" not in frame:
        raise SelectionError("background= : ce tableau n'a pas de colonne « profil_origine »")
    return frame["profil_origine"].astype("string").fillna("inconnu")


def _period_mask(frame: pd.DataFrame, since: object, until: object) -> np.ndarray:
    """Rows signed from `since` (a day, or the first day of a month written « 2022-01 ») to `until` included."""
    if "date_signature" not in frame:
        raise SelectionError("since= / until= : ce tableau n'a pas de colonne « date_signature »")
    signed = pd.to_datetime(frame["date_signature"]).to_numpy(dtype="datetime64[ns]")
    mask = np.ones(len(frame), dtype=bool)
    if since is not None:
        mask &= signed >= np.datetime64(period_bound(since, "since"), "ns")
    if until is not None:
        mask &= signed < np.datetime64(period_bound(until, "until") + pd.Timedelta(days=1), "ns")
    return mask


def period_bound(value: object, name: str) -> pd.Timestamp:
    """`since`/`until` as a day: a month written « 2022-01 » is its first day for `since`, its last for `until`."""
    text = str(value).strip()
    if len(text) == 7 and text[4] == "-":  # AAAA-MM
        try:
            month = pd.Period(text, freq="M")
        except ValueError:
            raise SelectionError(f"{name}={value!r} : mois illisible, écrire AAAA-MM (2022-01)") from None
        return (month.start_time if name == "since" else month.end_time).normalize()
    try:
        return as_of_timestamp(value)
    except IndicatorArgumentError:
        raise SelectionError(f"{name}={value!r} : date illisible, écrire AAAA-MM-JJ, JJ/MM/AAAA ou AAAA-MM") from None


def selection_label(*, region: str | None = None, departement: str | None = None,
                    background: str | None = None) -> str:
    """« Occitanie (76), Infirmier·ère »: what a selection of resolved codes holds, for notes."""
    from am_analytics.geography import region_name

    parts = ([f"{region_name(region)} ({region})"] if region else []) + (
        [f"{departement_name(departement)} ({departement})"] if departement else []) + (
        [PROFILS[background]] if background else [])
    return ", ".join(parts)


def select(
    frame: pd.DataFrame,
    *,
    region: object = None,
    departement: object = None,
    background: object = None,
    since: object = None,
    until: object = None,
) -> pd.DataFrame:
    """The rows of `frame` in a region, a département, a background and a signing period, each written as people
    write it (codes, names, French labels, close misspellings; see the module docstring); `None` keeps every row.

    Works on the contracts and the survey `am.load()` returns, and on indicator frames that name their territory
    (`by_region`, `by_departement`, `background_shares_by_region`). The rows keep the frame's `attrs` (synthetic
    flag, the data's latest date: a region's subset is counted at the date of the whole data). Unknown values raise
    `SelectionError` (French, with the closest candidates); a département outside the region asked is refused too.
    A selection with no row is returned with a note in `attrs["notes"]` saying what held none.
    """
    if not isinstance(frame, pd.DataFrame):
        raise SelectionError(f"region= / departement= / background= : un tableau (DataFrame) est attendu, pas "
                             f"{type(frame).__name__} ; sélectionner les contrats avant de calculer l'indicateur")
    codes = {
        "region": None if region is None else region_code(region),
        "departement": None if departement is None else departement_code(departement),
        "background": None if background is None else background_code(background),
    }
    if codes["region"] and codes["departement"]:
        table = departement_table().set_index("code")["region_code"]
        if table[codes["departement"]] != codes["region"]:
            raise SelectionError(
                f"departement={departement!r} ({departement_name(codes['departement'])}) n'est pas dans la région "
                f"{selection_label(region=codes['region'])} : retirer l'un des deux")
    mask = np.ones(len(frame), dtype=bool)
    if codes["region"]:
        mask &= (_region_column(frame) == codes["region"]).fillna(False).to_numpy(dtype=bool)
    if codes["departement"]:
        mask &= (_departement_column(frame) == codes["departement"]).fillna(False).to_numpy(dtype=bool)
    if codes["background"]:
        mask &= (_background_column(frame) == codes["background"]).to_numpy(dtype=bool)
    if since is not None or until is not None:
        mask &= _period_mask(frame, since, until)
    selected = frame[mask]
    if selected.empty and len(frame):
        period = "" if since is None and until is None else f", signés de {since or 'l’origine'} à {until or 'la fin'}"
        note = f"aucune ligne pour la sélection {selection_label(**codes)}{period} : zéro, pas une erreur"
        selected.attrs[NOTES_ATTR] = [*frame.attrs.get(NOTES_ATTR, []), note]
        warnings.warn(note, UserWarning, stacklevel=2)
    return selected


# --- The same keywords on every indicator, chart and map --------------------------------------------------------


_KEYWORD_DOC = (
    "\n\n    Selection (`am_analytics.indicators.selection`): `region=`, `departement=`, `background=` select the "
    "rows first,\n    written as people write them (« Occitanie », « 34 », « Infirmier·ère »); see `select`."
)


def _with_selection_keywords(signature: inspect.Signature, own: set[str]) -> inspect.Signature:
    """The signature with `region`, `departement`, `background` as keyword-only parameters (default None), before
    any `**kwargs`, except those the function has already."""
    parameters = list(signature.parameters.values())
    tail = [p for p in parameters if p.kind is inspect.Parameter.VAR_KEYWORD]
    head = [p for p in parameters if p.kind is not inspect.Parameter.VAR_KEYWORD]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None)
             for name in SELECTION_KEYWORDS if name not in own]
    return signature.replace(parameters=head + added + tail)


def selectable(function: Function | None = None, *, rows: tuple[str, ...] = ()) -> Function:
    """Give `function` (its first argument a frame: contracts, survey or an indicator frame) the keywords
    `region=`, `departement=` and `background=`: the frame is selected (`select`) before the function runs.

    `rows` names the keywords that select the rows of the *result* instead (an indicator with one row per territory
    or background: `by_departement(contracts, region="Occitanie")` counts every contract, so national shares stay
    national, and returns the region's départements; France's rows, code `FR`, are kept for comparison). A function
    with a `region` or `profil` parameter of its own keeps it, receiving the code of what was written
    (`region_against_france(contracts, "Occitanie")`), and its frame is not selected by region."""
    if function is None:
        return functools.partial(selectable, rows=rows)  # type: ignore[return-value]
    signature = inspect.signature(function)
    own = set(signature.parameters)
    frame_name = next(iter(signature.parameters))

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        bound = signature.bind_partial(*args, **{k: v for k, v in kwargs.items() if k in own})
        chosen = {name: kwargs.pop(name, None) for name in SELECTION_KEYWORDS if name not in own}
        for name, resolve in (("region", region_code), ("profil", background_code)):
            if name in own and bound.arguments.get(name) is not None:
                bound.arguments[name] = resolve(bound.arguments[name])
        before = {name: value for name, value in chosen.items() if name not in rows and value is not None}
        notes: list[str] = []
        if before and frame_name in bound.arguments:
            frame = bound.arguments[frame_name]
            bound.arguments[frame_name] = select(frame, **before)
            notes = bound.arguments[frame_name].attrs.get(NOTES_ATTR, [])[len(frame.attrs.get(NOTES_ATTR, [])):]
        result = function(*bound.args, **bound.kwargs, **{k: v for k, v in kwargs.items() if k not in own})
        if notes and isinstance(result, pd.DataFrame):  # an empty selection says so in the indicator's notes too
            result.attrs[NOTES_ATTR] = [*result.attrs.get(NOTES_ATTR, []), *notes]
        after = {name: value for name, value in chosen.items() if name in rows and value is not None}
        return _selected_rows(result, after) if after else result

    wrapper.__signature__ = _with_selection_keywords(signature, own)  # type: ignore[attr-defined]
    wrapper.__doc__ = (function.__doc__ or "") + _KEYWORD_DOC
    return wrapper  # type: ignore[return-value]


def _selected_rows(result: pd.DataFrame, chosen: dict[str, object]) -> pd.DataFrame:
    """The rows of an indicator's result in the selection, France's rows (code `FR`) kept beside them."""
    from am_analytics.indicators.common import NATIONAL_CODE

    national = result["code"].astype("string").eq(NATIONAL_CODE).fillna(False) if "code" in result else None
    selected = select(result, **chosen)
    if national is None or not national.any():
        return selected
    return result[result.index.isin(selected.index) | national.to_numpy(dtype=bool)]
