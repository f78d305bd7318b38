"""What each chart of the site shows, in words: the values behind its text alternative (issue 22: « alternative
text that states the finding and the values »). The writer puts the figure's own title before them (« Contrats
signés cumulés — Bretagne : 453 contrats signés au 30 juin 2025… »).

Every value is a published cell read as the tables print it (`published_text`, the variables' decimals): one
number, one value, whatever the output. A hidden cell is never said, not even as its symbol: the sentence names
the latest value that is shown, or says the values are under statistical secret. Nothing is computed here beyond
choosing which published rows to name (the last date, the highest and the lowest)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from am_analytics.figures.formatting import format_date
from am_analytics.presentation.disclosure import secret_column
from am_analytics.presentation.tables import published_text
from am_analytics.vocabulary import VARIABLES

WHY = "(secret statistique ou donnée non disponible)"
ALL_HIDDEN = f"aucune valeur publiable {WHY}"
NOT_SHOWN = f"non publié {WHY}"


def shown(row: pd.Series, column: str, kind: str | None = None, decimals: int | None = None) -> str | None:
    """A published cell as its table prints it, or None when it is hidden or missing. Without `kind`, the
    variable's record decides (its unit and decimals)."""
    reason, value = row.get(secret_column(column)), row.get(column)
    if (reason is not None and not pd.isna(reason)) or value is None or pd.isna(value):
        return None
    if kind is None:
        record = VARIABLES[column]
        kind = "percent" if record.unit == "%" else "count"
        decimals = record.decimals if decimals is None else decimals
    return published_text(row, column, kind, decimals or 0)


def _sentence(parts: Iterable[str | None]) -> str:
    said = [part for part in parts if part]
    return " ; ".join(said) + "." if said else ALL_HIDDEN + "."


def latest(series: pd.DataFrame, column: str, what: str, kind: str | None = None, decimals: int | None = None,
           date_column: str = "fin_de_periode") -> str | None:
    """« 453 contrats signés (cumul) au 30 juin 2025 »: the last period whose cell is shown."""
    for _, row in series.iloc[::-1].iterrows():
        text = shown(row, column, kind, decimals)
        if text is not None:
            return f"{text} {what} au {format_date(row[date_column])}"
    return None


def series_values(monthly: pd.DataFrame) -> str:
    """Rollout: signed (cumulative) and active contracts at the last date each is shown."""
    return _sentence([latest(monthly, "signes_cumul", "contrats signés depuis septembre 2019", "count"),
                      latest(monthly, "actifs", "contrats actifs", "count")])


def latest_signings(series: pd.DataFrame) -> str:
    """Signings per period: the last period whose count is shown."""
    return _sentence([latest(series, "signes_mois", "contrats signés dans la dernière période publiée", "count")])


def fte_values(monthly: pd.DataFrame) -> str:
    """Full-time equivalents signed (cumulative) and active, as the key figures print them."""
    return _sentence([latest(monthly, "etp_signes_cumul", "ETP signés (cumul)", "number", 0),
                      latest(monthly, "etp_actifs", "ETP actifs", "number", 0)])


def extremes(frame: pd.DataFrame, column: str, *, kind: str | None = None, decimals: int | None = None,
             name_column: str = "nom", also: Iterable[pd.Series] = ()) -> str:
    """The highest and the lowest shown value of a published column with their territory (« La Réunion 16,7 (le
    plus élevé) »), then the rows named in `also` (France, the highlighted region)."""
    def named(row: pd.Series) -> str:
        text = shown(row, column, kind, decimals)
        return f"{row[name_column]} {NOT_SHOWN if text is None else text}"

    visible = frame[[shown(row, column, kind, decimals) is not None for _, row in frame.iterrows()]]
    parts = [] if len(visible) else [f"aucun territoire publiable {WHY}"]
    if len(visible):
        ordered = visible.sort_values(column, kind="stable")
        parts.append(named(ordered.iloc[-1]) + " (le plus élevé)")
        if len(visible) > 1:
            parts.append(named(ordered.iloc[0]) + " (le plus bas)")
    parts += [named(row) for row in also]  # a territory the chart highlights is named, even when not shown
    return _sentence(parts)


def shares_values(rows: pd.DataFrame, column: str = "part", label_column: str = "libelle") -> str:
    """Each category's share, as the table prints it (one decimal), in the frame's order."""
    return _sentence(f"{row[label_column]} {text}" for _, row in rows.iterrows()
                     if (text := shown(row, column, "percent", 1)) is not None)


def last_period_shares(mix: pd.DataFrame) -> str:
    """A mix by signing year: the shares of the last period whose shares are shown."""
    for period in reversed(list(dict.fromkeys(mix["periode"]))):
        rows = mix[mix["periode"] == period]
        said = shares_values(rows)
        if said != ALL_HIDDEN + ".":
            return f"en {period}, {said}"
    return ALL_HIDDEN + "."


def yearly_amounts(funding: pd.DataFrame) -> str:
    """Expected aid per calendar year, in millions of euros as the table prints it."""
    return _sentence(f"{row['annee']} : {text}" for _, row in funding.iterrows()
                     if (text := shown(row, "montant_attendu_eur", "millions")) is not None)


def groups_values(satisfaction: pd.DataFrame, labels: Mapping[str, str]) -> str:
    """Satisfied respondents (very or rather) by group."""
    return _sentence(f"{labels.get(row['groupe'], row['groupe'])} {text} de satisfaits"
                     for _, row in satisfaction.iterrows()
                     if (text := shown(row, "satisfaits", "percent", 1)) is not None)


def quality_values(quality: pd.DataFrame) -> str:
    """Each input file: rows read, and rows set aside in quarantine."""
    return _sentence(f"{row['fichier']} : {shown(row, 'lignes_lues', 'count')} lignes lues, "
                     f"{shown(row, 'lignes_en_quarantaine', 'count')} en quarantaine"
                     for _, row in quality.iterrows())


def effect_values(effect: pd.DataFrame) -> str:
    """The effect of signing, measure by measure over all signatories, as its table prints it (« Patientèle médecin
    traitant adulte : +10,9 % (de 10,7 à 11,2 %) »)."""
    overall = effect[(effect["dimension"] == "ensemble").to_numpy(dtype=bool)
                     & effect["periode_evenement"].isna().to_numpy(dtype=bool)]
    parts = []
    for _, row in overall.iterrows():
        value, low, high = (shown(row, column, "decimal", 1) for column in ("effet_pct", "ic_bas", "ic_haut"))
        if value is not None:
            interval = f" (de {low} à {high} %)" if low is not None and high is not None else ""
            parts.append(f"{row['mesure_libelle']} : {value} %{interval}")
    return _sentence(parts)
