"""One number, one value (issue 20): every number a key message or a section sentence quotes is the value its
published table prints, rounded the same way; a printed share is the ratio of the printed columns beside it; a
chart label reads as its table's cell; a cumulative sentence says through which year it goes.

The national report's items are rendered from the shipped demo data (sentences and published tables, not the
PDF), for France and for regions (one overseas)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from am_analytics.figures import charts
from am_analytics.figures.formatting import format_millions, format_percent
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import sentences
from am_analytics.presentation.results import ScopeResults
from am_analytics.presentation.tables import PublishedTable

REGIONS = ("53", "06", "94")  # Bretagne, Mayotte (overseas, small), Corse

# A number as the package prints it: thousands grouped by a narrow no-break space, a decimal comma, then an
# optional unit after a no-break space.
NUMBER = re.compile(r"\d{1,3}(?:\u202f\d{3})*(?:,\d+)?(?:\u00a0(?:%|M€))?")


def quoted(text: str, unit: str) -> list[str]:
    """The numbers of a sentence printed with `unit` (« % », « M€ »), as printed."""
    return [number for number in NUMBER.findall(text) if number.endswith(unit)]


def cells(table: PublishedTable, rows: pd.Series | None = None) -> dict[str, list[str]]:
    """Each column's printed cells (key → texts), of some rows or all."""
    chosen = range(len(table.frame)) if rows is None else [i for i, keep in enumerate(rows) if keep]
    return {column.key: [table.cell_text(i, column) for i in chosen] for column in table.columns}


@pytest.fixture(scope="module")
def own(demo_scope, demo_results):
    return ScopeResults.compute(demo_scope, demo_results)


@pytest.fixture(scope="module")
def messages(demo_results, own):
    return {message.rule: message for message in sentences.key_messages(demo_results, own)}


# --- Training: the share, its numerator and its base --------------------------------------------------------------


def test_the_training_table_prints_the_base_of_its_share_and_every_part_is_the_ratio_of_printed_cells(demo_results):
    table = cat.training_comparison_table(demo_results.training, demo_results.training_france, None)
    headers = [column.key for column in table.columns]
    assert "echeance_depassee_formation_connue" in headers, "the base of « Part » is printed beside it"
    checked = 0
    for row in range(len(table.frame)):
        if any(table.is_masked(row, key) for key in ("en_retard", "echeance_depassee_formation_connue",
                                                      "part_en_retard")):
            continue
        late = int(table.frame["en_retard"].iloc[row])
        base = int(table.frame["echeance_depassee_formation_connue"].iloc[row])
        if base == 0:
            continue
        part = table.cell_text(row, next(c for c in table.columns if c.key == "part_en_retard"))
        assert part == format_percent(late / base, 1), table.frame["nom"].iloc[row]
        checked += 1
    assert checked >= 10


def test_the_training_message_quotes_the_france_row_of_the_training_table(demo_results, messages):
    table = cat.training_comparison_table(demo_results.training, demo_results.training_france, None)
    france = cells(table, table.frame["code"] == "FR")
    text = messages["formation"].text
    late, base, part = france["en_retard"][0], france["echeance_depassee_formation_connue"][0], \
        france["part_en_retard"][0]
    assert f"{late} assistants en poste sur {base} " in text
    assert quoted(text, "%")[0] == part


@pytest.mark.parametrize("region", REGIONS)
def test_a_regional_training_message_quotes_its_region_row(demo_scope, demo_results, region):
    own = ScopeResults.compute(demo_scope.with_region(region), demo_results)
    message = {m.rule: m for m in sentences.key_messages(demo_results, own, region)}["formation"]
    table = cat.training_comparison_table(demo_results.training, demo_results.training_france, region)
    printed = cells(table)
    shares = quoted(message.text, "%")
    if shares:  # the region's share and its interval, then France's share: as their rows print them
        region_row = [printed[key][0] for key in ("part_en_retard", "ic_bas", "ic_haut")]
        assert shares[:3] == region_row
        assert shares[3:] in ([], [printed["part_en_retard"][1]])
    if sentences.SECRET_PHRASE not in message.text:
        assert f"sur {printed['echeance_depassee_formation_connue'][0]} " in message.text


# --- Shares: the sentence, the table and the chart read one rounding -----------------------------------------------


def test_the_backgrounds_message_quotes_the_trend_table(own, messages):
    table = cat.mix_trend_table(own.backgrounds_by_year)
    secretaries = table.frame["categorie"] == "secretaire_medicale"
    printed = dict(zip(table.frame.loc[secretaries, "periode"], cells(table, secretaries)["part"], strict=True))
    text = messages["profils"].text
    years = re.findall(r"(?:de|en) (20\d\d)", text)
    shares = quoted(text, "%")[:2]
    assert len(years) == 2 and len(shares) == 2
    assert shares == [printed[years[0]], printed[years[1]]], "each share as the table prints it for its year"
    assert all(share not in ("s", "< 5") for share in shares)


@pytest.mark.parametrize("mix", ["specialties", "zones", "etp_options"])
def test_a_mix_sentence_quotes_its_table(own, mix):
    frame = getattr(own, mix)
    text = sentences.mix_sentence(frame, "x")
    table = cat.mix_trend_table(frame)
    year = re.search(r"en (20\d\d)", text).group(1)
    printed = cells(table, table.frame["periode"] == year)
    share, low, high = quoted(text, "%")
    row = printed["part"].index(share)
    assert (printed["ic_bas"][row], printed["ic_haut"][row]) == (low, high)


def test_the_heatmap_writes_each_share_as_the_backgrounds_table_prints_it(demo_results):
    table = cat.backgrounds_table(demo_results.shares)
    printed = {text for text in cells(table)["part"] if text.endswith("%")}
    fig = charts.background_heatmap_chart(demo_results.shares)
    written = {text.get_text() for text in fig.axes[0].texts if text.get_text().endswith("%")}
    assert written and written <= printed


def test_the_territories_message_quotes_the_regions_table(demo_results, messages):
    table = cat.regions_table(demo_results.regions)
    key = cat.key_figures_table(demo_results.nation, demo_results.regions, None)
    text = messages["territoires"].text
    names = list(table.frame["nom"])
    parts = text.split(" ; en ")  # one part per rate, in the order of `RATES`
    assert len(parts) == len(sentences.RATES)
    for column, part in zip(sentences.RATES, parts, strict=True):
        printed = cells(table)[column]
        found = re.findall(r"(?:tête est|dernière) ([^(]+) \((\d+,\d)\)", part)
        assert len(found) == 2
        for name, value in found:
            assert value == printed[names.index(name.strip())], (column, name)
        assert "France : " + cells(key)[column][0] in part


# --- Amounts: one rounding in the sentence, the table and the chart; a total says its years ------------------------


def test_the_funding_sentence_quotes_the_funding_table_and_says_through_which_year(own):
    lines = sentences.funding_sentences(own.funding, "France entière")
    table = cat.funding_table(own.funding)
    printed = dict(zip(table.frame["annee"], cells(table)["montant_attendu_eur"], strict=True))
    year = re.search(r"commencées en (20\d\d)", lines[0]).group(1)
    amounts = quoted(lines[0], "M€")
    assert amounts[0] == printed[year], "the year's aid as the table prints it"
    through = table.frame[table.frame["annee"].str[:4].astype(int) <= int(year)]  # « 2025 (janv.–juin) » reads 2025
    first = through["annee"].iloc[0]
    assert f"{format_millions(through['montant_attendu_eur'].sum())} au total de {first} à {year}" in lines[0]
    assert str(int(year) + 1) not in lines[0], "the incomplete year after is not in a total about the year before"


def test_the_funding_chart_labels_read_as_the_funding_table(own):
    table = cat.funding_table(own.funding)
    printed = [text for text in cells(table)["montant_attendu_eur"] if text.endswith("M€")]
    fig = charts.funding_chart(own.funding)
    labels = [text.get_text().split("\n")[0] for text in fig.axes[0].texts if "M€" in text.get_text()]
    assert labels == printed


def test_the_spending_projection_quotes_its_table_and_chart(demo_results):
    spending = demo_results.projected_spending
    message = sentences.spending_message(spending)
    table = cat.projected_spending_table(spending)
    printed = {text + "\u00a0M€" for key, texts in cells(table).items() if key.endswith("_meur") for text in texts}
    for amount in quoted(message.text, "M€"):
        assert amount in printed, amount
    fig = charts.projected_spending_chart(spending, demo_results.funding)
    labels = {text.get_text() for text in fig.axes[0].texts if "M€" in text.get_text()}
    assert labels <= printed and labels


# --- Charts show what can be shown ----------------------------------------------------------------------------------


def mix_frame(rows: list[tuple[str, str, float | None, str | None]], totals: dict[str, tuple[int, str | None]]):
    """A published mix: (period, category, share or None, why hidden) and each period's (total, why hidden)."""
    frame = pd.DataFrame(rows, columns=["periode", "libelle", "part", "part_secret"])
    frame["part"] = frame["part"].astype("Float64")
    frame["part_secret"] = frame["part_secret"].astype("string")
    frame["total"] = frame["periode"].map(lambda p: totals[p][0]).astype("Float64")
    frame["total_secret"] = frame["periode"].map(lambda p: totals[p][1]).astype("string")
    frame.loc[frame["total_secret"].notna(), "total"] = pd.NA
    frame.attrs["as_of"] = "2025-06-30"
    return frame


def test_a_bar_with_hidden_categories_draws_the_shown_ones_and_one_secret_remainder():
    from am_analytics.figures.charts import _wide_shares

    frame = mix_frame([
        ("2019", "A", 0.6, None), ("2019", "B", None, "primaire"), ("2019", "C", None, "complementaire"),
        ("2019", "D", 0.3, None),
        ("2020", "A", 0.5, None), ("2020", "B", 0.2, None), ("2020", "C", 0.2, None), ("2020", "D", 0.1, None),
        ("2021", "A", None, "base_insuffisante"), ("2021", "B", None, "primaire"), ("2021", "C", None, "primaire"),
        ("2021", "D", None, "primaire"),
    ], {"2019": (100, None), "2020": (50, None), "2021": (6, None)})
    mix = _wide_shares(frame, "periode", "libelle")
    assert mix.states.to_dict() == {"2019": "", "2020": "", "2021": "secret"}, "only a bar with nothing shown"
    assert mix.wide.loc["2019", "A"] == pytest.approx(0.6) and mix.wide.loc["2019", "D"] == pytest.approx(0.3)
    assert mix.remainder["2019"] == pytest.approx(0.1), "100 % minus the published shares: one hatched segment"
    assert pd.isna(mix.remainder["2020"]) and not mix.left_out.any()
    assert "regroupées en un segment hachuré" in mix.note()

    fig = charts.mix_by_period_chart(frame, title="t", what="catégorie")
    hatched = [patch for patch in fig.axes[0].patches if patch.get_hatch() and patch.get_height() > 0]
    assert sorted(round(patch.get_height(), 6) for patch in hatched) == [0.1, 1.0], "2019's remainder, 2021 whole"
    texts = [text.get_text() for text in fig.axes[0].texts]
    assert texts.count("secret statistique") == 1, "only 2021 is written « secret statistique »"


def test_a_remainder_whose_total_is_hidden_is_left_out_and_the_note_says_so():
    from am_analytics.figures.charts import _wide_shares

    frame = mix_frame([("2019", "A", 0.6, None), ("2019", "B", None, "primaire"), ("2019", "C", None, "primaire")],
                      {"2019": (0, "complementaire")})
    mix = _wide_shares(frame, "periode", "libelle")
    assert mix.states["2019"] == "" and pd.isna(mix.remainder["2019"]) and bool(mix.left_out["2019"])
    assert "Part masquée non dessinée" in mix.note() and "2019" in mix.note()


@pytest.mark.parametrize("mix", ["backgrounds_by_year", "specialties", "zones", "etp_options"])
def test_no_national_bar_is_drawn_all_secret_where_a_share_of_it_is_shown(own, mix):
    from am_analytics.figures.charts import _wide_shares

    shares = _wide_shares(getattr(own, mix), "periode", "libelle")
    shown = shares.wide.fillna(0).sum(axis=1) > 0
    assert not (shown & (shares.states == "secret")).any()
    assert (shares.states == "").all(), "every year of France has published shares"


def test_no_region_is_drawn_all_secret_where_a_share_of_it_is_shown(demo_results):
    from am_analytics.figures.charts import _wide_shares

    shares = _wide_shares(demo_results.shares, "nom", "libelle")
    drawn = shares.states[shares.states == ""].index
    assert {"Grand Est", "Bretagne", "France entière"} <= set(drawn)
    assert list(shares.states[shares.states == "secret"].index) == ["Mayotte"], "nothing of Mayotte is shown"


def test_the_backgrounds_message_quotes_only_shares_its_chart_draws(own, messages):
    from am_analytics.figures.charts import _wide_shares

    shares = _wide_shares(own.backgrounds_by_year, "periode", "libelle")
    text = messages["profils"].text
    for share, year in zip(quoted(text, "%")[:2], re.findall(r"(?:de|en) (20\d\d)", text), strict=True):
        assert shares.states[year] == ""
        assert format_percent(shares.wide.loc[year, "Secrétaire médicale"], 1) == share


def test_a_chart_with_nothing_publishable_is_replaced_by_one_sentence(demo_scope, demo_results):
    from am_analytics.figures.published import nothing_publishable
    from am_analytics.report.build import build

    mayotte = demo_scope.with_region("06")
    own = ScopeResults.compute(mayotte, demo_results)
    assert nothing_publishable(own.zones, "part") and not nothing_publishable(demo_results.shares, "part")
    report = build(mayotte, demo_results)
    titles = [figure.title for figure in report.figures]
    text = " ".join(page.extract_text() for pdf in (report.pdf, report.annex)
                    for page in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))
    for heading in ("Zonage par année de signature", "Spécialité des médecins par année de signature",
                    "Option de temps de travail par année de signature", "Profil d'origine par année de signature"):
        title = mayotte.title(heading)
        assert title not in titles, f"{title}: no chart drawn entirely « secret »"
        assert f"« {title} » : graphique non publié" in text
    assert "toutes années confondues, voir le tableau « Profil d'origine des assistants »" in text, \
        "the sentence points to the coarser published figures"


def test_on_31_december_the_year_is_observed_once_never_projected_a_second_time(demo_data):
    from am_analytics.presentation.results import NationalResults
    from am_analytics.presentation.scope import Scope

    scope = Scope.open(data=demo_data, as_of="2024-12-31")
    national = NationalResults.of(scope)
    lines = sentences.funding_sentences(national.funding, "France entière")
    assert "commencées en 2024" in lines[0] and "de 2019 à 2024" in lines[0], "2024 is over: it is the year quoted"
    assert "2024" not in set(national.projected_spending["annee"]), "an observed year has no projected value"
    table = cat.funding_table(national.funding)
    printed = dict(zip(table.frame["annee"], cells(table)["montant_attendu_eur"], strict=True))
    assert quoted(lines[0], "M€")[0] == printed["2024"]
    message = sentences.spending_message(national.projected_spending)
    assert "en 2025 à" in message.text and printed["2024"] not in message.text


# --- One label per published variable (the rate per 100 000 inhabitants) ------------------------------------------


def test_the_active_rate_has_one_label_in_every_output(demo_scope, demo_results, messages):
    from am_analytics.presentation import maps
    from am_analytics.report.build import _key_figures
    from am_analytics.site.content import territory_key_figures
    from am_analytics.vocabulary import ACTIVE_RATE

    def header(table: PublishedTable) -> str:
        return next(column.header for column in table.columns if column.key == "actifs_pour_100k_hab")

    assert header(cat.regions_table(demo_results.regions)) == ACTIVE_RATE.short
    assert header(cat.key_figures_table(demo_results.nation, demo_results.regions, "53")) == ACTIVE_RATE.label
    assert ACTIVE_RATE.short == ACTIVE_RATE.label.replace("habitants", "hab.")
    titles = [
        maps.rate_by_region_map(demo_results.regions, as_of=demo_results.as_of).get_suptitle(),
        charts.regions_ranked_chart(demo_results.regions, national=demo_results.nation).get_suptitle(),
    ]
    assert all(" ".join(title.split()).startswith(" ".join(ACTIVE_RATE.label.split())) for title in titles), titles
    row, nation = demo_results.territory_row("53"), demo_results.territory_row("FR")
    cover = {figure.label for figure in _key_figures(row, nation, demo_results, "53")}
    site = {figure.label for figure in territory_key_figures(demo_results, "53")}
    assert ACTIVE_RATE.label in cover and ACTIVE_RATE.label in site
    assert ACTIVE_RATE.in_sentence in messages["territoires"].text


def test_no_module_writes_the_rate_label_by_hand():
    """The label lives in `vocabulary.VARIABLES`: a string literal spelling it elsewhere is a second label."""
    import ast
    from pathlib import Path

    import am_analytics

    spelled = re.compile(r"pour 100[\s\u202f]000[\s\u00a0]hab", re.IGNORECASE)
    found = []
    for path in Path(am_analytics.__file__).parent.rglob("*.py"):
        if path.name == "vocabulary.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and spelled.search(node.value):
                found.append(f"{path.name}:{node.lineno}")
    assert not found, found


# --- Targets, projection, cover: the same cells as the targets tables ------------------------------------------------


def test_the_targets_message_quotes_the_targets_table(demo_results, messages):
    table = cat.projected_dates_table(demo_results.progress, demo_results.projections)
    printed = dict(zip(table.frame["objectif_libelle"], cells(table)["part_atteinte"], strict=True))
    text = messages["objectifs"].text
    for target, share in re.findall(r"(\d[\d\u202f]* contrats) : (\d+,\d\u00a0%) atteints", text):
        assert printed[target] == share, target
    assert len(re.findall(r"atteints \(il manque", text)) == len(printed)


def test_the_projection_message_and_the_cover_quote_the_projected_dates_table(demo_scope, demo_results, messages):
    from am_analytics.report.build import _key_figures

    table = cat.projected_dates_table(demo_results.progress, demo_results.projections)
    first = {key: texts[0] for key, texts in cells(table).items()}
    text = " ".join(messages["projection"].text.split())
    assert " ".join(f"vers le {first['date_projetee']}".split()) in text
    assert " ".join(f"du {first['date_projetee_au_plus_tot']} au {first['date_projetee_au_plus_tard']}".split()) in text
    cover = _key_figures(demo_results.territory_row("FR"), demo_results.territory_row("FR"), demo_results, None)
    values = [figure.value for figure in cover]
    assert first["part_atteinte"] in values and first["date_projetee"] in values
    key = cat.key_figures_table(demo_results.nation, demo_results.regions, None)
    for column in ("signes", "actifs"):
        assert cells(key)[column][0] in values, column


def test_the_rhythm_message_quotes_published_counts(demo_results, messages):
    from am_analytics.presentation.tables import published_text

    france = demo_results.nation.iloc[0]
    text = messages["rythme"].text
    for column in ("signes_12_derniers_mois", "signes_12_mois_precedents"):
        assert pd.isna(france.get(f"{column}_secret"))
        assert published_text(france, column) in text


def test_the_dashboards_replace_an_unpublishable_chart_by_the_same_sentence(demo_scope, demo_results):
    from matplotlib.figure import Figure

    from am_analytics import dashboards as db

    board = db.Dashboard(demo_scope.with_region("06"))
    board._national = demo_results  # the national results of the same data and date, computed once
    title = board.scope.title("Profil d'origine par année de signature")
    shown = board.mix_chart(board.own.backgrounds_by_year, title, "profil d'origine")
    assert isinstance(shown, db.Html) and "graphique non publié" in shown.html
    france = ScopeResults.compute(demo_scope, demo_results)
    assert isinstance(board.mix_chart(france.backgrounds_by_year, "t", "profil d'origine"), Figure)


@pytest.mark.parametrize("table_of", [
    lambda national, own: cat.backgrounds_table(national.shares),
    lambda national, own: cat.mix_trend_table(own.backgrounds_by_year),
    lambda national, own: cat.mix_trend_table(own.specialties),
])
def test_every_printed_share_is_the_ratio_of_the_printed_count_and_base(demo_results, own, table_of):
    table = table_of(demo_results, own)
    keys = [column.key for column in table.columns]
    assert {"effectif", "total", "part"} <= set(keys), "the base of « Part » is printed"
    part = table.columns[keys.index("part")]
    checked = 0
    for row in range(len(table.frame)):
        if any(table.is_masked(row, key) for key in ("effectif", "total", "part")):
            continue
        count, base = table.frame["effectif"].iloc[row], table.frame["total"].iloc[row]
        if pd.isna(count) or pd.isna(base) or not base:
            continue
        assert table.cell_text(row, part) == format_percent(float(count) / float(base), 1)
        checked += 1
    assert checked >= 20


def test_the_satisfaction_chart_draws_a_group_s_shown_answers_and_says_which_are_left_out():
    from am_analytics.vocabulary import SATISFACTION

    levels = list(SATISFACTION.values())
    frame = pd.DataFrame({"groupe": ["medecin", "assistant", "ensemble"]})
    for i, level in enumerate(levels):
        frame[level] = pd.array([0.4, 0.1, 0.25] if i == 0 else [0.2, 0.3, 0.25], dtype="Float64")
        frame[f"{level}_secret"] = pd.array([None, None, None], dtype="string")
    frame.loc[0, f"{levels[3]}_secret"] = "primaire"  # doctors: one answer hidden
    frame.loc[0, levels[3]] = pd.NA
    for level in levels:  # assistants: every answer hidden
        frame.loc[1, f"{level}_secret"] = "base_insuffisante"
        frame.loc[1, level] = pd.NA
    fig = charts.likert_chart(frame, as_of="2021-02-01", labels={"medecin": "Médecins", "assistant": "Assistants",
                                                                  "ensemble": "Ensemble"})
    ax = fig.axes[0]
    doctors = [patch for patch in ax.patches if abs(patch.get_y() + patch.get_height() / 2) < 1e-9
               and patch.get_width() != 0]
    assert len(doctors) == 3, "the doctors' three shown answers are drawn"
    assert [text.get_text() for text in ax.texts].count("secret statistique") == 1, "only the assistants' row"
    caption = " ".join(text.get_text() for text in fig.texts)
    assert "Réponses masquées non dessinées : Médecins." in " ".join(caption.split())


def test_a_funding_chart_with_every_year_hidden_is_replaced_by_one_sentence():
    from am_analytics.figures.published import nothing_publishable

    funding = pd.DataFrame({"annee": ["2023", "2024"], "montant_attendu_eur": pd.array([pd.NA, pd.NA], "Float64"),
                            "montant_attendu_eur_secret": pd.array(["complementaire", "complementaire"], "string")})
    assert nothing_publishable(funding, "montant_attendu_eur")
    shown = funding.assign(montant_attendu_eur=pd.array([0.0, pd.NA], "Float64"),
                           montant_attendu_eur_secret=pd.array([None, "complementaire"], "string"))
    assert nothing_publishable(shown, "montant_attendu_eur"), "a zero beside a hidden year shows nothing"
    empty = funding.assign(montant_attendu_eur=0.0, montant_attendu_eur_secret=pd.array([None, None], "string"))
    assert not nothing_publishable(empty, "montant_attendu_eur"), "no contract is said as such, not as secret"


def test_a_regional_backgrounds_message_never_quotes_a_share_its_table_hides(demo_results):
    shares = demo_results.shares.copy()
    france = (shares["code"] == "FR") & (shares["profil_origine"] == "secretaire_medicale")
    shares.loc[france, "part"] = pd.NA
    shares.loc[france, "part_secret"] = "complementaire"
    message = sentences.region_backgrounds_message(shares, "53")
    assert sentences.SECRET_PHRASE in message.text and "%" not in message.text
