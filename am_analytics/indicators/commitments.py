"""The doctors' commitments: their activity by period joined to their contracts.

The activity table (`activity.parquet`, `Processed.activity`) and the contracts name a doctor by the same keyed
pseudonym of the RPPS, so they join by `medecin_id` without any clear identifier. A doctor may have several
contracts (a renewal, a second assistant): the first signature dates the commitment, and each period is placed
before, across or after it, which is what a before/after comparison of signatories and non-signatories needs.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.geography import region_of_departements
from am_analytics.indicators.common import (
    REFERENCE,
    SYNTHETIC_ATTR,
    AsOf,
    IndicatorArgumentError,
    data_source,
    labelled,
    synthetic_flag,
)
from am_analytics.vocabulary import UNRECOGNISED

# Where a period lies relative to the doctor's first signature.
POSITIONS = {
    "non_signataire": "médecin sans contrat d'assistant médical",
    "avant": "période close avant la signature",
    "signature": "période pendant laquelle le contrat a été signé",
    "apres": "période commencée après la signature",
}
_ACTIVITY_COLUMNS = ("medecin_id", "periode", "debut_periode", "fin_periode")
_CONTRACT_COLUMNS = ("medecin_id", "contrat_id", "date_signature")
# What the first contract says of the doctor, carried beside each period when the contracts hold it.
_DESCRIPTIVE = ("etp_option", "departement", "region", "specialite", "zone", "profil_origine")
# What both tables may say of the doctor: the contract's is the reference for a signatory, the activity table's the
# only source for a doctor who never signed.
_OF_DOCTOR = ("departement", "region", "specialite")
_FROM_ACTIVITY = "_activite"
_DAYS_PER_MONTH = 365.25 / 12


def first_contracts(contracts: pd.DataFrame) -> pd.DataFrame:
    """One row per doctor: the first contract signed (ties broken by contract number), with the number of
    contracts the doctor signed."""
    _require(contracts, _CONTRACT_COLUMNS, "contrats")
    ordered = contracts.sort_values(["medecin_id", "date_signature", "contrat_id"], kind="stable")
    ordered = ordered[ordered["medecin_id"].notna()]
    first = ordered.drop_duplicates("medecin_id", keep="first")
    counts = ordered.groupby("medecin_id", sort=False).size().rename("nombre_contrats")
    kept = [c for c in (*_CONTRACT_COLUMNS, *_DESCRIPTIVE) if c in first.columns]
    return first[kept].merge(counts, left_on="medecin_id", right_index=True, how="left").reset_index(drop=True)


def activity_with_contracts(
    activity: pd.DataFrame, contracts: pd.DataFrame, *, synthetic: bool | None = None
) -> pd.DataFrame:
    """Each activity row with whether its doctor signed (`signataire`), the first contract (`contrat_id`,
    `date_signature`, option and territory when known, `nombre_contrats`), where the period lies relative to the
    signature (`position`: non_signataire, avant, signature, apres) and `mois_depuis_signature`, the months from
    the signature to the end of the period (negative before it; missing for a non-signatory).

    Département, region and specialty (`_doctor_descriptions`): a signatory's come from its first contract, a
    non-signatory's from the activity table; a signatory the activity table places in another département keeps the
    contract's, and such doctors are counted in a warning and a note.

    Both tables come from `am.load()` (same pseudonymisation key); the result is labelled with its source (the
    demo's synthetic data says so)."""
    _require(activity, _ACTIVITY_COLUMNS, "activité")
    # synthetic if either table is: a real activity joined to demo contracts is no real figure
    synthetic = synthetic_flag(activity, synthetic) or bool(contracts.attrs.get(SYNTHETIC_ATTR, False))
    first = first_contracts(contracts)
    written = {c: f"{c}{_FROM_ACTIVITY}" for c in _OF_DOCTOR if c in activity}
    joined = activity.rename(columns=written).merge(first, on="medecin_id", how="left", validate="many_to_one")
    joined, moved = _doctor_descriptions(joined)
    signed = joined["date_signature"]
    joined["nombre_contrats"] = joined["nombre_contrats"].fillna(0).astype("Int64")
    joined["signataire"] = signed.notna()
    start, end = joined["debut_periode"], joined["fin_periode"]
    position = np.select(
        [signed.isna().to_numpy(), (end < signed).to_numpy(dtype=bool), (start > signed).to_numpy(dtype=bool)],
        ["non_signataire", "avant", "apres"],
        default="signature",
    )
    joined["position"] = pd.array(position, dtype="string")
    months = (end - signed).dt.days / _DAYS_PER_MONTH
    joined["mois_depuis_signature"] = months.round(1).astype("Float64")
    notes = [
        "Les médecins sont reliés à leurs contrats par le pseudonyme de leur RPPS ; la première signature date "
        "l'engagement d'un médecin qui a signé plusieurs contrats."
    ]
    if moved:
        plural = moved > 1
        note = (f"{moved} signataire{'s' * plural} placé{'s' * plural} par le suivi d'activité dans un autre "
                f"département que celui de {'leur' if plural else 'son'} premier contrat : le département du "
                "contrat est retenu.")
        warnings.warn(note, UserWarning, stacklevel=2)
        notes.append(note)
    return labelled(joined, as_of=None, sources=[data_source(synthetic)], notes=notes)


def _doctor_descriptions(joined: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """`joined` (the activity, its own `departement`, `region`, `specialite` suffixed `_activite`, merged with the
    first contracts) with one département, region and specialty per row: the contract's when it says it (the
    contract is the reference: the CPAM checked it at signature), else the activity table's (a non-signatory's
    only source; a contract's unrecognised specialty too). Also the number of signatories the activity table
    places, in some period, in another département than their contract's.

    Département and region are taken together from one source, so a row never pairs one table's département with
    the other's region."""
    joined = joined.copy()
    moved = 0
    activity_place = f"departement{_FROM_ACTIVITY}"
    if activity_place in joined:
        contract = joined["departement"] if "departement" in joined else pd.Series(pd.NA, index=joined.index)
        differs = (contract.notna() & joined[activity_place].notna() & (contract != joined[activity_place]))
        moved = int(joined.loc[differs.fillna(False).to_numpy(dtype=bool), "medecin_id"].nunique())
        from_contract = contract.notna().to_numpy(dtype=bool)
        written = joined[activity_place].astype("string")
        own_region = joined["region"] if "region" in joined else pd.Series(pd.NA, index=joined.index)
        joined["departement"] = contract.astype("string").where(from_contract, written)
        joined["region"] = own_region.astype("string").where(from_contract, region_of_departements(written))
    activity_specialty = f"specialite{_FROM_ACTIVITY}"
    if activity_specialty in joined:
        contract = joined.get("specialite", pd.Series(pd.NA, index=joined.index, dtype="string")).astype("string")
        known = contract.notna() & contract.ne(UNRECOGNISED["specialite"])
        written = joined[activity_specialty].astype("string")
        joined["specialite"] = contract.where(known, written.where(written.notna(), contract))
    return joined.drop(columns=[c for c in joined if c.endswith(_FROM_ACTIVITY)]), moved


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IndicatorArgumentError(
            f"table {name} sans les colonnes {', '.join(missing)} : la charger avec am.load() (tables préparées)"
        )


# --- The commitment of each contract: its objective and its status at each review -------------------------------
# Statuses at a review (`review_status`), in the order a table lists them.
STATUSES = {
    "atteint": "objectif atteint",
    "en_bonne_voie": "en bonne voie",
    "trop_tot": "trop tôt pour conclure",
    "manque": "objectif manqué",
    "objectif_non_public": "objectif non public",
}
BELOW_GRID = "sous_P30"  # below P30: the grid sets no growth (the newly installed doctor's P50 is not public)


def commitment_calendar() -> dict[str, object]:
    """The rules of the review calendar, read from the reference table (`reference.commitment_rules`): review
    every `revue_mois` months over `duree_mois`, objective due from contract year `annee_objectif` (the aid depends
    on it), one objective of two since `un_sur_deux_depuis`."""
    rules = reference.commitment_rules().set_index("rule_id")
    return {
        "revue_mois": int(rules.loc["revue_cpam", "value"]),
        "duree_mois": 12 * int(rules.loc["duree_contrat", "value"]),
        # from the third year the aid depends on the objective: it is due at the end of the second
        "echeance_mois": 12 * (int(rules.loc["aide_conditionnee_objectif", "value"]) - 1),
        "un_sur_deux_depuis": pd.Timestamp(rules.loc["un_objectif_sur_deux", "valid_from"]),
    }


def baseline_percentiles(joined: pd.DataFrame) -> pd.Series:
    """Each row's rank (0–100) of the adult MT list among the doctors of the same period (and specialty when known
    for every doctor): the percentile band of the rules, read on the doctors of the table (the national
    distribution by specialty is not public)."""
    known = "specialite" in joined and joined["specialite"].notna().all()
    groups = ["periode", "specialite"] if known else ["periode"]
    return joined.groupby(groups, dropna=False)["patients_mt"].rank(pct=True).mul(100).astype("float64")


def _band(percentile: pd.Series, grid: pd.DataFrame) -> pd.Series:
    bands = grid.drop_duplicates("band").sort_values("percentile_from")
    edges = [*bands["percentile_from"].astype(float), 100.0 + 1e-9]
    labels = bands["band"].tolist()
    cut = pd.cut(percentile, bins=[-1e-9, *edges], labels=[BELOW_GRID, *labels], right=False)
    return cut.astype("string")


def contract_objectives(
    activity: pd.DataFrame, contracts: pd.DataFrame, *, as_of: AsOf | None = None, synthetic: bool | None = None
) -> pd.DataFrame:
    """One row per signatory's first contract signed by `as_of` and observed before its signature: the reference
    period (the last one closed before the signature), the MT list and active list then, the percentile band,
    the objective in % and in patients (MT list and, same growth, active list) and where it comes from
    (`source_objectif`: « contrat » when the follow-up table gives it, « grille » from the avenant 7 grid for the
    one-third option, « non_public » for the half-time and full-time options and below P30, whose objective the
    rules do not publish: left missing, never guessed)."""
    if activity is None or activity.empty:
        raise IndicatorArgumentError("aucune table d'activité des médecins : les engagements ne peuvent pas être "
                                     "suivis (déposer un suivi d'activité CPAM dans le dossier des données)")
    joined = activity_with_contracts(activity, contracts, synthetic=synthetic)
    as_of = pd.Timestamp(as_of) if as_of is not None else None
    joined["percentile"] = baseline_percentiles(joined)
    before = joined[joined["position"].eq("avant").fillna(False).to_numpy(dtype=bool)]
    if as_of is not None:
        before = before[(before["date_signature"] <= as_of).to_numpy(dtype=bool)]
    reference_rows = before.sort_values(["medecin_id", "fin_periode"], kind="stable").drop_duplicates(
        "medecin_id", keep="last")
    grid = reference.commitment_objectives()
    frame = reference_rows.assign(
        periode_reference=reference_rows["periode"],
        patientele_reference=_given(reference_rows, "patientele_initiale", "patients_mt"),
        file_active_reference=reference_rows["file_active"].astype("Float64"),
        tranche=_band(reference_rows["percentile"], grid),
    )
    option = frame["etp_option"].astype("string") if "etp_option" in frame else pd.Series(pd.NA, index=frame.index)
    growth = grid.set_index(["etp_option", "band"])["growth_pct"].astype("Float64")
    from_grid = pd.Series([growth.get((o, b), pd.NA) if pd.notna(o) and pd.notna(b) else pd.NA
                           for o, b in zip(option, frame["tranche"], strict=True)], index=frame.index, dtype="Float64")
    given_pct = _given(frame, "objectif_pct", None)
    given_patients = _given(frame, "objectif_patients", None)
    from_contract = given_pct.notna() | given_patients.notna()
    pct = given_pct.fillna(given_patients / frame["patientele_reference"] * 100 - 100).fillna(from_grid)
    frame["objectif_pct"] = pct.round(2)
    frame["objectif_patients"] = given_patients.fillna((frame["patientele_reference"] * (1 + pct / 100)).round())
    frame["objectif_file_active"] = (frame["file_active_reference"] * (1 + pct / 100)).round()
    frame["source_objectif"] = pd.array(np.where(from_contract, "contrat", np.where(pct.notna().to_numpy(
        dtype=bool, na_value=False), "grille", "non_public")), dtype="string")
    kept = ["contrat_id", "medecin_id", "date_signature", *(c for c in _DESCRIPTIVE if c in frame),
            "periode_reference", "patientele_reference", "file_active_reference", "percentile", "tranche",
            "objectif_pct", "objectif_patients", "objectif_file_active", "source_objectif"]
    notes = [
        "Objectif : grille de l'avenant 7 (option 1/3 : +20 % de P30 à P50, +15 % de P50 à P70, +7,5 % de P70 à "
        "P90, +4 % de P90 à P95, maintien au-delà) ; pour les options 1/2 et temps plein, la grille par tranche "
        "n'est pas publique (seules les fourchettes +6 à +25 % et +12,5 à +35 % le sont) : objectif laissé "
        "manquant, sauf si le suivi CPAM le donne.",
        "Percentile : rang de la patientèle médecin traitant parmi les médecins de la table à la même période "
        "(la distribution nationale par spécialité n'est pas publiée). Même progression demandée à la file "
        "active (hypothèse).",
    ]
    return labelled(frame[kept].reset_index(drop=True), as_of=as_of, sources=[*joined.attrs["sources"], REFERENCE],
                    notes=notes)


def _given(frame: pd.DataFrame, column: str, fallback: str | None) -> pd.Series:
    """A column of the follow-up table when present (the contract's own figure), else `fallback`'s values."""
    value = frame[column].astype("Float64") if column in frame else pd.Series(pd.NA, index=frame.index,
                                                                                 dtype="Float64")
    return value if fallback is None else value.fillna(frame[fallback].astype("Float64"))


def review_status(
    observed_mt: pd.Series, observed_active: pd.Series, objectives: pd.DataFrame, months: pd.Series,
    review_dates: pd.Series, calendar: dict[str, object],
) -> pd.Series:
    """The status of each review (see `STATUSES`):
    - objectif_non_public: the objective is not known;
    - trop_tot: no period closed after the signature yet, or before the due date (`echeance_mois`) and behind
      the straight path from the reference list to the objective at the due date;
    - atteint: the latest list closed by the review reaches the objective — the MT list, or since May 2023
      (`un_sur_deux_depuis`) the MT list or the active list (only one of the two needs to rise);
    - en_bonne_voie: not reached, before the due date, at or above the straight path;
    - manque: not reached at or after the due date (the aid then depends on it)."""
    target_mt, target_active = objectives["objectif_patients"], objectives["objectif_file_active"]
    start = objectives["patientele_reference"]
    reached_mt = (observed_mt >= target_mt).fillna(False)
    reached_active = (observed_active >= target_active).fillna(False)
    one_of_two = (review_dates >= calendar["un_sur_deux_depuis"]).to_numpy()
    reached = reached_mt | (one_of_two & reached_active)
    due = months >= calendar["echeance_mois"]
    path = start + (target_mt - start) * (months / calendar["echeance_mois"]).clip(upper=1)
    on_path = (observed_mt >= path).fillna(False)
    status = np.select(
        [target_mt.isna().to_numpy(), observed_mt.isna().to_numpy(), reached.to_numpy(dtype=bool),
         due.to_numpy(dtype=bool), on_path.to_numpy(dtype=bool)],
        ["objectif_non_public", "trop_tot", "atteint", "manque", "en_bonne_voie"],
        default="trop_tot",
    )
    return pd.Series(status, index=objectives.index, dtype="string")


def commitment_reviews(
    activity: pd.DataFrame, contracts: pd.DataFrame, *, as_of: AsOf | None = None, synthetic: bool | None = None
) -> pd.DataFrame:
    """One row per contract and six-monthly review held by `as_of` (and before the contract's end): its month,
    date, the MT and active lists of the latest period closed by then and after the signature, and the status
    (`review_status`). A contract with no review yet has no row."""
    objectives = contract_objectives(activity, contracts, as_of=as_of, synthetic=synthetic)
    as_of = pd.Timestamp(as_of) if as_of is not None else activity["fin_periode"].max()
    calendar = commitment_calendar()
    ends = _contract_ends(contracts)
    months = np.arange(calendar["revue_mois"], calendar["duree_mois"] + 1, calendar["revue_mois"])
    reviews = objectives.loc[objectives.index.repeat(len(months))].reset_index(drop=True)
    reviews["mois_contrat"] = np.tile(months, len(objectives))
    reviews["date_revue"] = months_after(reviews["date_signature"], reviews["mois_contrat"])
    end = reviews["contrat_id"].map(ends)
    held = (reviews["date_revue"] <= as_of) & ~(reviews["date_revue"] > end).fillna(False)
    reviews = reviews[held.to_numpy(dtype=bool)].reset_index(drop=True)
    observed = _latest_closed(activity, reviews)
    reviews["patients_mt_observes"] = observed["patients_mt"]
    reviews["file_active_observee"] = observed["file_active"]
    reviews["statut"] = review_status(observed["patients_mt"], observed["file_active"], reviews,
                                      reviews["mois_contrat"], reviews["date_revue"], calendar)
    reviews["patients_gagnes"] = reviews["patients_mt_observes"] - reviews["patientele_reference"]
    reviews.attrs = dict(objectives.attrs)
    reviews.attrs["as_of"] = as_of.date().isoformat()
    return reviews


def months_after(dates: pd.Series, months: pd.Series) -> pd.Series:
    """The same day `months` months later (the last day of the month when it has fewer days), vectorised."""
    count = dates.dt.year * 12 + dates.dt.month - 1 + months
    first = pd.to_datetime(pd.DataFrame({"year": count // 12, "month": count % 12 + 1, "day": 1}))
    days = np.minimum(dates.dt.day.to_numpy(), first.dt.days_in_month.to_numpy())
    return (first + pd.to_timedelta(days - 1, unit="D")).astype("datetime64[ns]")


def _contract_ends(contracts: pd.DataFrame) -> pd.Series:
    if "date_fin" not in contracts:
        return pd.Series(dtype="datetime64[ns]")
    return contracts.drop_duplicates("contrat_id").set_index("contrat_id")["date_fin"]


def _latest_closed(activity: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    """For each review, the MT and active lists of the doctor's latest period closed by the review date and
    ending after the signature (missing when there is none yet)."""
    periods = activity[["medecin_id", "fin_periode", "patients_mt", "file_active"]].sort_values("fin_periode")
    periods = periods.astype({"fin_periode": "datetime64[ns]"})
    keyed = reviews[["medecin_id", "date_revue", "date_signature"]].reset_index().sort_values("date_revue")
    found = pd.merge_asof(keyed, periods.rename(columns={"fin_periode": "date_revue_periode"}),
                          left_on="date_revue", right_on="date_revue_periode", by="medecin_id", direction="backward")
    after = (found["date_revue_periode"] > found["date_signature"]).fillna(False).to_numpy(dtype=bool)
    found.loc[~after, ["patients_mt", "file_active"]] = pd.NA
    found = found.set_index("index").sort_index()
    return pd.DataFrame({"patients_mt": found["patients_mt"].astype("Float64"),
                         "file_active": found["file_active"].astype("Float64")}, index=reviews.index)


# --- By territory, option, specialty, background -----------------------------------------------------------------
DIMENSIONS = {
    "region": "région",
    "departement": "département",
    "etp_option": "option",
    "specialite": "spécialité",
    "profil_origine": "profil d'origine",
    "zone": "zonage",
}


def commitment_summary(
    activity: pd.DataFrame, contracts: pd.DataFrame, *, as_of: AsOf | None = None, synthetic: bool | None = None,
    dimensions: tuple[str, ...] = tuple(DIMENSIONS),
) -> pd.DataFrame:
    """Each contract at its latest review by `as_of`, counted by status (`STATUSES`) for France and each category
    of `dimensions`: contracts reviewed, each status, the MT patients gained since the reference period (the raw
    change, not the effect of signing: see `commitment_effect`), the aid of the contract years from the third
    (which depends on the objective, `funding.contract_years`) started by `as_of`, and that aid for the contracts
    whose objective is missed (the amount at stake)."""
    reviews = commitment_reviews(activity, contracts, as_of=as_of, synthetic=synthetic)
    if reviews.empty:
        raise IndicatorArgumentError("aucun contrat suivi n'a encore passé de revue semestrielle à cette date")
    latest = reviews.sort_values(["contrat_id", "mois_contrat"]).drop_duplicates("contrat_id", keep="last")
    aid = _conditional_aid(contracts, pd.Timestamp(reviews.attrs["as_of"]), synthetic)
    latest = latest.assign(aide_conditionnee_eur=latest["contrat_id"].map(aid).fillna(0.0).astype("float64"))
    latest["aide_objectif_manque_eur"] = latest["aide_conditionnee_eur"].where(latest["statut"] == "manque", 0.0)
    frames = [_count_statuses(latest.assign(dimension="france", code="FR"))]
    for dimension in (d for d in dimensions if d in latest):
        frames.append(_count_statuses(latest.assign(dimension=dimension,
                                                    code=latest[dimension].astype("string").fillna("inconnu"))))
    frame = pd.concat(frames, ignore_index=True)
    frame.insert(2, "libelle", category_labels(frame["dimension"], frame["code"]))
    notes = [f"Statut de chaque contrat à sa dernière revue semestrielle : {_status_definitions()}",
             "Aide conditionnée : aide attendue des années de contrat à partir de la troisième (barèmes), commencées "
             "à la date d'arrêté ; aide en jeu : celle des contrats dont l'objectif est manqué.",
             "Patients gagnés : évolution brute de la patientèle médecin traitant depuis la période de référence, "
             "pas l'effet du dispositif (voir l'estimation par différence de différences)."]
    return labelled(frame, as_of=pd.Timestamp(reviews.attrs["as_of"]), sources=reviews.attrs["sources"],
                    notes=[*notes, *reviews.attrs["notes"]])


def _status_definitions() -> str:
    return ("atteint si la patientèle médecin traitant de la dernière période close atteint l'objectif (ou, depuis "
            "mai 2023, la file active le sien : un seul des deux objectifs doit progresser) ; avant l'échéance (fin "
            "de la deuxième année), en bonne voie au-dessus de la trajectoire linéaire vers l'objectif, trop tôt "
            "pour conclure en dessous ou sans période close depuis la signature ; manqué à partir de l'échéance ; "
            "objectif non public quand la grille ne le publie pas (options 1/2 et temps plein).")


def _count_statuses(latest: pd.DataFrame) -> pd.DataFrame:
    grouped = latest.groupby(["dimension", "code"], sort=True)
    counts = pd.crosstab([latest["dimension"], latest["code"]], latest["statut"]).reindex(columns=list(STATUSES),
                                                                                        fill_value=0)
    frame = pd.DataFrame({
        "contrats_revus": grouped.size(),
        **{status: counts[status] for status in STATUSES},
        "patients_gagnes": grouped["patients_gagnes"].sum(min_count=1).astype("Float64"),
        "aide_conditionnee_eur": grouped["aide_conditionnee_eur"].sum(),
        "aide_objectif_manque_eur": grouped["aide_objectif_manque_eur"].sum(),
    }).reset_index()
    for column in ("contrats_revus", *STATUSES):
        frame[column] = frame[column].astype("int64")
    return frame.astype({"dimension": "string", "code": "string"})


def _conditional_aid(contracts: pd.DataFrame, as_of: pd.Timestamp, synthetic: bool | None) -> pd.Series:
    """Per contract, the expected aid of its years from the third started by `as_of` (the rules' `3+` tranche)."""
    from am_analytics.indicators.funding import contract_years

    years = contract_years(contracts, as_of=as_of, synthetic=synthetic)
    from_third = years[years["tranche"] == "3+"]
    return from_third.groupby("contrat_id")["montant_attendu_eur"].sum().astype("float64")


def category_labels(dimensions: pd.Series, codes: pd.Series) -> pd.Series:
    """The French label of each (dimension, code): a region's or département's name, an option, a specialty, a
    background, a zone; « Non renseigné » for an unknown category."""
    from am_analytics.geography import departement_name, region_name
    from am_analytics.vocabulary import ETP_LABELS, PROFILS, SPECIALITES, ZONES

    tables = {"etp_option": ETP_LABELS, "specialite": SPECIALITES, "profil_origine": PROFILS, "zone": ZONES}
    names = {"region": region_name, "departement": departement_name}

    def label(dimension: str, code: str) -> str:
        if dimension in ("france", "ensemble"):
            return "France entière" if dimension == "france" else "Ensemble"
        if code == "inconnu":
            return "Non renseigné"
        if dimension in names:
            return names[dimension](code)
        return tables.get(dimension, {}).get(code, code)

    return pd.Series([label(d, c) for d, c in zip(dimensions, codes, strict=True)], index=codes.index,
                     dtype="string")
