"""Codebooks: a workbook's sheet giving each variable's codes and labels, so numeric codes are read as their labels."""

from __future__ import annotations

import dataclasses

import pandas as pd

from am_analytics.ingest.headers import normalise_label
from am_analytics.ingest.read import RawTable
from am_analytics.ingest.values import excel_integer

# Headers of a codebook's columns: the code and its label (the variable is the first column).
_CODE_HEADERS = {"code", "valeur", "code_modalite", "modalite_code", "value"}
_LABEL_HEADERS = {"libelle", "modalite", "label", "intitule", "libelle_modalite", "modalite_libelle", "signification"}

Codebook = dict[str, dict[str, str]]  # normalised variable name → code as written → label


def read_codebook(table: RawTable) -> Codebook:
    """The codes and labels a dictionary sheet gives (first column the variable, written once per block or on every
    line; a code and a label column), or an empty codebook when the sheet has no code and label columns."""
    frame = table.frame
    by_label = {normalise_label(str(c)): c for c in frame.columns}
    code = next((by_label[h] for h in _CODE_HEADERS if h in by_label), None)
    label = next((by_label[h] for h in _LABEL_HEADERS if h in by_label), None)
    if code is None or label is None or frame.shape[1] < 3:
        return {}
    variables = frame.iloc[:, 0].ffill()
    codebook: Codebook = {}
    for variable, written, meaning in zip(variables, frame[code], frame[label], strict=True):
        if pd.isna(variable) or pd.isna(written) or pd.isna(meaning):
            continue
        codebook.setdefault(normalise_label(str(variable)), {})[excel_integer(str(written).strip())] = str(meaning)
    return codebook


def apply_codebook(table: RawTable, codebook: Codebook) -> tuple[RawTable, list[str]]:
    """The table with each coded column's codes replaced by their labels, and the headers translated. A cell that
    is no code of its variable is left as written (the normaliser then says what is wrong with it)."""
    if not codebook:
        return table, []
    frame, translated = table.frame, []
    for column in frame.columns:
        codes = codebook.get(normalise_label(str(column)))
        if not codes:
            continue
        written = frame[column].astype("string").str.strip()
        labels = written.map(excel_integer, na_action="ignore").map(codes)
        if labels.notna().any():
            frame = frame.assign(**{column: labels.fillna(frame[column]).astype(frame[column].dtype)})
            translated.append(str(column))
    if not translated:
        return table, []
    return dataclasses.replace(table, frame=frame), translated
