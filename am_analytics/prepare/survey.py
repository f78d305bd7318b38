"""Survey step: satisfaction-survey answers, either respondent-level microdata or the aggregated tables
survey institutes deliver in Excel, into tidy tables.

Only what identifies a respondent and weighs them (identifier, type, weight, region) can reject their row: an
answer that is not on its scale, or that says no opinion (« NSP », « Non concerné »), leaves that answer missing
with a warning, and the respondent counts in every other question."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from am_analytics.geography import normalise_regions
from am_analytics.ingest import RawTable
from am_analytics.ingest import values as v
from am_analytics.prepare.steps import (
    StepResult,
    exact_and_conflicting_duplicates,
    problems_from_reasons,
    spreadsheet_errors,
)
from am_analytics.validate import empty_problems
from am_analytics.vocabulary import MISSIONS, POURSUIVRE, SATISFACTION, TEMPS_GAGNE, TYPES_REPONDANT

KEY = "repondant_id"
VERSIONED = False  # a repeated key is an exact copy (merged) or a conflict, never an update
KEY_SOURCE = "repondant_id"  # the raw column a duplicate is reported on
COLUMNS = [
    "repondant_id",
    "type_repondant",
    "region",
    "profil_origine",
    "specialite",
    "poids",
    "satisfaction",
    "temps_gagne",
    *MISSIONS,
    "recommande",
    "poursuivre",
]
# What identifies or weighs a respondent: only these reject a row.
_REQUIRED = {"repondant_id", "type_repondant", "region", "poids"}
_YES_NO = {"oui": True, "non": False, "o": True, "n": False, "1": True, "0": False, "vrai": True, "faux": False}


def _cells(raw: RawTable, header_of: dict[str, str], column: str) -> pd.Series:
    header = header_of.get(column)
    if header is None:
        return pd.Series(pd.NA, index=pd.RangeIndex(len(raw.frame)), dtype="string")
    return raw.frame[header].reset_index(drop=True).astype("string")


_ALIASES = {
    "assistant": "assistant", "assistante medicale": "assistant", "medecin generaliste": "medecin",
    # the satisfaction scale as survey tools label it, from the top to the bottom
    "tout a fait satisfait": 1, "extremement satisfait": 1, "plutot satisfait": 2, "satisfait": 2,
    "plutot pas satisfait": 3, "peu satisfait": 3, "plutot insatisfait": 3, "pas satisfait": 3,
    "pas du tout satisfait": 4, "pas satisfait du tout": 4, "tres insatisfait": 4, "tout a fait insatisfait": 4,
}
# Answers that give no opinion: the answer is missing, the respondent is kept (a scale that lists « Ne sait pas »
# as one of its answers, « Souhaite poursuivre », keeps it as an answer).
_NO_OPINION = {
    "nsp", "ns p", "ne sait pas", "je ne sais pas", "ne se prononce pas", "nsp nrp", "non concerne", "sans opinion",
    "sans avis", "refus", "nr", "non reponse", "ne souhaite pas repondre", "sans objet", "na", "n a",
}
# Inclusive and feminine forms of the scale's words: "satisfait(e)", "satisfaite", "satisfait·e".
_FEMININE = re.compile(r"(satisfait|concerne)(?: ?e\b|e\b)")


# How a survey tool writes a ticked box of a multiple choice exported one column per item (besides « Oui », « 1 »).
_TICKED = ("x", "coche", "cochee", "selectionne", "selectionnee", "checked", "selected")
_CHECK_MARKS = {"✓", "✔", "☑", "☒"}  # no letter to fold: read as an « x »
_UNTICKED = ("non coche", "non cochee", "non selectionne", "non selectionnee", "unchecked", "not selected")


def _ticked_box(column: str, header: str | None) -> dict[str, object]:
    """The answers that mean an item of a multiple choice was ticked or not: the tools' words, and the item's own
    label written in its column (« Accueil » under « Mission : accueil »)."""
    item_labels = {v.fold(MISSIONS[column])}
    if header is not None:
        item_labels.add(v.fold(header.rsplit(":", 1)[-1]))
    return dict.fromkeys((*_TICKED, *item_labels), "oui") | dict.fromkeys(_UNTICKED, "non")


def _answer_key(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    return "x" if text.strip() in _CHECK_MARKS else _FEMININE.sub(r"\1", v.fold(text))


def _scale(
    values: pd.Series, labels: dict, reason: str, aliases: dict[str, object] | None = None
) -> tuple[pd.Series, pd.Series]:
    """Map answers to the codes of a closed scale (labels or codes accepted, the labels survey tools write, and
    the question's own `aliases`, folded); an answer giving no opinion is `reponse_sans_avis`, anything else out of
    scale (`reason`)."""
    lookup = {v.fold(str(label)): code for code, label in labels.items()} | {v.fold(str(code)): code for code in labels}
    lookup |= {alias: code for alias, code in _ALIASES.items() if code in labels} | (aliases or {})
    keys = values.map(_answer_key)
    codes = keys.map(lookup)
    failed = (values.notna() & codes.isna()).to_numpy(dtype=bool)
    no_opinion = keys.astype(object).isin(_NO_OPINION).to_numpy(dtype=bool)
    reasons = np.where(failed & no_opinion, "reponse_sans_avis", np.where(failed, reason, None))
    return codes, pd.Series(reasons, index=values.index, dtype="string")


def normalise(raw: RawTable, header_of: dict[str, str]) -> StepResult:
    cells = {column: _cells(raw, header_of, column) for column in COLUMNS}
    problems = []
    frame = pd.DataFrame(index=pd.RangeIndex(len(raw.frame)))
    ids = v.normalise_contrat_ids(cells["repondant_id"])
    frame["repondant_id"] = ids["value"]
    problems.append(
        problems_from_reasons(ids["reason"].replace("contrat_id_manquant", "valeur_manquante"), "repondant_id")
    )

    kind, reason = _scale(cells["type_repondant"], TYPES_REPONDANT, "type_repondant_inconnu")
    frame["type_repondant"] = kind.astype("string")
    missing_kind = pd.Series(np.where(cells["type_repondant"].isna(), "valeur_manquante", None), dtype="string")
    problems.append(problems_from_reasons(reason.fillna(missing_kind), "type_repondant"))

    regions = normalise_regions(cells["region"])
    frame["region"] = regions["code"]
    region_reason = regions["reason"].where(regions["reason"] != "valeur_manquante")
    problems.append(problems_from_reasons(region_reason, "region", regions["message"]))

    profils = v.normalise_profils(cells["profil_origine"])
    frame["profil_origine"] = profils["value"].where(frame["type_repondant"] == "assistant")
    problems.append(problems_from_reasons(profils["reason"], "profil_origine"))
    specialites = v.normalise_specialites(cells["specialite"])
    frame["specialite"] = specialites["value"].where(frame["type_repondant"] == "medecin")
    problems.append(problems_from_reasons(specialites["reason"], "specialite"))

    weights = v.normalise_numbers(cells["poids"], required=True)
    frame["poids"] = weights["value"]
    not_positive = pd.Series(np.where((weights["value"] <= 0).fillna(False), "poids_invalide", None), dtype="string")
    problems.append(
        problems_from_reasons(
            weights["reason"].replace("nombre_invalide", "poids_invalide").fillna(not_positive), "poids"
        )
    )

    # An answer off its scale or without opinion leaves that answer missing: the respondent is never dropped for it.
    warnings = []
    for column, labels in (("satisfaction", SATISFACTION), ("temps_gagne", TEMPS_GAGNE), ("poursuivre", POURSUIVRE)):
        codes, reason = _scale(cells[column], labels, "reponse_hors_echelle")
        frame[column] = codes.astype("Int64" if column == "satisfaction" else "string")
        warnings.append(problems_from_reasons(reason, column))
    for column in (*MISSIONS, "recommande"):
        ticked = _ticked_box(column, header_of.get(column)) if column in MISSIONS else None
        answers, reason = _scale(cells[column], {key: key for key in _YES_NO}, "reponse_hors_echelle", ticked)
        frame[column] = answers.map(_YES_NO).astype("boolean")
        warnings.append(problems_from_reasons(reason, column))
    # An error cell (#N/A) rejects the respondent only where it stands for who they are or what they weigh.
    problem_table, warning_table, erroneous = spreadsheet_errors(
        raw, header_of, _REQUIRED, pd.concat(problems, ignore_index=True), pd.concat(warnings, ignore_index=True)
    )
    for column, cells in erroneous.items():
        if column not in _REQUIRED and column in frame:
            frame[column] = frame[column].mask(cells)
    return StepResult(frame=frame[COLUMNS], problems=problem_table, warnings=warning_table)


def duplicates(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return exact_and_conflicting_duplicates(frame, KEY, COLUMNS)


def validate(frame: pd.DataFrame, cutoff: date) -> pd.DataFrame:
    """Every survey rule is a rule on one value, checked while normalising: nothing is left to check here."""
    return empty_problems()


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


# --- Aggregated tables ("tris à plat", "tris croisés") ------------------------------------------------
# Institutes deliver one block per question: a title row (often a merged cell), a header row of subgroups
# (first cell empty), one row per answer with percentages, and a base row of unweighted counts.

AGGREGATED_COLUMNS = ["question", "reponse", "sous_groupe", "pourcentage", "base", "source_file", "source_line"]
_BASE_LABELS = {"base", "base repondants", "effectifs", "effectif", "base non ponderee", "n"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


def _sheet_rows(path: Path) -> list[list[object]]:
    """The first sheet's cells, parsed once for both recognising and reading an institute workbook."""
    stat = path.stat()
    return _parsed_sheet(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1)  # one workbook at a time: a large extract is not kept in memory for long
def _parsed_sheet(path: str, _mtime_ns: int, _size: int) -> list[list[object]]:
    # Recognising an institute workbook and reading it both need the cells: keyed by the file's state, the
    # cache makes that one parse, and a file changed in between is parsed again.
    # calamine reads cell values whatever the state of the workbook's styles or drawings
    workbook = CalamineWorkbook.from_path(path)
    return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)


def _text(cell: object) -> str:
    return cell.strip() if isinstance(cell, str) else ""


def _is_header(row: list[object]) -> bool:
    return not _text(row[0]) and sum(bool(_text(cell)) for cell in row[1:]) >= 1


def _is_base(row: list[object]) -> bool:
    return v.fold(_text(row[0])) in _BASE_LABELS


def _blocks(rows: list[list[object]]):
    """Yield (question, header cells, answer rows with their 1-based line, base row) for each block."""
    line = 0
    while line < len(rows):
        if line + 1 < len(rows) and _text(rows[line][0]) and _is_header(rows[line + 1]):
            question, header = _text(rows[line][0]), rows[line + 1]
            answers, base = [], None
            cursor = line + 2
            while cursor < len(rows) and _text(rows[cursor][0]):
                if _is_base(rows[cursor]):
                    base = rows[cursor]
                    cursor += 1
                    break
                answers.append((cursor + 1, rows[cursor]))
                cursor += 1
            yield question, header, answers, base
            line = cursor
        else:
            line += 1


def is_aggregated_workbook(path: Path) -> bool:
    """An Excel file whose first sheet holds at least one question block with a base row."""
    if path.suffix.lower() not in _EXCEL_SUFFIXES:
        return False
    try:
        return any(base is not None for *_, base in _blocks(_sheet_rows(path)))
    except Exception:  # not a readable workbook: the general reader will say why
        return False


def read_aggregated_workbook(path: Path, file: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Tidy table (question, answer, subgroup, percentage, base), the problems found (line, column,
    value, reason) and the number of answer lines read. A line with any unreadable or impossible
    percentage is left out whole and reported."""
    records, problems, lines_read = [], [], 0
    for question, header, answers, base in _blocks(_sheet_rows(path)):
        groups = [(i, _text(cell)) for i, cell in enumerate(header) if i and _text(cell)]
        for line, row in answers:
            lines_read += 1
            line_records, line_problems = [], []
            for i, group in groups:
                value = row[i] if i < len(row) else ""
                if value in ("", None):
                    continue  # no answer in this subgroup (a question asked of doctors only, say)
                number = _number(value)
                if number is None or not 0 <= number <= 100:
                    line_problems.append((line, group, str(value), "pourcentage_invalide"))
                    continue
                size = _number(base[i]) if base is not None and i < len(base) else None
                line_records.append((question, _text(row[0]), group, number, size, file, line))
            problems.extend(line_problems)
            if not line_problems:
                records.extend(line_records)
    tidy = pd.DataFrame.from_records(records, columns=AGGREGATED_COLUMNS).astype(
        {
            "question": "string",
            "reponse": "string",
            "sous_groupe": "string",
            "pourcentage": "Float64",
            "base": "Int64",
            "source_file": "string",
            "source_line": "Int64",
        }
    )
    return tidy, pd.DataFrame.from_records(problems, columns=["line", "column", "value", "reason"]), lines_read


def _number(cell: object) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    parsed = v.normalise_numbers(pd.Series([str(cell)], dtype="string"))["value"].iloc[0]
    return None if pd.isna(parsed) else float(parsed)
