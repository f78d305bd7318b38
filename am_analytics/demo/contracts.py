"""Contract extracts as they really arrive: yearly files in varied formats, spellings and a few listed defects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from am_analytics import reference
from am_analytics.atomic import atomic_path
from am_analytics.demo import variants, xlsx
from am_analytics.demo.randomness import stream
from am_analytics.demo.truth import contract_ids, synthetic_rpps
from am_analytics.vocabulary import ONE_THIRD_CLOSED

NNBSP, NBSP = "\u202f", "\u00a0"  # narrow and ordinary no-break spaces: French thousands separators

CONTRACT_GROUPS = (  # the xlsx export's first header row: merged group cells over these fields
    ("Contrat", ("contrat_id", "date_signature", "date_fin", "etp", "aide_versee_eur")),
    ("Médecin", ("medecin_id", "departement", "specialite", "zone")),
    ("Assistant", ("profil_origine", "formation", "date_prise_fonction")),
)


@dataclass(frozen=True)
class ExtractFile:
    """One export file: which signing dates it covers, its format and how it spells headers and values."""

    name: str
    first_day: date
    last_day: date
    kind: str  # "csv" or "xlsx"
    encoding: str  # Python codec; "utf-8-sig" writes a BOM
    newline: str
    headers: dict[str, str]  # canonical column → header as written, in the file's column order
    styles: dict[str, dict[str, float]] = field(default_factory=dict)  # field → variant weights
    thousands: str = NNBSP
    description: str = ""

    @property
    def first_data_line(self) -> int:
        return 4 if self.kind == "xlsx" else 2  # xlsx: title row, group row, field-name row


def _headers(*pairs: str) -> dict[str, str]:
    canonical = (
        "contrat_id",
        "medecin_id",
        "date_signature",
        "date_fin",
        "departement",
        "specialite",
        "zone",
        "etp",
        "profil_origine",
        "formation",
        "date_prise_fonction",
        "aide_versee_eur",
    )
    return dict(zip(canonical, pairs, strict=False))


def extract_plan() -> list[ExtractFile]:
    """The contract files, one per signing year (2019–2020 together), each in its own conventions."""
    xlsx_headers = _headers(
        "N° contrat",
        "RPPS médecin",
        "Date de signature",
        "Date de fin",
        "Département",
        "Spécialité",
        "Zone",
        "Quotité",
        "Profil d'origine",
        "Formation",
        "Date de prise de fonction",
        "Aide versée (€)",
    )
    order = [column for _, columns in CONTRACT_GROUPS for column in columns]
    return [
        ExtractFile(
            "contrats_2019_2020.xlsx",
            date(2019, 9, 1),
            date(2020, 12, 31),
            "xlsx",
            "utf-8",
            "\n",
            {column: xlsx_headers[column] for column in order},
            {
                "departement": {"code": 0.7, "unpadded": 0.3},
                "etp": {"avenant7_code": 0.85, "fraction": 0.15},
                "specialite": {"label": 0.9, "acronym": 0.1},
                "profil_origine": {"label": 0.8, "short": 0.2},
            },
            description="classeur Excel : une feuille par année (2019, 2020) puis une notice ; ligne de titre, "
            "en-tête sur deux lignes (groupes fusionnés puis champs)",
        ),
        ExtractFile(
            "contrats_2021.csv",
            date(2021, 1, 1),
            date(2021, 12, 31),
            "csv",
            "cp1252",
            "\r\n",
            _headers(
                "Numéro de contrat",
                "Identifiant RPPS",
                "Date signature contrat",
                "Date fin contrat",
                "Dépt",
                "Spécialité du médecin",
                "Zonage",
                "Option ETP",
                "Profession antérieure",
                "Formation suivie",
                "Date d'embauche",
                "Montant aide",
            ),
            {
                "departement": {"name_plain": 0.6, "name_upper": 0.3, "code": 0.1},
                "etp": {"fraction": 0.8, "decimal": 0.1, "avenant7_code": 0.1},
                "specialite": {"label": 0.7, "acronym": 0.3},
                "profil_origine": {"label": 0.5, "short": 0.5},
            },
            thousands=NBSP,
            description="CSV Windows-1252, fins de ligne CRLF, départements en toutes lettres",
        ),
        ExtractFile(
            "contrats_2022.csv",
            date(2022, 1, 1),
            date(2022, 12, 31),
            "csv",
            "utf-8-sig",
            "\n",
            _headers(
                "numero_contrat",
                "rpps_medecin",
                "date_signature",
                "date_fin",
                "code_departement",
                "specialite",
                "zone_sous_dense",
                "etp",
                "profil_origine",
                "statut_formation",
                "date_prise_fonction",
                "aide_versee",
            ),
            {
                "departement": {"code": 0.8, "unpadded": 0.15, "lower": 0.05},
                "etp": {"decimal": 0.85, "fraction": 0.15},
                "specialite": {"label": 1.0},
                "profil_origine": {"short": 0.6, "label": 0.4},
            },
            description="CSV UTF-8 avec BOM, en-têtes en noms de champs",
        ),
        ExtractFile(
            "contrats_2023.csv",
            date(2023, 1, 1),
            date(2023, 12, 31),
            "csv",
            "utf-8",
            "\n",
            _headers(
                "NUM_CONTRAT",
                "RPPS",
                "Date de signature",
                "Date de résiliation",
                "DEPARTEMENT",
                "Spécialité",
                "Zone",
                "Temps de travail",
                "Profil d'origine",
                "Formation",
                "Date de prise de fonction",
                "Aide versée (€)",
            ),
            {
                "departement": {"code": 0.5, "name_upper": 0.3, "unpadded": 0.2},
                "etp": {"words": 0.6, "percent": 0.1, "fraction": 0.3},
                "specialite": {"label": 0.85, "acronym": 0.15},
                "profil_origine": {"label": 0.9, "short": 0.1},
            },
            description="CSV UTF-8, quotités en toutes lettres, départements en codes ou en majuscules",
        ),
        ExtractFile(
            "contrats_2024.csv",
            date(2024, 1, 1),
            date(2024, 12, 31),
            "csv",
            "utf-8",
            "\r\n",
            _headers(
                "N° contrat",
                "RPPS",
                "Date de signature",
                "Date de fin",
                "Département",
                "Spécialité",
                "Zone",
                "Quotité",
                "Profil d'origine",
                "Formation",
                "Date de prise de fonction",
                "Montant aide",
            ),
            {
                "departement": {"code": 0.9, "lower": 0.1},
                "etp": {"fraction": 1.0},
                "specialite": {"label": 0.9, "acronym": 0.1},
                "profil_origine": {"label": 0.8, "short": 0.2},
            },
            description="CSV UTF-8, fins de ligne CRLF",
        ),
        ExtractFile(
            "contrats_2025_S1.csv",
            date(2025, 1, 1),
            date(2025, 6, 30),
            "csv",
            "utf-8",
            "\n",
            _headers(
                "N° contrat",
                "RPPS médecin",
                "Date de signature",
                "date_fin",
                "Département",
                "Spécialité",
                "Zone",
                "Option ETP",
                "Profil d'origine",
                "Formation",
                "Date d'embauche",
            ),
            {
                "departement": {"code": 0.85, "unpadded": 0.15},
                "etp": {"decimal": 0.7, "fraction": 0.3},
                "specialite": {"label": 1.0},
                "profil_origine": {"label": 0.85, "short": 0.15},
            },
            description="CSV UTF-8, premier semestre 2025, sans colonne de montant d'aide",
        ),
    ]


# --- Defects: kinds, expected handling, and how many ---------------------------------------------------

# kind → (canonical column concerned, expected quarantine reason or handling, share of contracts, minimum)
DEFECTS = {
    "exact_duplicate": ("contrat_id", "merged exact duplicate", 0.005, 4),
    "conflicting_duplicate": ("date_prise_fonction", "doublon_conflictuel", 0.001, 2),
    "departement_typo": ("departement", "departement_inconnu", 0.0012, 3),
    "end_before_signature": ("date_fin", "date_fin_avant_signature", 0.0005, 2),
    "departement_unknown": ("departement", "departement_inconnu", 0.0005, 2),
    "departement_ambiguous": ("departement", "departement_ambigu", 0.0005, 2),
    "etp_negative": ("etp", "etp_invalide", 0.0005, 2),
    "one_third_after_closure": ("etp", "etp_non_autorise", 0.0005, 2),
    "excel_serial_date": ("date_signature", "converted from Excel serial", 0.0005, 3),
    "empty_background": ("profil_origine", "kept as inconnu", None, 0),  # natural: every empty cell is listed
    # a profession typed by hand that is none of the backgrounds: the contract is kept, the value warned
    "unlisted_profession": ("profil_origine", "kept with a warning (profil_inconnu)", 0.0005, 3),
}
# Professions people type in a background column that are none of the scheme's backgrounds (and must never be
# mapped to the closest one).
UNLISTED_PROFESSIONS = ("Assistante maternelle", "Agent d'accueil", "Hôtesse de caisse", "Auxiliaire de vie")
IMPOSSIBLE_KINDS = (
    "end_before_signature",
    "departement_unknown",
    "departement_ambiguous",
    "etp_negative",
    "one_third_after_closure",
)
UNKNOWN_DEPARTEMENT_CODES = ("99", "100")
DUPLICATE_WINDOW_DAYS = 45  # overlapping exports repeat the last weeks of the previous file


def defect_count(kind: str, n_contracts: int) -> int:
    _, _, share, minimum = DEFECTS[kind]
    return max(minimum, int(round(share * n_contracts)))


def file_of(days: pd.Series, plan: list[ExtractFile]) -> np.ndarray:
    """Index of the file covering each signing date."""
    lasts = np.asarray([np.datetime64(f.last_day, "s") for f in plan])
    return np.searchsorted(lasts, days.to_numpy(dtype="datetime64[s]"), side="left")


def assemble_rows(truth: pd.DataFrame, plan: list[ExtractFile], seed: int) -> pd.DataFrame:
    """Every row of every file in canonical form, with the defect each carries (`_kind`) and its file.

    Truth rows go to the file of their signing year; exact copies go to the next file (overlapping
    exports), conflicting versions to the same file; impossible rows are extra contracts made from a truth
    row with one value broken.
    """
    rng = stream(seed, "defects")
    n = len(truth)
    rows = truth.copy()
    rows["_file"] = file_of(rows["date_signature"], plan)
    rows["_kind"] = ""
    rows["_note"] = ""
    used = np.zeros(n, dtype=bool)

    def pick(mask: np.ndarray, count: int) -> np.ndarray:
        pool = np.flatnonzero(mask & ~used)
        chosen = np.sort(rng.choice(pool, size=min(count, len(pool)), replace=False))
        used[chosen] = True
        return chosen

    # Copies into the next file: the file must exist and carry the same columns.
    file_index = rows["_file"].to_numpy()
    last_days = np.asarray([np.datetime64(f.last_day, "s") for f in plan])[np.minimum(file_index, len(plan) - 1)]
    in_window = rows["date_signature"].to_numpy(dtype="datetime64[s]") > last_days - np.timedelta64(
        DUPLICATE_WINDOW_DAYS, "D"
    )
    same_columns = np.asarray(
        [i + 1 < len(plan) and set(plan[i].headers) == set(plan[i + 1].headers) for i in range(len(plan))]
    )[file_index]
    copyable = in_window & same_columns

    exact = pick(copyable, defect_count("exact_duplicate", n))
    rows.iloc[exact, rows.columns.get_loc("_kind")] = "exact_duplicate"
    exact_copies = rows.iloc[exact].copy()
    exact_copies["_file"] += 1

    has_dates = (
        rows["date_prise_fonction"].notna().to_numpy() & rows["formation"].isin(["cqp_en_cours", "aucune"]).to_numpy()
    )
    conflicts = pick(copyable & has_dates, defect_count("conflicting_duplicate", n))
    rows.iloc[conflicts, rows.columns.get_loc("_kind")] = "conflicting_duplicate"
    # Two versions in one extract (one extract date): neither can be chosen. Across extracts, a later version
    # is an update, not a conflict (see the re-sent 2024 extract).
    conflict_copies = rows.iloc[conflicts].copy()
    shift = pd.to_timedelta(rng.integers(7, 46, len(conflicts)), unit="D")
    conflict_copies["date_prise_fonction"] = conflict_copies["date_prise_fonction"] + shift

    impossible = pd.concat([make_impossible(kind, rows, pick, rng) for kind in IMPOSSIBLE_KINDS], ignore_index=True)
    # Numbers beyond the register's, so they never collide with a real (truth) contract or doctor.
    sequence = n + 1 + np.arange(len(impossible))
    signed = impossible["date_signature"].to_numpy(dtype="datetime64[D]").astype("int64")
    impossible["contrat_id"] = pd.array(contract_ids(sequence, signed), dtype="string")
    impossible["medecin_id"] = pd.array(synthetic_rpps(10**7 + sequence, seed), dtype="string")
    out = pd.concat([rows, exact_copies, conflict_copies, impossible], ignore_index=True)
    out["_reserved"] = False
    out.loc[: n - 1, "_reserved"] = used
    return out


def make_impossible(kind: str, rows: pd.DataFrame, pick: Callable, rng: np.random.Generator) -> pd.DataFrame:
    """Extra rows with one impossible value each, copied from truth rows for every other value."""
    n = len(rows)
    count = defect_count(kind, n)
    signed = rows["date_signature"]
    eligible = np.ones(n, dtype=bool)
    if kind == "one_third_after_closure":
        eligible = (signed >= pd.Timestamp(ONE_THIRD_CLOSED)).to_numpy() & rows["etp"].eq("1/2").to_numpy()
    elif kind == "etp_negative":
        eligible = rows["etp"].eq("1/2").to_numpy()
    elif kind == "end_before_signature":
        eligible = rows["date_fin"].isna().to_numpy()
    templates = pick(eligible, count)
    extra = rows.iloc[templates].copy()
    extra["_kind"] = kind
    if kind == "end_before_signature":
        extra["date_fin"] = extra["date_signature"] - pd.to_timedelta(rng.integers(10, 200, len(extra)), unit="D")
    elif kind == "departement_unknown":
        extra["departement"] = [UNKNOWN_DEPARTEMENT_CODES[k % 2] for k in range(len(extra))]
    elif kind == "departement_ambiguous":
        extra["departement"] = "20"
    elif kind == "one_third_after_closure":
        extra["etp"] = "1/3"
        extra["aide_versee_eur"] = pd.NA
    return extra


# --- Rendering and writing ------------------------------------------------------------------------------


FIELD_VARIANTS = {
    "etp": variants.ETP,
    "specialite": variants.SPECIALITE,
    "profil_origine": variants.PROFIL,
    "zone": variants.ZONE,
    "formation": variants.FORMATION,
}
DATE_COLUMNS = ("date_signature", "date_fin", "date_prise_fonction")


def order_in_file(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of one file in export order: by signing date, then contract number (copies keep theirs)."""
    return rows.sort_values(["date_signature", "contrat_id", "_kind"], kind="stable").reset_index(drop=True)


def render_file(rows: pd.DataFrame, extract: ExtractFile, seed: int) -> pd.DataFrame:
    """The text of every cell as the file writes it (xlsx cells become typed values at writing time)."""
    rng = stream(seed, f"render:{extract.name}")
    out = pd.DataFrame(index=rows.index)
    dept_variants = variants.departement_variants()
    for column in extract.headers:
        if column == "departement" and extract.headers[column] == CAISSE_HEADER:
            out[column] = rows[column].map(caisse_codes_of_departements()).astype("string").fillna("").to_numpy(
                dtype=object
            )
        elif column == "departement":
            out[column] = variants.render(rows[column], dept_variants, extract.styles["departement"], rng)
        elif column in FIELD_VARIANTS:
            style = extract.styles.get(column, {"label": 1.0})
            out[column] = variants.render(rows[column], FIELD_VARIANTS[column], style, rng)
        elif column in DATE_COLUMNS:
            out[column] = variants.french_dates(rows[column])
        elif column == "aide_versee_eur":
            out[column] = variants.french_decimal(
                rows[column].to_numpy(dtype=float, na_value=np.nan), extract.thousands
            )
        else:
            out[column] = rows[column].astype("string").fillna("").to_numpy(dtype=object)
    negative = rows["_kind"].eq("etp_negative").to_numpy()
    decimal_file = next(iter(extract.styles["etp"])) == "decimal"
    out.loc[negative, "etp"] = "-0,5" if decimal_file else "-1/2"
    return out


def inject_unlisted_professions(
    rendered: pd.DataFrame, rows: pd.DataFrame, count: int, rng: np.random.Generator
) -> np.ndarray:
    """Write a few backgrounds as professions outside the list; returns the rows touched."""
    pool = np.flatnonzero(
        rows["_kind"].eq("").to_numpy() & ~rows["_reserved"].to_numpy(dtype=bool)
        & rendered["profil_origine"].ne("").to_numpy()
    )
    chosen = np.sort(rng.choice(pool, size=min(count, len(pool)), replace=False))
    rendered.loc[chosen, "profil_origine"] = [UNLISTED_PROFESSIONS[k % len(UNLISTED_PROFESSIONS)]
                                              for k in range(len(chosen))]
    return chosen


def inject_typos(rendered: pd.DataFrame, rows: pd.DataFrame, count: int, rng: np.random.Generator) -> np.ndarray:
    """Misspell a few département names written in full; returns the rows touched."""
    written_as_name = ~rendered["departement"].str.fullmatch(r"[0-9]+|2[AaBb]").to_numpy(dtype=bool)
    pool = np.flatnonzero(written_as_name & rows["_kind"].eq("").to_numpy() & ~rows["_reserved"].to_numpy(dtype=bool))
    chosen = np.sort(rng.choice(pool, size=min(count, len(pool)), replace=False))
    rendered.loc[chosen, "departement"] = [variants.misspell(name) for name in rendered.loc[chosen, "departement"]]
    return chosen


def write_csv(path: Path, rendered: pd.DataFrame, extract: ExtractFile, advance: Callable[[int], None]) -> None:
    """Write atomically, in chunks (a progress bar advances), with the file's encoding and line endings."""
    chunk = 50_000
    with atomic_path(path) as temporary, open(temporary, "w", encoding=extract.encoding, newline="") as stream_:
        stream_.write(";".join(extract.headers[c] for c in rendered.columns) + extract.newline)
        for start in range(0, len(rendered), chunk):
            part = rendered.iloc[start : start + chunk]
            stream_.write(part.to_csv(sep=";", header=False, index=False, lineterminator=extract.newline))
            advance(len(part))


def xlsx_cells(rendered: pd.DataFrame, rows: pd.DataFrame, serial_rows: np.ndarray) -> list[list]:
    """Typed cells of the xlsx: real dates (a few as bare Excel serials), amounts as numbers, codes as
    numbers where Excel would have turned `1` into 1."""
    n = len(rows)
    columns: dict[str, np.ndarray] = {}
    for column in rendered.columns:
        if column in DATE_COLUMNS:
            columns[column] = rows[column].to_numpy(dtype="datetime64[D]").astype(object)
        elif column == "aide_versee_eur":
            columns[column] = rows[column].to_numpy(dtype=float, na_value=np.nan).astype(object)
        elif column == "departement":
            text = rendered[column].to_numpy(dtype=object)
            numeric = rendered[column].str.fullmatch(r"[1-9][0-9]?").to_numpy(dtype=bool)  # unpadded codes
            as_numbers = np.where(
                numeric, pd.to_numeric(rendered[column], errors="coerce").fillna(0).astype(int).to_numpy(), 0
            )
            columns[column] = np.where(numeric, as_numbers.astype(object), text)
        else:
            columns[column] = rendered[column].to_numpy(dtype=object)
    for row in serial_rows:
        columns["date_signature"][row] = xlsx.excel_serial(columns["date_signature"][row])
    # NaT converts to None already; one list per row for the streaming writer, amounts in money format
    amount = list(rendered.columns).index("aide_versee_eur")
    cells = [list(values) for values in zip(*(columns[c] for c in rendered.columns), strict=True)] if n else []
    for row in cells:
        row[amount] = (row[amount], xlsx.AMOUNT)
    return cells


def xlsx_sheet(extract: ExtractFile, cells: list[list], title: str, name: str = "Contrats") -> xlsx.Sheet:
    headers = list(extract.headers.values())
    group_row: list = []
    merged = []
    start = 0
    for label, fields in CONTRACT_GROUPS:
        group_row += [(label, xlsx.TITLE)] + [None] * (len(fields) - 1)
        merged.append(f"{xlsx.column_letter(start)}2:{xlsx.column_letter(start + len(fields) - 1)}2")
        start += len(fields)
    rows = [[(title, xlsx.BOLD)], group_row, [(h, xlsx.BOLD) for h in headers], *cells]
    return xlsx.Sheet(
        name, rows, widths=[16] * len(headers), merged=merged, n_rows=len(rows), n_columns=len(headers)
    )


# The notice real workbooks carry beside their data sheets: read by people, skipped by the preparation.
NOTICE_SHEET = "Notice"
NOTICE_LINES = (
    "Notice de l'extraction des contrats d'aide à l'emploi d'un assistant médical",
    "Une feuille par année de signature (2019, 2020).",
    "Ligne 1 : titre ; ligne 2 : groupes de colonnes (contrat, médecin, assistant) ; ligne 3 : champs.",
    "Quotité : numéro d'option de l'avenant 7 (option 1 = 1/3 ETP, option 2 = 1/2, option 3 = temps plein) "
    "ou fraction.",
    "Aide versée : montant cumulé versé par la CPAM à la date de l'extraction, en euros.",
    "RPPS : identifiant du médecin signataire (pseudonymisé à la préparation).",
    "Données de démonstration synthétiques : aucun contrat réel.",
)


def year_sheets(rows: pd.DataFrame) -> list[tuple[str, np.ndarray]]:
    """(sheet name, positions of its rows) per signing year, the way exports split a workbook by year."""
    years = rows["date_signature"].dt.year.to_numpy()
    return [(str(year), np.flatnonzero(years == year)) for year in sorted(set(years.tolist()))]


def write_xlsx(
    path: Path,
    extract: ExtractFile,
    cells: list[list],
    title: str,
    advance: Callable[[int], None],
    sheets: list[tuple[str, np.ndarray]] | None = None,
) -> None:
    """One data sheet per (name, row positions) of `sheets` (default: one "Contrats" sheet), then a notice."""
    parts = sheets or [("Contrats", np.arange(len(cells)))]

    def counted(rows, total):
        for k, row in enumerate(rows):
            yield row
            if k >= 3 and (k - 2) % 10_000 == 0:
                advance(10_000)
        advance(total % 10_000)

    written = []
    for name, positions in parts:
        part_cells = [cells[i] for i in positions]
        sheet = xlsx_sheet(extract, part_cells, f"{title} — {name}" if sheets else title, name=name)
        sheet.rows = counted(sheet.rows, len(part_cells))
        written.append(sheet)
    if sheets:
        notice = [[(NOTICE_LINES[0], xlsx.BOLD)], *[[line] for line in NOTICE_LINES[1:]]]
        written.append(xlsx.Sheet(NOTICE_SHEET, notice, widths=[120], n_rows=len(notice), n_columns=1))
    with atomic_path(path) as temporary:
        xlsx.write_workbook(temporary, written, title, large=len(cells) > 200_000)


# --- What real extracts carry besides yearly files -------------------------------------------------------
# A cumulative extract re-sent later with what changed (end dates, aid totals), and contracts keyed by caisse.
RESENT_SOURCE = "contrats_2024.csv"
RESENT_NAME = "contrats_2024_renvoi_2025-03-31.csv"  # the 2024 contracts as extracted again on 31 March 2025
UPDATE_SHARE = 0.03  # contracts of the earlier extract that the re-sent one updates
CAISSE_SOURCE = "contrats_2025_S1.csv"
CAISSE_NAME = "contrats_2025_S1_caisses.csv"
CAISSE_HEADER = "Code caisse"


def earlier_state(rows: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, list[dict]]:
    """The rows as an earlier extract showed them, and the updates the re-sent extract brings.

    The truth is the latest state; for a few clean contracts, the earlier extract had no end date yet (the
    contract ended later) or a lower aid total (more was paid since)."""
    rng = stream(seed, "earlier-state")
    clean = rows["_kind"].eq("").to_numpy()
    older = rows.copy()
    updates = []
    ended = np.flatnonzero(clean & rows["date_fin"].notna().to_numpy())
    paid = np.flatnonzero(clean & rows["aide_versee_eur"].notna().to_numpy() & (rows["date_fin"].isna().to_numpy()))
    count = max(2, int(round(UPDATE_SHARE * len(rows))))
    for column, pool in (("date_fin", ended), ("aide_versee_eur", paid)):
        chosen = np.sort(rng.choice(pool, size=min(count // 2, len(pool)), replace=False))
        for row in chosen:
            new = rows.iat[row, rows.columns.get_loc(column)]
            old = pd.NaT if column == "date_fin" else round(float(new) * 0.6, 2)
            older.iat[row, older.columns.get_loc(column)] = old
            updates.append(
                {
                    "contrat_id": str(rows.at[rows.index[row], "contrat_id"]),
                    "column": column,
                    "old": None if column == "date_fin" else old,
                    "new": f"{new:%Y-%m-%d}" if column == "date_fin" else float(new),
                }
            )
    return older, sorted(updates, key=lambda u: (u["contrat_id"], u["column"]))


def caisse_codes_of_departements() -> dict[str, str]:
    """Département → organisme code, for the départements whose one caisse the reference codes."""
    table = reference.caisses()
    counts = table["departement"].value_counts()
    single = table[table["departement"].map(counts).eq(1) & table["organisme_code"].notna()]
    return dict(zip(single["departement"], single["organisme_code"], strict=True))


def split_by_caisse(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows staying in the file keyed by département, clean rows of départements with a coded caisse): the
    second go to an extract a caisse-level export writes, keyed by its organisme code."""
    coded = rows["departement"].isin(list(caisse_codes_of_departements())).to_numpy() & rows["_kind"].eq("").to_numpy()
    return rows[~coded].reset_index(drop=True), rows[coded].reset_index(drop=True)


def display_value(cell: object) -> str:
    """A typed xlsx cell as an editor displays it (dates DD/MM/YYYY), for the defect list."""
    if isinstance(cell, tuple):
        cell = cell[0]
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    return "" if cell is None else str(cell)
