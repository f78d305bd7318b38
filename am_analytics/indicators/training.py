"""Training: active assistants not certified past their deadline, by region and by background."""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.geography import simplify
from am_analytics.indicators.common import (
    REFERENCE,
    AsOf,
    active_mask,
    add_years,
    category_codes,
    contract_inputs,
    count_by,
    data_source,
    day_array,
    labelled,
    region_index,
    region_table,
)
from am_analytics.indicators.selection import selectable
from am_analytics.indicators.stats import wilson_interval
from am_analytics.vocabulary import CONVENTION_2024, NATIONAL_LABEL, PROFILS

CERTIFIED = ("cqp_obtenu", "diplome_etat_fae")
NOT_CERTIFIED = ("cqp_en_cours", "aucune")
DEADLINE_YEARS = 3
DEADLINE_YEARS_2024 = 2  # contracts signed under the 2024 convention

NOTES = (
    "échéance de certification : 3 ans après la prise de fonction (2 ans pour les contrats signés à partir du "
    "22 juin 2024, convention médicale 2024) ; date de signature à défaut de date de prise de fonction",
    "certifié : CQP obtenu ou diplôme d'État avec formation d'adaptation ; formation non renseignée comptée à part, "
    "jamais supposée",
    "population : contrats actifs à la date d'arrêté (un contrat ≈ un assistant)",
)


@selectable
def training_status(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """Per contract: certification deadline, whether it is past on as_of (deadline strictly before as_of),
    certified (`<NA>` when `formation` is missing) and `en_retard` (known not certified and past the deadline).

    The deadline runs from `date_prise_fonction`, or from `date_signature` when that is missing
    (`echeance_depuis_signature` says so): 3 years, 2 for contracts signed on or after 22 June 2024.
    """
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    status = _status_arrays(contracts, as_of)
    known = status["known"]
    frame = pd.DataFrame(
        {
            "contrat_id": contracts["contrat_id"].astype("string").to_numpy(),
            "actif": status["active"],
            "echeance": status["deadline"],
            "echeance_depuis_signature": status["from_signature"],
            "echeance_depassee": status["past"],
            "certifie": pd.array(np.where(known, status["certified"], False), dtype="boolean"),
            "en_retard": status["late"],
        }
    )
    frame.loc[~known, "certifie"] = pd.NA
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic)], notes=NOTES)


def _status_arrays(contracts: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, np.ndarray]:
    """The columns of `training_status` as numpy arrays (`certified` without its missing values, `known`
    saying where training is known): the by-region and by-background tables need no frame per contract."""
    signature = day_array(contracts["date_signature"])
    start = day_array(contracts["date_prise_fonction"])
    from_signature = np.isnat(start)
    start = np.where(from_signature, signature, start)
    years = np.where(signature >= np.datetime64(CONVENTION_2024, "ns"), DEADLINE_YEARS_2024, DEADLINE_YEARS)
    deadline = add_years(start, years).astype("datetime64[ns]")
    past = deadline < np.datetime64(as_of, "ns")
    formation = contracts["formation"]
    certified = formation.isin(list(CERTIFIED)).to_numpy(dtype=bool)
    known = formation.isin(list(CERTIFIED + NOT_CERTIFIED)).to_numpy(dtype=bool)
    return {
        "active": active_mask(contracts, as_of),
        "deadline": deadline,
        "from_signature": from_signature,
        "past": past,
        "certified": certified,
        "known": known,
        "late": known & ~certified & past,
    }


def _overdue_table(status: dict[str, np.ndarray], group: np.ndarray, size: int) -> dict[str, object]:
    active = status["active"]
    past = active & status["past"]
    certified = status["certified"] & status["known"]
    unknown = ~status["known"]
    late = count_by(group, size, active & status["late"])
    past_known = count_by(group, size, past & ~unknown)
    low, high = wilson_interval(late, past_known)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(past_known > 0, late / past_known, np.nan)
    return {
        "actifs": count_by(group, size, active),
        "certifies": count_by(group, size, active & certified),
        "echeance_depassee": count_by(group, size, past),
        "en_retard": late,
        "formation_inconnue_echeance_depassee": count_by(group, size, past & unknown),
        "part_en_retard": pd.array(share, dtype="Float64"),
        "ic_bas": pd.array(low, dtype="Float64"),
        "ic_haut": pd.array(high, dtype="Float64"),
    }


@selectable(rows=("region", "departement"))
def overdue_by_region(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """Per region (all 18): active contracts, certified, past their deadline, overdue (`en_retard`:
    not certified past the deadline), past the deadline with unknown training, and the overdue share
    among those past the deadline with known training (Wilson 95 % interval)."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    regions = region_table()
    table = _overdue_table(_status_arrays(contracts, as_of), region_index(contracts), len(regions))
    frame = pd.DataFrame({"code": regions["code"], "nom": regions["name"], **table})
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic)], notes=NOTES)


@selectable(rows=("background",))
def overdue_by_background(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """Per background (all of `PROFILS`, a missing one counting as `inconnu`): the columns of `overdue_by_region`."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    profiles = list(PROFILS)
    group = category_codes(contracts["profil_origine"], profiles)
    group = np.where(group < 0, profiles.index("inconnu"), group)
    table = _overdue_table(_status_arrays(contracts, as_of), group, len(profiles))
    frame = pd.DataFrame({"profil_origine": profiles, "libelle": [PROFILS[p] for p in profiles], **table})
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic)], notes=NOTES)


@selectable
def overdue_national(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
) -> pd.DataFrame:
    """France as one row (`code` « FR »): the columns of `overdue_by_region` over every contract, so a region
    can be read beside the national figure."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    table = _overdue_table(_status_arrays(contracts, as_of), np.zeros(len(contracts), dtype=np.int64), 1)
    frame = pd.DataFrame({"code": ["FR"], "nom": [NATIONAL_LABEL], **table})
    return labelled(frame, as_of=as_of, sources=[data_source(synthetic)], notes=NOTES)


# --- Training supply: assistants who need a training place, beside the sites known in their region ---------

SUPPLY_HORIZON_MONTHS = 12
# What a region's rows say of its supply: a published or supplied list is the region's whole supply; a site
# known from its organisation only says the region has at least that site.
_COMPLETE_LISTS = ("liste_regionale", "liste_analyste")
SUPPLY_KNOWLEDGE = {
    "liste_complete": "liste des sites de la région (publiée ou fournie)",
    "sites_partiels": "quelques sites connus, liste de la région non publiée : au moins ce nombre",
}
SUPPLY_NOTES = (
    "besoin de formation : contrats actifs dont l'assistant n'est pas certifié (formation connue) et dont "
    f"l'échéance est dépassée ou tombe dans les {SUPPLY_HORIZON_MONTHS} mois qui suivent la date d'arrêté",
    "sites de formation : couples organisme × commune distincts ; une région sans liste connue reste sans "
    "valeur (jamais zéro) ; une liste fournie par l'analyste remplace la liste livrée pour les régions qu'elle "
    "nomme",
)


def training_sites_in_use(own_sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """The training sites a supply table reads: the shipped list (`reference.training_sites()`), where the
    analyst's own rows (`reference.own.read_training_sites(path).rows`) replace every shipped row of the regions
    they name."""
    shipped = reference.training_sites()
    if own_sites is None or own_sites.empty:
        return shipped
    kept = shipped[~shipped["region"].isin(own_sites["region"].dropna().unique())]
    return pd.concat([kept, own_sites[[c for c in own_sites.columns if c in set(shipped.columns) | {"annee"}]]],
                     ignore_index=True)


@selectable(rows=("region", "departement"))
def training_supply_by_region(
    contracts: pd.DataFrame,
    *,
    as_of: AsOf | None = None,
    synthetic: bool | None = None,
    own_sites: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per region (all 18): active assistants not certified whose deadline is past (`en_retard`) or falls within
    the next twelve months (`echeance_12_mois`), their sum (`besoin_formation`), beside the training sites known
    in the region: `sites_formation` (distinct organisation × commune; `<NA>` where no site is known, never 0),
    `connaissance` (liste_complete or sites_partiels, see `SUPPLY_KNOWLEDGE`), `communes` and `source`."""
    as_of, synthetic = contract_inputs(contracts, as_of, synthetic)
    regions = region_table()
    status = _status_arrays(contracts, as_of)
    horizon = np.datetime64(as_of + pd.DateOffset(months=SUPPLY_HORIZON_MONTHS), "ns")
    waiting = status["active"] & status["known"] & ~status["certified"]
    soon = waiting & ~status["past"] & (status["deadline"] < horizon)
    group = region_index(contracts)
    late = count_by(group, len(regions), status["active"] & status["late"])
    due = count_by(group, len(regions), soon)
    supply = _supply_by_region(training_sites_in_use(own_sites), regions["code"])
    frame = pd.DataFrame({
        "code": regions["code"],
        "nom": regions["name"],
        "en_retard": late,
        "echeance_12_mois": due,
        "besoin_formation": late + due,
    })
    frame = frame.merge(supply, left_on="code", right_index=True, how="left")
    frame["sites_formation"] = frame["sites_formation"].astype("Int64")
    sources = [data_source(synthetic), REFERENCE]
    return labelled(frame, as_of=as_of, sources=sources, notes=(*NOTES[:2], *SUPPLY_NOTES))


def _supply_by_region(sites: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """Per region with at least one known site: distinct sites, how much is known, the communes and the sources."""
    sites = sites.assign(
        _site=sites["organisation"].map(simplify) + "|" + sites["commune"].map(simplify),
        _complete=sites["liste"].isin(_COMPLETE_LISTS),
    )
    rows = {}
    for region, group in sites[sites["region"].isin(list(codes))].groupby("region", sort=True):
        complete = bool(group["_complete"].any())
        # a complete list is the region's supply: the sites known otherwise are in it or are not counted
        counted = group[group["_complete"]] if complete else group
        distinct = counted.drop_duplicates("_site")
        rows[region] = {
            "sites_formation": len(distinct),
            "connaissance": "liste_complete" if complete else "sites_partiels",
            "communes": ", ".join(sorted(distinct["commune"].unique())),
            "source": " ; ".join(dict.fromkeys(counted["source"])),
        }
    columns = ["sites_formation", "connaissance", "communes", "source"]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).astype(
        {"connaissance": "string", "communes": "string", "source": "string"})
