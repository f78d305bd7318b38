"""The monthly follow-up an ARS or a CPAM runs: signings per month, this month against the previous one and the same
month a year before by département, what changed between two runs, and one's own extracts against the yearly open
data of the Assurance Maladie.

All are exact counts for the analyst (no masking here): what is published goes through the presentation layer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics.indicators.common import (
    REFERENCE,
    AsOf,
    IndicatorArgumentError,
    contract_inputs,
    count_by,
    data_source,
    day_array,
    departement_index,
    departement_table,
    end_of_day,
    labelled,
    region_index,
    region_table,
)
from am_analytics.indicators.rollout import monthly_series
from am_analytics.indicators.selection import period_bound, selectable

MONTH_NOTES = (
    "mois de la date d'arrêté : du 1er du mois à la date d'arrêté (mois incomplet si la date d'arrêté n'est pas "
    "une fin de mois) ; mois précédent et même mois un an plus tôt : mois entiers",
)


def _month_start(value: object) -> pd.Timestamp:
    """The first day of the month `since` names, read as `select(since=…)` reads it (« 2023-01 », « 15/01/2023 »:
    one reader of what people write, never pandas' month-first guess on « 01/02/2023 »)."""
    try:
        return period_bound(value, "since").to_period("M").to_timestamp()
    except IndicatorArgumentError as error:
        raise IndicatorArgumentError(
            f"début de période « {value} » illisible : écrire une date AAAA-MM ou AAAA-MM-JJ (par exemple 2023-01)"
        ) from error


@selectable
def signings_by_month(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    since: object | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """Contracts signed each month from `since` (a month, « 2023-01 » or a date in it; default: the scheme's start)
    to as_of: `mois`, `fin_de_periode`, `mois_complet`, `signes_mois`, and `signes_cumul` since the scheme's start
    (so a cumul read on this frame is the cumul of the whole series, not of the months shown)."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    monthly = monthly_series(contracts, as_of=as_of, synthetic=synthetic)
    frame = monthly[["mois", "fin_de_periode", "mois_complet", "signes_mois", "signes_cumul"]]
    if since is not None:
        start = _month_start(since)
        if start > as_of:
            raise IndicatorArgumentError(
                f"début de période {start:%m/%Y} postérieur à la date d'arrêté ({as_of:%d/%m/%Y}) : choisir un "
                "mois antérieur"
            )
        frame = frame[frame["mois"] >= start]
    return labelled(frame.reset_index(drop=True), as_of=as_of, sources=[data_source(synthetic)])


def _signed_between(contracts: pd.DataFrame, start: pd.Timestamp, stop: pd.Timestamp) -> np.ndarray:
    """Per département of `departement_table()`: contracts signed from `start` (a day) to the end of `stop`."""
    signature = day_array(contracts["date_signature"])
    inside = (signature >= np.datetime64(start, "ns")) & (signature < end_of_day(stop))
    return count_by(departement_index(contracts), len(departement_table()), inside)


@selectable(rows=("region", "departement"))
def month_against_previous(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """Per département (all 101, with `region_code`): contracts signed in the month of as_of (`signes_mois`, from
    the 1st to as_of), in the previous month (`signes_mois_precedent`) and in the same month a year before
    (`signes_meme_mois_an_passe`), and the two differences (`ecart_mois_precedent`, `ecart_un_an`).
    `attrs["mois"]` names the month and `attrs["mois_complet"]` says whether as_of ends it."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    month = as_of.to_period("M").to_timestamp()
    previous = month - pd.DateOffset(months=1)
    year_before = month - pd.DateOffset(years=1)
    current = _signed_between(contracts, month, as_of)
    before = _signed_between(contracts, previous, month - pd.Timedelta(days=1))
    last_year = _signed_between(contracts, year_before, year_before + pd.offsets.MonthEnd(0))
    places = departement_table()
    frame = pd.DataFrame({
        "code": places["code"].to_numpy(),
        "nom": places["name"].to_numpy(),
        "region_code": places["region_code"].to_numpy(),
        "signes_mois": pd.array(current, dtype="Int64"),
        "signes_mois_precedent": pd.array(before, dtype="Int64"),
        "signes_meme_mois_an_passe": pd.array(last_year, dtype="Int64"),
    })
    frame["ecart_mois_precedent"] = frame["signes_mois"] - frame["signes_mois_precedent"]
    frame["ecart_un_an"] = frame["signes_mois"] - frame["signes_meme_mois_an_passe"]
    frame = labelled(frame, as_of=as_of, sources=[data_source(synthetic)], notes=MONTH_NOTES)
    frame.attrs["mois"] = month.date().isoformat()
    frame.attrs["mois_complet"] = bool(as_of == month + pd.offsets.MonthEnd(0))
    return frame


# --- Between two runs ------------------------------------------------------------------------------------

CHANGE_KINDS = {
    "nouveau": "contrat absent de l'exécution précédente",
    "termine": "contrat dont la date de fin est apparue ou a changé",
    "modifie": "contrat dont une autre valeur a changé",
    "retire": "contrat présent à l'exécution précédente, absent aujourd'hui (retiré ou mis en quarantaine)",
}
# The columns compared between two runs: what a contract says, not where a row was read.
COMPARED_COLUMNS = _COMPARED = ("date_signature", "date_fin", "departement", "etp_option", "specialite", "zone",
                                "profil_origine", "formation", "date_prise_fonction")


def changes_between_runs(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """What changed from one run's contracts to the next, one row per contract that changed: `contrat_id`,
    `changement` (nouveau, termine, modifie, retire: see `CHANGE_KINDS`), `colonnes` (the columns whose value
    changed, « ; »-separated) and `departement`. A contract both ended and otherwise changed is « termine »."""
    keep = ["contrat_id", *[c for c in _COMPARED if c in previous.columns and c in current.columns]]
    old = previous[keep].drop_duplicates("contrat_id").set_index("contrat_id")
    new = current[keep].drop_duplicates("contrat_id").set_index("contrat_id")
    rows = [{"contrat_id": key, "changement": "nouveau", "colonnes": "", "departement": new.at[key, "departement"]}
            for key in new.index.difference(old.index)]
    rows += [{"contrat_id": key, "changement": "retire", "colonnes": "", "departement": old.at[key, "departement"]}
             for key in old.index.difference(new.index)]
    both = new.index.intersection(old.index)
    before, after = old.loc[both].astype("string"), new.loc[both].astype("string")
    differs = before.ne(after) & ~(before.isna() & after.isna())
    differs = differs.fillna(True)  # a value that appeared or vanished differs
    for key in both[differs.any(axis=1).to_numpy()]:
        columns = [c for c in differs.columns if differs.at[key, c]]
        kind = "termine" if "date_fin" in columns else "modifie"
        rows.append({"contrat_id": key, "changement": kind, "colonnes": " ; ".join(columns),
                     "departement": new.at[key, "departement"]})
    frame = pd.DataFrame(rows, columns=["contrat_id", "changement", "colonnes", "departement"]).astype("string")
    order = {kind: position for position, kind in enumerate(CHANGE_KINDS)}
    frame = frame.sort_values(["changement", "contrat_id"], key=lambda s: s.map(order) if s.name == "changement"
                              else s, kind="stable").reset_index(drop=True)
    synthetic = bool(previous.attrs.get("synthetic", False) or current.attrs.get("synthetic", False))
    return labelled(frame, as_of=None, sources=[data_source(synthetic)],
                    notes=[f"{kind} : {meaning}" for kind, meaning in CHANGE_KINDS.items()])


def change_counts_by_departement(changes: pd.DataFrame) -> pd.DataFrame:
    """Per département (all 101, with `region_code`): the number of contracts of each kind of change between two
    runs (`changes_between_runs`), one column per kind (`nouveau`, `termine`, `modifie`, `retire`), 0 where none;
    a change whose département is unknown is counted nowhere here (`change_counts` counts it)."""
    places = departement_table()
    index = departement_index(changes)
    frame = pd.DataFrame({"code": places["code"].to_numpy(), "nom": places["name"].to_numpy(),
                          "region_code": places["region_code"].to_numpy()})
    for kind in CHANGE_KINDS:
        counts = count_by(index, len(places), (changes["changement"] == kind).to_numpy(dtype=bool))
        frame[kind] = pd.array(counts, dtype="Int64")
    frame.attrs = dict(changes.attrs)
    return frame


def change_counts(changes: pd.DataFrame) -> pd.DataFrame:
    """The number of contracts of each kind of change (all four kinds, 0 where none), for a summary line."""
    counts = changes["changement"].value_counts().reindex(list(CHANGE_KINDS), fill_value=0)
    frame = pd.DataFrame({"changement": list(CHANGE_KINDS), "contrats": counts.to_numpy(dtype=np.int64),
                          "definition": list(CHANGE_KINDS.values())})
    return labelled(frame, as_of=None, sources=changes.attrs.get("sources", ()))


# --- One's own extracts against the yearly open data --------------------------------------------------------

# The producer's columns (Assurance Maladie's yearly open data by territory, Opendatasoft export), as read by
# `prepare` into `territory_year`.
OPEN_DATA_COLUMNS = {
    "Année": "annee",
    "Code région": "code (niveau region)",
    "Région": "libelle (niveau region)",
    "Code département": "code (niveau departement ; 999 = ligne de la région)",
    "Département": "libelle (niveau departement)",
    "Nombre de contrats": "nombre_contrats (NS : valeur non diffusée, gardée manquante)",
    "Part des médecins généralistes éligibles ayant recours (%)": "taux_recours_pct",
}
OPEN_DATA_NOTES = (
    "données ouvertes : nombre de contrats signés au 31 décembre de chaque année, par territoire (Assurance "
    "Maladie) ; NS : valeur non diffusée par le producteur, jamais remplacée par 0",
    "extractions : contrats signés jusqu'au 31 décembre de la même année ; écart = extractions − données ouvertes",
    "année incomplète : la date d'arrêté des extractions précède le 31 décembre : écart non calculé",
)
_SIDES = {1: "extractions au-dessus", -1: "extractions au-dessous", 0: "égal"}


@selectable
def open_data_comparison(
    contracts: pd.DataFrame,
    territory_year: pd.DataFrame,
    *,
    level: str = "departement",
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """One's own extracts against the yearly open data, territory by territory and year by year, for the
    territories the extracts cover (the départements or regions present in them; France when they cover at
    least ten regions). Columns: `annee`, `code`, `nom`, `donnees_ouvertes` (`<NA>` where the producer wrote NS,
    flagged in `donnees_ouvertes_ns`), `extractions` (signed up to 31 December), `ecart`, `ecart_relatif`,
    `sens` and `annee_complete`."""
    if level not in ("departement", "region"):
        raise IndicatorArgumentError(f"niveau « {level} » inconnu : « departement » ou « region »")
    if territory_year is None or territory_year.empty:
        raise IndicatorArgumentError(
            "pas de données ouvertes annuelles par territoire dans les données préparées : déposer le fichier de "
            "l'Assurance Maladie dans le dossier des données brutes et relancer la préparation"
        )
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    rows = territory_year[territory_year["niveau"] == level]
    covered = _covered_codes(contracts, level)
    rows = rows[rows["code"].isin(covered)]
    years = rows["annee"].astype(int).to_numpy()
    ends = pd.to_datetime(pd.Series(years, dtype="int64").astype(str) + "-12-31")
    own = _signed_by_end_of_year(contracts, level, rows["code"].to_numpy(), ends)
    complete = (ends <= as_of).to_numpy()
    published = rows["nombre_contrats"].astype("Int64").to_numpy()
    frame = pd.DataFrame({
        "annee": pd.array(years, dtype="Int64"),
        "code": rows["code"].astype("string").to_numpy(),
        "nom": rows["libelle"].astype("string").to_numpy(),
        "donnees_ouvertes": pd.array(published, dtype="Int64"),
        "donnees_ouvertes_ns": rows["nombre_contrats_ns"].astype(bool).to_numpy(),
        "extractions": pd.array(np.where(complete, own, 0), dtype="Int64"),
        "annee_complete": complete,
    })
    frame.loc[~frame["annee_complete"], "extractions"] = pd.NA
    frame["ecart"] = frame["extractions"] - frame["donnees_ouvertes"]
    base = frame["donnees_ouvertes"].astype("Float64")
    frame["ecart_relatif"] = (frame["ecart"].astype("Float64") / base.where(base > 0)).astype("Float64")
    frame["sens"] = frame["ecart"].map(lambda gap: pd.NA if pd.isna(gap) else _SIDES[int(np.sign(gap))],
                                       na_action="ignore").astype("string")
    frame = frame.sort_values(["code", "annee"], kind="stable").reset_index(drop=True)
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic), REFERENCE], notes=OPEN_DATA_NOTES)


def _covered_codes(contracts: pd.DataFrame, level: str) -> list[str]:
    """The territories of a level the extracts hold contracts in (a département of a region present counts even
    with no contract: zero there is a count, not a gap in coverage)."""
    places = departement_table()
    regions = set(contracts["region"].dropna().astype(str)) if "region" in contracts else set()
    if level == "region":
        return [code for code in region_table()["code"] if code in regions]
    return list(places.loc[places["region_code"].isin(regions), "code"])


def _signed_by_end_of_year(contracts: pd.DataFrame, level: str, codes: np.ndarray, ends: pd.Series) -> np.ndarray:
    """For each (territory, 31 December) pair: contracts of that territory signed up to the end of that day."""
    signature = day_array(contracts["date_signature"])
    if level == "region":
        index, names = region_index(contracts), list(region_table()["code"])
    else:
        index, names = departement_index(contracts), list(departement_table()["code"])
    position = {code: i for i, code in enumerate(names)}
    out = np.zeros(len(codes), dtype=np.int64)
    for year_end in ends.unique():
        signed = signature < end_of_day(pd.Timestamp(year_end))
        counts = count_by(index, len(names), signed)
        for i in np.flatnonzero((ends == year_end).to_numpy()):
            out[i] = counts[position[codes[i]]]
    return out
