"""Charts and maps draw any frame a date and a scope can give (no contract, one, one region), and a published
frame without its hidden values: no bar, no point, no colour, no number, a « secret statistique » instead."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.text import Text

import am_analytics.indicators as ind
from am_analytics.figures import charts, check_figure, departement_map, region_map
from am_analytics.figures.formatting import format_number, format_percent
from am_analytics.figures.published import NO_CONTRACT_TEXT, secret_column
from am_analytics.figures.style import NO_DATA_COLOUR, SECRET_COLOUR, SECRET_LABEL
from am_analytics.indicators.common import stamp_data
from tests.indicator_helpers import make_contracts

EDGE_FRAMES = {
    "aucun contrat": [],
    "un contrat": [{"date_signature": "2019-09-20", "departement": "976"}],
    "une région": [{"date_signature": f"2019-{month:02d}-03", "departement": "2A"} for month in (9, 10, 11)],
}


def every_chart(contracts: pd.DataFrame, day: str) -> dict[str, object]:
    kw = {"as_of": day, "synthetic": True}
    monthly = ind.monthly_series(contracts, **kw)
    progress = ind.target_progress(contracts, **kw)
    regions = ind.by_region(contracts, **kw)
    shares = ind.background_shares_by_region(contracts, **kw)
    return {
        "rollout": lambda: charts.rollout_chart(monthly, progress, ind.target_projections(contracts, **kw),
                                                ind.published_cross_check(contracts, **kw)),
        "rollout_region": lambda: charts.rollout_chart(monthly, title="Déploiement — une région"),
        "fte": lambda: charts.fte_chart(monthly, progress),
        "regions": lambda: charts.regions_ranked_chart(regions, national=ind.national_totals(contracts, **kw)),
        "backgrounds": lambda: charts.background_by_region_chart(shares),
        "heatmap": lambda: charts.background_heatmap_chart(shares),
        "mix": lambda: charts.mix_by_period_chart(ind.zone_mix(contracts, period="annee", **kw), title="Zonage",
                                                  what="zone"),
        "funding": lambda: charts.funding_chart(ind.expected_aid_by_year(contracts, **kw)),
        "training": lambda: charts.training_overdue_chart(ind.overdue_by_region(contracts, **kw)),
        "region_map": lambda: region_map(regions, "actifs_pour_100k_hab", title="Taux", legend_title="Taux"),
        "departement_map": lambda: departement_map(ind.by_departement(contracts, **kw), "signes", title="Contrats",
                                                   legend_title="Contrats", show_values=True),
    }


def texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(Text))


# (a region with several contracts at other dates is the fast path's business: tests/test_every_date_and_scope.py)
@pytest.mark.parametrize(("case", "day"), [("aucun contrat", "2021-12-31"), ("un contrat", "2019-09-30"),
                                         ("une région", "2021-12-31")])
def test_every_chart_draws_an_empty_a_single_and_a_one_region_scope(case, day):
    for name, make in every_chart(make_contracts(EDGE_FRAMES[case]), day).items():
        try:
            check_figure(make(), synthetic=True)
        except Exception as error:  # name the chart
            raise AssertionError(f"{case}, {day}, {name}: {error}") from error


def test_a_scope_without_contract_says_so_rather_than_drawing_zeros():
    drawn = every_chart(make_contracts([]), "2021-12-31")
    for name in ("rollout_region", "mix", "funding"):
        assert NO_CONTRACT_TEXT in texts(drawn[name]()), name
    rollout = drawn["rollout_region"]()
    assert rollout.axes[0].get_ylim()[1] >= 5, "a readable count axis, not 0 … 0"


# --- Published (masked) frames, built by hand --------------------------------------------------------------

HIDDEN_SHARE = 0.4321  # no other value of these frames comes near it


def hide(frame: pd.DataFrame, column: str, where: pd.Series, why: str = "primaire") -> pd.DataFrame:
    """What the disclosure layer publishes: the value `<NA>`, the companion column saying why."""
    published = frame.copy()
    published[column] = published[column].astype("Float64").mask(where.to_numpy())
    published[secret_column(column)] = pd.array(np.where(where, why, None), dtype="string")
    return published


def drawn_numbers(fig) -> list[float]:
    """Every number a figure draws: bar lengths, line points, region fills as values cannot be read back, so
    only geometry and texts."""
    numbers = []
    for ax in fig.axes:
        for patch in ax.patches:
            if isinstance(patch, Rectangle):
                numbers += [patch.get_width(), patch.get_height(), patch.get_x() + patch.get_width()]
        for line in ax.get_lines():
            numbers += [float(y) for y in np.asarray(line.get_ydata(), dtype=float)]
    return numbers


def shares_frame() -> pd.DataFrame:
    contracts = make_contracts(
        [{"departement": "01", "profil_origine": "infirmier"}] * 3 + [{"departement": "13"}] * 7
    )
    shares = ind.background_shares_by_region(contracts, as_of="2022-01-01", synthetic=True)
    target = (shares["code"] == "84") & (shares["profil_origine"] == "infirmier")
    shares.loc[target, "part"] = HIDDEN_SHARE
    return hide(shares, "part", target | ((shares["code"] == "84") & (shares["profil_origine"] == "aide_soignant")))


def test_a_hidden_share_is_neither_a_bar_nor_a_number_in_the_stacked_chart():
    fig = charts.background_by_region_chart(shares_frame())
    check_figure(fig, synthetic=True)
    assert not any(abs(number - HIDDEN_SHARE) < 1e-9 for number in drawn_numbers(fig))
    assert "secret statistique" in texts(fig) and SECRET_LABEL in texts(fig)


def test_a_hidden_share_is_neither_a_colour_nor_a_number_in_the_heatmap():
    fig = charts.background_heatmap_chart(shares_frame())
    check_figure(fig, synthetic=True)
    assert format_percent(HIDDEN_SHARE, 0) not in texts(fig)
    ax = fig.axes[0]
    mesh = ax.collections[0]
    assert np.ma.count_masked(mesh.get_array()) >= 2, "hidden cells are left out of the colour scale"
    secret = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_label() == SECRET_LABEL]
    assert len(secret) >= 2 and SECRET_LABEL in texts(fig)


def test_a_hidden_rate_is_written_secret_in_the_ranked_chart_never_drawn():
    contracts = make_contracts([{"departement": "01"}] * 3 + [{"departement": "13"}] * 9)
    regions = ind.by_region(contracts, as_of="2022-01-01", synthetic=True)
    regions.loc[regions["code"] == "84", "actifs_pour_100k_hab"] = HIDDEN_SHARE * 10
    fig = charts.regions_ranked_chart(hide(regions, "actifs_pour_100k_hab", regions["code"] == "84"),
                                      highlight="84")
    check_figure(fig, synthetic=True)
    assert format_number(HIDDEN_SHARE * 10, 1) not in texts(fig)
    assert not any(abs(number - HIDDEN_SHARE * 10) < 1e-9 for number in drawn_numbers(fig))
    assert re.search(r"\bsecret\b", texts(fig)) and "n.d." in texts(fig), "secret and not available are distinct"


def test_a_hidden_amount_is_written_secret_in_the_funding_chart():
    funding = ind.expected_aid_by_year(make_contracts([{"date_signature": "2020-01-10"}] * 4), as_of="2023-12-31",
                                       synthetic=True)
    hidden_year = funding["annee"] == 2021
    amount = float(funding.loc[hidden_year, "montant_attendu_eur"].iloc[0])
    fig = charts.funding_chart(hide(funding, "montant_attendu_eur", hidden_year, "complementaire"))
    check_figure(fig, synthetic=True)
    assert not any(abs(number - amount / 1e6) < 1e-12 for number in drawn_numbers(fig))
    labels = {annotation.xy[0]: annotation.get_text() for annotation in fig.axes[0].texts}
    assert labels[2021] == "secret" and labels[2022].endswith("M€"), labels


def test_a_hidden_share_gets_no_bar_and_no_interval_in_the_training_chart():
    overdue = ind.overdue_by_region(
        make_contracts([{"date_signature": "2019-10-01", "formation": "aucune", "departement": "01"}] * 6),
        as_of="2024-01-01", synthetic=True)
    target = overdue["code"] == "84"
    fig = charts.training_overdue_chart(hide(hide(hide(overdue, "part_en_retard", target), "ic_bas", target),
                                             "ic_haut", target))
    check_figure(fig, synthetic=True)
    bars = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert all(bar.get_width() == 0 for bar in bars), "the only share with a value is hidden"
    assert "secret" in texts(fig)


def test_a_share_over_nobody_past_the_deadline_is_no_secret_in_the_training_chart():
    # published as the audit marks it (an empty base: « base insuffisante »), but the base itself is shown as 0:
    # there is no share, and nothing is hidden
    overdue = ind.overdue_by_region(make_contracts([{"date_signature": "2019-10-01", "departement": "01"}] * 6),
                                    as_of="2019-12-31", synthetic=True)
    everywhere = pd.Series(True, index=overdue.index)
    published = overdue
    for column in ("part_en_retard", "ic_bas", "ic_haut"):
        published = hide(published, column, everywhere, "base_insuffisante")
    fig = charts.training_overdue_chart(published)
    check_figure(fig, synthetic=True)
    assert "secret" not in texts(fig) and "n'a encore atteint" in texts(fig)
    # over a base shown but too small, the chart writes « n.s. » as the table does, with its note; a share hidden
    # to protect a count is « secret »
    with_base = published.assign(echeance_depassee_formation_connue=overdue["code"].eq("84").astype(int) * 7)
    small = texts(charts.training_overdue_chart(with_base))
    assert "n.s." in small and "base trop faible" in small and "secret" not in small
    protected = hide(with_base, "part_en_retard", overdue["code"] == "84", "primaire")
    assert "secret" in texts(charts.training_overdue_chart(protected))


def test_a_hidden_month_leaves_a_gap_in_the_rollout_line():
    monthly = ind.monthly_series(make_contracts([{"date_signature": "2020-01-10"}] * 3), as_of="2020-06-30",
                                 synthetic=True)
    hidden = monthly["mois"] == pd.Timestamp("2020-03-01")
    fig = charts.rollout_chart(hide(monthly, "signes_cumul", hidden))
    check_figure(fig, synthetic=True)
    signed = next(line for line in fig.axes[0].get_lines() if line.get_label() == "Contrats signés (cumul)")
    assert np.isnan(np.asarray(signed.get_ydata(), dtype=float)[hidden.to_numpy()]).all()
    assert SECRET_LABEL in texts(fig)


def test_a_map_draws_hidden_and_missing_values_apart_and_names_both():
    contracts = make_contracts([{"departement": "01"}] * 3 + [{"departement": "13"}] * 9)
    regions = ind.by_region(contracts, as_of="2022-01-01", synthetic=True)
    regions.loc[regions["code"] == "84", "actifs"] = 7
    published = hide(regions, "actifs", regions["code"] == "84")
    fig = region_map(published, "actifs", title="Contrats actifs", legend_title="Contrats", show_values=True)
    check_figure(fig, synthetic=True)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert SECRET_LABEL in legend
    ain = next(p for p in fig.axes[0].patches if isinstance(p, PathPatch) and p.get_gid() == "departement-01")
    assert ain.get_facecolor()[:3] == pytest.approx(tuple(int(SECRET_COLOUR[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    assert SECRET_COLOUR != NO_DATA_COLOUR
    assert " 7 " not in f" {texts(fig)} ", "the hidden count is not written on the map"


def test_a_map_reads_date_synthetic_flag_and_sources_from_the_frame_like_a_chart():
    contracts = stamp_data(make_contracts([{"departement": "01"}, {"departement": "976"}]), synthetic=False)
    regions = ind.by_region(contracts)  # at the data's latest date, 15 January 2021
    fig = region_map(regions, "actifs_pour_100k_hab", title="Taux", legend_title="Taux")
    check_figure(fig, synthetic=False)
    assert "Données au 15 janvier 2021" in texts(fig).replace("\n", " ") and "Insee" in texts(fig)
    with pytest.raises(ValueError, match="colonne à cartographier"):
        region_map(regions, title="Taux", legend_title="Taux")
    with pytest.raises(ValueError, match="source"):  # a bare Series carries nothing: its caption is given by hand
        region_map(regions.set_index("code")["actifs"], title="Taux", legend_title="Taux", as_of="2022-01-01",
                   synthetic=False)


# --- The access figure of the report's body (issue 24) -------------------------------------------------------------


def _effects(hidden: str | None = None) -> pd.DataFrame:
    """The published average effects of the three measures (one of them hidden with its interval)."""
    frame = pd.DataFrame({
        "mesure": ["patients_mt", "file_active", "actes_par_jour"], "dimension": ["ensemble"] * 3,
        "periode_evenement": pd.array([pd.NA] * 3, dtype="Int64"),
        "mesure_libelle": ["Patientèle médecin traitant adulte", "File active", "Actes par jour travaillé"],
        "signataires": [120, 120, 120], "effet_pct": [10.9, 8.1, 5.2], "ic_bas": [9.0, 6.5, 4.0],
        "ic_haut": [12.8, 9.7, 6.4],
    })
    for column in ("effet_pct", "ic_bas", "ic_haut"):
        frame[secret_column(column)] = pd.Series([pd.NA] * 3, dtype="string")
        if hidden is not None:
            frame.loc[frame["mesure"] == hidden, column] = np.nan
            frame.loc[frame["mesure"] == hidden, secret_column(column)] = "complementaire"
    frame.attrs["sources"] = ["demo"]
    return frame


def test_the_access_figure_without_the_cnam_design_is_one_panel_and_draws_no_hidden_estimate():
    from am_analytics.figures.commitments import access_chart

    fig = access_chart(_effects(hidden="file_active"), None, as_of="2025-06-30")
    check_figure(fig, synthetic=True)
    [ax] = [ax for ax in fig.axes if ax.get_title(loc="left")]
    points = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(points) == 1 and len(points[0].get_xdata()) == 2  # the hidden estimate has no point
    texts = [text.get_text() for text in ax.texts]
    assert "secret" in texts and "+10,9 %" in texts and "+8,1 %" not in texts
