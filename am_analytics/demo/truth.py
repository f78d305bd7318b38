"""The clean synthetic truth: one row per contract in canonical form, drawn with vectorised numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.demo import calibration as cal
from am_analytics.demo.randomness import stratified_uniforms, stream
from am_analytics.vocabulary import CONVENTION_2024, ONE_THIRD_CLOSED, SCHEME_START, SECOND_ASSISTANT_OPTIONS

# --- Stated assumptions (each is listed in the provenance sidecars) ------------------------------------
TERMINATION_RATE_PER_YEAR = 0.04  # "a few % per year" of contracts end early
CONTRACT_YEARS = 5  # avenant 7: contracts run five years, renewable
RENEWAL_SHARE = 0.6  # share of contracts reaching their term that the doctor renews
ALREADY_IN_POST_SHARE = 0.15  # the practice secretary becomes the assistant on the day of signature
HIRING_DELAY_DAYS = (7, 2.0, 12.0)  # minimum, gamma shape, gamma scale: about a month on average
DIPLOMA_HOLDERS = ("infirmier", "aide_soignant", "auxiliaire_puericulture")  # FAE route, not the CQP
FAE_SHARE_OF_DIPLOMA_HOLDERS = 0.85
FORMATION_EMPTY_SHARE = 0.02
SECOND_ASSISTANT_MIN_DAYS = 730  # second assistant only from year 3 of the first contract
DAYS_PER_YEAR = 365.25
RPPS_PREFIX = "99"  # real RPPS numbers start with 1 or 2: a 99 prefix can never be a real person

_DAY = np.timedelta64(1, "D")


def build_truth(n_contracts: int, seed: int) -> pd.DataFrame:
    """The synthetic contracts in canonical form (see the design's `contracts` dataset), signing order."""
    days = signing_days(n_contracts, seed)
    frame = pd.DataFrame({"signature_day": days})
    frame["departement"] = draw_departements(n_contracts, seed)
    frame["specialite"] = draw_specialites(days, seed)
    frame["zone"] = draw_zones(days, seed)
    frame["etp"] = draw_etp(days, frame["zone"].to_numpy(), seed)
    frame["profil_origine"] = draw_profils(n_contracts, seed)
    frame["prise_day"] = draw_prise_days(days, seed)
    frame["fin_day"] = draw_end_days(days, frame["prise_day"].to_numpy(), seed)
    frame = link_doctors(frame, seed)
    frame["formation"] = draw_formations(frame, seed)
    frame["aide_versee_eur"] = aid_paid(frame)
    return to_canonical(frame, seed)


# --- Signing dates ---------------------------------------------------------------------------------------


def signing_days(n_contracts: int, seed: int) -> np.ndarray:
    """Signing day numbers, sorted, by inverting the piecewise-linear cumulative target curve.

    Stratified draws (one per 1/n slice of the total) make the cumulative count meet every milestone to
    within a contract or two; week-end days move to the nearest working day as CPAMs sign on weekdays.
    """
    knot_days, knot_counts = cal.cumulative_knots(n_contracts)
    slices = (np.arange(n_contracts) + stream(seed, "signing").random(n_contracts)) / n_contracts
    fractional = np.interp(slices * knot_counts[-1], knot_counts, knot_days)
    days = np.minimum(np.floor(fractional).astype(np.int64), knot_days[-1])
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (3); Monday = 0
    days = days + np.where(weekday == 5, -1, 0) + np.where(weekday == 6, 1, 0)
    days = np.clip(days, cal.day_number(SCHEME_START), knot_days[-1])
    return np.sort(days)


# --- Categories --------------------------------------------------------------------------------------------


def draw_departements(n_contracts: int, seed: int) -> np.ndarray:
    weights = cal.departement_weights(seed)
    u = stratified_uniforms(stream(seed, "departement"), n_contracts, block=500)
    chosen = np.searchsorted(np.cumsum(weights["share"].to_numpy()), u * (1 - 1e-12), side="right")
    return weights["code"].to_numpy(dtype=object)[chosen]


def draw_specialites(days: np.ndarray, seed: int) -> np.ndarray:
    rng = stream(seed, "specialite")
    is_gp = stratified_uniforms(rng, len(days)) < cal.generalist_schedule().at(days)
    names = list(cal.SPECIALIST_COUNTS_2022)
    counts = np.asarray([cal.SPECIALIST_COUNTS_2022[name] for name in names], dtype=float)
    other = np.asarray(names, dtype=object)[rng.choice(len(names), size=len(days), p=counts / counts.sum())]
    return np.where(is_gp, "medecine_generale", other)


def draw_zones(days: np.ndarray, seed: int) -> np.ndarray:
    """ZIP/ZAC with the published sous-dense share, a few left empty, the rest hors zone ("" = empty)."""
    rng = stream(seed, "zone")
    u = stratified_uniforms(rng, len(days))
    sous_dense = cal.sous_dense_schedule().at(days)
    is_zip = rng.random(len(days)) < cal.ZIP_SHARE_OF_SOUS_DENSE
    zone = np.where(u < sous_dense, np.where(is_zip, "zip", "zac"), "hors_zone").astype(object)
    zone[(u >= sous_dense) & (u < sous_dense + cal.ZONE_EMPTY_SHARE)] = ""
    return zone


def draw_etp(days: np.ndarray, zones: np.ndarray, seed: int) -> np.ndarray:
    """FTE option by signing period; under avenant 7 the 1 ETP option exists only in zone sous-dense.

    Within a period, P(1 ETP | sous-dense) = P(1 ETP) / P(sous-dense), and the 1/3 and 1/2 options share
    the rest in their published proportion, so the period's overall mix is kept.
    """
    u = stratified_uniforms(stream(seed, "etp"), len(days))
    etp = np.empty(len(days), dtype=object)
    sous_dense_share = cal.sous_dense_schedule().at(days)
    in_zone = np.isin(zones, ["zip", "zac"])
    first = cal.day_number(SCHEME_START)
    closed = cal.day_number(ONE_THIRD_CLOSED)
    for period in cal.etp_periods():  # a handful of periods: the loop is over periods, not rows
        last = cal.day_number(period.last_day)
        rows = (days >= first) & (days <= last)
        first = last + 1
        options = list(period.mix)
        probabilities = np.tile(np.asarray([period.mix[o] for o in options]), (rows.sum(), 1))
        if last < closed and "1" in options:
            full = options.index("1")
            p_full = np.where(in_zone[rows], np.minimum(period.mix["1"] / sous_dense_share[rows], 1.0), 0.0)
            rest = 1.0 - period.mix["1"]
            for k, option in enumerate(options):
                if k != full:
                    probabilities[:, k] = period.mix[option] / rest * (1.0 - p_full)
            probabilities[:, full] = p_full
        cumulative = np.cumsum(probabilities, axis=1)
        index = (u[rows, None] > cumulative).sum(axis=1).clip(max=len(options) - 1)
        etp[rows] = np.asarray(options, dtype=object)[index]
    return etp


def draw_profils(n_contracts: int, seed: int) -> np.ndarray:
    names = list(cal.PROFIL_SHARES)
    shares = np.asarray([cal.PROFIL_SHARES[name] for name in names])
    u = stratified_uniforms(stream(seed, "profil"), n_contracts)
    chosen = np.searchsorted(np.cumsum(shares / shares.sum()), u * (1 - 1e-12), side="right")
    return np.asarray(names, dtype=object)[chosen]


# --- Dates of the contract's life -------------------------------------------------------------------------


def draw_prise_days(days: np.ndarray, seed: int) -> np.ndarray:
    """Day the assistant takes up the post (a few weeks after signing); NaN if after the extraction."""
    rng = stream(seed, "prise")
    minimum, shape, scale = HIRING_DELAY_DAYS
    delay = minimum + np.floor(rng.gamma(shape, scale, len(days)))
    delay[rng.random(len(days)) < ALREADY_IN_POST_SHARE] = 0
    prise = (days + delay).astype(float)
    prise[prise > cal.day_number(cal.EXTRACTION_DATE)] = np.nan
    return prise


def term_end_days(days: np.ndarray) -> np.ndarray:
    """Last day of the five-year term (signature + 5 years − 1 day), on the calendar."""
    signature = days.astype("datetime64[D]")
    years = signature.astype("datetime64[Y]")
    month_day = signature - signature.astype("datetime64[M]")
    months = signature.astype("datetime64[M]") - years.astype("datetime64[M]")
    shifted = (years + CONTRACT_YEARS).astype("datetime64[M]") + months
    # 29 February + 5 years does not exist: clamp to the last day of the month
    next_month_start = (shifted + 1).astype("datetime64[D]")
    end = np.minimum(shifted.astype("datetime64[D]") + month_day, next_month_start - _DAY) - _DAY
    return end.astype("int64")


def draw_end_days(days: np.ndarray, prise: np.ndarray, seed: int) -> np.ndarray:
    """End of contract: early termination (constant hazard) or the five-year term, if before extraction."""
    rng = stream(seed, "fin")
    start = np.where(np.isnan(prise), days, prise)
    early = start + np.floor(rng.exponential(DAYS_PER_YEAR / TERMINATION_RATE_PER_YEAR, len(days)))
    end = np.minimum(early, term_end_days(days)).astype(float)
    end[np.isnan(prise)] = np.nan  # never started: nothing to terminate yet
    end[end > cal.day_number(cal.EXTRACTION_DATE)] = np.nan
    return end


# --- Doctors: renewals and second assistants ---------------------------------------------------------------


def _strictly_increasing_slots(start_positions: np.ndarray) -> np.ndarray:
    """Positions ≥ the given (sorted) ones with no two equal: p_k = max(s_k, p_{k−1} + 1), vectorised."""
    k = np.arange(len(start_positions))
    return np.maximum.accumulate(start_positions - k) + k


def link_doctors(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Give some contracts the doctor of an earlier one: renewals at term and second-assistant contracts.

    A renewal is the first free contract signed after the old one's term; a second-assistant contract
    (2024 convention) goes to a doctor whose full-time contract is at least two years old and still
    running, which it replaces (the old one ends the day before). The later contract takes the doctor's
    département, specialty and zone. Vectorised; loops run over a few retry rounds, not over rows.
    """
    rng = stream(seed, "doctors")
    n = len(frame)
    days = frame["signature_day"].to_numpy()
    fin = frame["fin_day"].to_numpy().copy()
    etp = frame["etp"].to_numpy()
    doctor = np.arange(n)
    predecessor = np.full(n, -1)

    # Renewals: contracts that reached their term (their end is the term's last day) before extraction.
    reached_term = ~np.isnan(fin) & (fin == term_end_days(days))
    renewing = np.flatnonzero(reached_term & (rng.random(n) < RENEWAL_SHARE))
    pool = np.flatnonzero(~np.isin(etp, SECOND_ASSISTANT_OPTIONS))
    order = np.argsort(fin[renewing], kind="stable")
    renewing = renewing[order]
    slots = _strictly_increasing_slots(np.searchsorted(days[pool], fin[renewing] + 1, side="left"))
    keep = slots < len(pool)
    successors = pool[slots[keep]]
    predecessor[successors] = renewing[keep]

    # Second assistants: predecessor = a running full-time contract signed at least two years before.
    seconds = np.flatnonzero(np.isin(etp, SECOND_ASSISTANT_OPTIONS))
    candidates = np.flatnonzero((etp == "1") & np.isnan(fin) & (predecessor == -1))
    candidates = candidates[~np.isin(candidates, predecessor[predecessor >= 0])]
    available = np.searchsorted(days[candidates], days[seconds] - SECOND_ASSISTANT_MIN_DAYS, side="right")
    chosen = np.full(len(seconds), -1)
    taken = np.zeros(len(candidates), dtype=bool)
    for _ in range(30):  # retry rounds for the few draws that collide
        todo = np.flatnonzero((chosen < 0) & (available > 0))
        if len(todo) == 0:
            break
        pick = np.floor(rng.random(len(todo)) * available[todo]).astype(int)
        pick_unique, first = np.unique(pick, return_index=True)
        free = ~taken[pick_unique]
        winners = todo[first[free]]
        chosen[winners] = pick_unique[free]
        taken[pick_unique[free]] = True
    linked = chosen >= 0
    predecessor[seconds[linked]] = candidates[chosen[linked]]
    fin[candidates[chosen[linked]]] = days[seconds[linked]] - 1
    # Without an old enough full-time contract to build on, the option is not open: 1 ETP instead.
    etp = etp.copy()
    etp[seconds[~linked]] = "1"

    has_predecessor = predecessor >= 0
    doctor[has_predecessor] = predecessor[has_predecessor]  # predecessors are never linked themselves
    out = frame.copy()
    out["fin_day"] = fin
    out["etp"] = etp
    out["doctor"] = doctor
    out["predecessor"] = predecessor
    for column in ("departement", "specialite", "zone"):
        values = out[column].to_numpy().copy()
        values[has_predecessor] = values[predecessor[has_predecessor]]
        out[column] = values
    profils = out["profil_origine"].to_numpy().copy()
    renewed = has_predecessor & ~np.isin(etp, SECOND_ASSISTANT_OPTIONS)
    profils[renewed] = profils[predecessor[renewed]]  # the same assistant usually stays on renewal
    out["profil_origine"] = profils
    return out


# --- Training and aid ---------------------------------------------------------------------------------------


def training_deadline_years(days: np.ndarray) -> np.ndarray:
    """Years allowed to obtain the certification: 3, or 2 for contracts under the 2024 convention."""
    return np.where(days >= cal.day_number(CONVENTION_2024), 2.0, 3.0)


def draw_formations(frame: pd.DataFrame, seed: int) -> np.ndarray:
    """Training status at extraction, by seniority in post; about 10 % miss the deadline.

    Diploma holders (nurses, care assistants, auxiliaires de puériculture) mostly follow the FAE
    adaptation route. Others: the share with the CQP grows with years in post from 9 months on, up to
    90 %; of the rest most are in training after three months in post, the others have none yet.
    """
    rng = stream(seed, "formation")
    n = len(frame)
    prise = frame["prise_day"].to_numpy()
    years_in_post = (cal.day_number(cal.EXTRACTION_DATE) - prise) / DAYS_PER_YEAR
    years_in_post = np.where(np.isnan(years_in_post), 0.0, years_in_post)
    p_obtained = np.clip((years_in_post - 0.75) / 1.9, 0.0, 0.9)
    u = rng.random(n)
    p_in_progress = np.where(years_in_post >= 0.25, 0.75, 0.35) * (1 - p_obtained)
    status = np.where(u < p_obtained, "cqp_obtenu", np.where(u < p_obtained + p_in_progress, "cqp_en_cours", "aucune"))
    status = status.astype(object)
    diploma = np.isin(frame["profil_origine"].to_numpy(), DIPLOMA_HOLDERS)
    status[diploma & (rng.random(n) < FAE_SHARE_OF_DIPLOMA_HOLDERS)] = "diplome_etat_fae"
    status[np.isnan(prise) & (status == "cqp_obtenu")] = "aucune"
    status[rng.random(n) < FORMATION_EMPTY_SHARE] = ""
    return status


def _aid_table() -> dict[tuple[str, str, str], float]:
    rules = reference.funding_rules()
    standard = rules[rules["patientele_band"].eq("standard") & rules["amount_eur"].notna()]
    return {
        (row.regime, row.etp_option, row.contract_year): float(row.amount_eur)
        for row in standard.itertuples(index=False)
    }


def aid_paid(frame: pd.DataFrame) -> np.ndarray:
    """CPAM aid paid from taking up the post to the end or the extraction, pro rata temporis (euros).

    Standard patient-list band; each contract year is paid at the regime in force when it starts (the
    2024 raise applies from the anniversary). Second-assistant amounts are not published: left empty.
    """
    table = _aid_table()
    prise = frame["prise_day"].to_numpy()
    stop = np.where(
        np.isnan(frame["fin_day"].to_numpy()), cal.day_number(cal.EXTRACTION_DATE), frame["fin_day"].to_numpy()
    )
    elapsed = np.clip((stop - prise) / DAYS_PER_YEAR, 0.0, None)
    etp = frame["etp"].to_numpy()
    total = np.zeros(len(frame))
    unknown = np.isnan(prise) | np.isin(etp, SECOND_ASSISTANT_OPTIONS)
    convention = cal.day_number(CONVENTION_2024)
    for year in range(1, CONTRACT_YEARS + 2):  # contract years, not rows
        share_of_year = np.clip(elapsed - (year - 1), 0.0, 1.0)
        year_start = prise + (year - 1) * DAYS_PER_YEAR
        bucket = str(year) if year <= 2 else "3+"
        for option in ("1/3", "1/2", "1"):
            for regime, in_force in (
                ("avenant_7", year_start < convention),
                ("convention_2024", year_start >= convention),
            ):
                rows = (etp == option) & in_force & (share_of_year > 0)
                amount = table.get((regime, option, bucket))
                if amount is None:
                    unknown |= rows
                else:
                    total[rows] += amount * share_of_year[rows]
    total = np.round(total, 2)
    total[unknown] = np.nan
    return total


# --- Identifiers and canonical columns --------------------------------------------------------------------


def luhn_check_digit(bodies: np.ndarray, width: int) -> np.ndarray:
    """Luhn check digit of integer bodies of `width` digits (real RPPS numbers carry one)."""
    total = np.zeros(len(bodies), dtype=np.int64)
    remaining = bodies.astype(np.int64)
    for position in range(width):  # digits from the right: every other one is doubled
        digit = remaining % 10
        remaining //= 10
        if position % 2 == 0:
            digit = digit * 2
            digit = np.where(digit > 9, digit - 9, digit)
        total += digit
    return (10 - total % 10) % 10


def synthetic_rpps(doctor_index: np.ndarray, seed: int) -> np.ndarray:
    """11-digit identifiers `99` + 8 digits + Luhn digit, unique per doctor index.

    An affine permutation of 0..10⁸−1 (multiplier coprime with 10) spreads the numbers without storing a
    table, so it scales to millions of doctors.
    """
    rng = stream(seed, "rpps")
    multiplier = int(rng.integers(10**6, 10**7)) * 10 + 7  # ends in 7: coprime with 2 and 5
    offset = int(rng.integers(0, 10**8))
    bodies = (doctor_index.astype(np.int64) * multiplier + offset) % 10**8
    with_prefix = int(RPPS_PREFIX) * 10**8 + bodies
    numbers = with_prefix * 10 + luhn_check_digit(with_prefix, 10)
    return numbers.astype(str).astype(object)


def contract_ids(sequence: np.ndarray, days: np.ndarray) -> np.ndarray:
    """`AM<year>-<7-digit sequence>`: numbered in signing order, as a CPAM register would."""
    years = days.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    numbers = pd.Series(sequence.astype(str)).str.zfill(7)
    return ("AM" + pd.Series(years.astype(str)) + "-" + numbers).to_numpy(dtype=object)


def _dates(day_numbers: np.ndarray) -> pd.Series:
    """Day numbers (NaN = missing) as datetimes at day precision."""
    return pd.Series(pd.to_datetime(np.asarray(day_numbers, dtype=float), unit="D")).astype("datetime64[s]")


def to_canonical(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The truth with the design's canonical columns; empty categories are missing values."""
    n = len(frame)
    _, doctor_rank = np.unique(frame["doctor"].to_numpy(), return_inverse=True)
    regions = reference.departements().set_index("code")["region_code"]
    out = pd.DataFrame(
        {
            "contrat_id": contract_ids(np.arange(1, n + 1), frame["signature_day"].to_numpy()),
            "medecin_id": synthetic_rpps(doctor_rank, seed),
            "date_signature": _dates(frame["signature_day"].to_numpy()),
            "date_fin": _dates(frame["fin_day"].to_numpy()),
            "departement": frame["departement"].to_numpy(),
            "region": frame["departement"].map(regions).to_numpy(),
            "specialite": frame["specialite"].to_numpy(),
            "zone": frame["zone"].to_numpy(),
            "etp": frame["etp"].to_numpy(),
            "profil_origine": frame["profil_origine"].to_numpy(),
            "formation": frame["formation"].to_numpy(),
            "date_prise_fonction": _dates(frame["prise_day"].to_numpy()),
            "aide_versee_eur": pd.array(frame["aide_versee_eur"].to_numpy(), dtype="Float64"),
        }
    )
    for column in (
        "contrat_id",
        "medecin_id",
        "departement",
        "region",
        "specialite",
        "zone",
        "etp",
        "profil_origine",
        "formation",
    ):
        out[column] = out[column].astype("string").replace("", pd.NA)
    return out
