"""The intruder kept aside (`benchmarks/intruder.py`) finds what a reader finds: a masked count that the published
cumulative counts or totals give back, and nothing when they do not. Its full run over the outputs of small scopes
is `python benchmarks/intruder.py FOLDER…` (see README « The publication audited as a whole »)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import intruder  # noqa: E402

pytestmark = pytest.mark.xdist_group("intruder")

SERIES_HEADER = "Fin d'année (ou date d'arrêté);Contrats signés dans l'année;Contrats signés (cumul);Contrats actifs"


def write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\ufeff" + "\n".join(lines) + "\n\nNote de bas de tableau\n", encoding="utf-8")
    return path


def verdict(folder: Path) -> list[intruder.Finding]:
    return intruder.audit([folder])


def test_a_masked_year_given_back_by_two_cumulative_counts_is_found(tmp_path):
    write(tmp_path, "corse_contrats-signes-et-actifs-par-annee.csv", [
        SERIES_HEADER,
        "31 décembre 2020;6;6;6",
        "31 décembre 2021;< 5;s;s",
        "30 juin 2022;0;9;8",
    ])
    findings = verdict(tmp_path)
    exact = [f for f in findings if f.exact]
    assert [f.where.split(" · ")[1:] for f in exact] == [["31 décembre 2021", "signés dans la période"],
                                                         ["31 décembre 2021", "cumul"]]
    assert exact[0].least == exact[0].most == 3
    assert intruder.main([str(tmp_path)]) == 1


def test_two_masked_years_that_share_one_difference_stay_hidden(tmp_path):
    write(tmp_path, "corse_contrats-signes-et-actifs-par-annee.csv", [
        SERIES_HEADER,
        "31 décembre 2020;6;6;6",
        "31 décembre 2021;< 5;s;s",
        "31 décembre 2022;< 5;s;s",
        "30 juin 2023;s;17;s",
    ])
    findings = verdict(tmp_path)
    assert findings and not any(f.exact for f in findings)
    small = [f for f in findings if f.small]
    assert all(f.values >= intruder.RULE_VALUES for f in small), small
    assert intruder.main([str(tmp_path)]) == 0


def test_a_row_total_and_its_other_parts_give_back_a_masked_background(tmp_path):
    write(tmp_path, "corse_profils-d-origine-et-france-entiere.csv", [
        "Territoire;Profil d'origine;Contrats;Contrats du territoire;Part;IC 95 % bas;IC 95 % haut",
        "Corse;Secrétaire médicale;8;10;s;s;s",
        "Corse;Infirmier·ère;< 5;10;s;s;s",
        "Corse;Aide-soignant·e;0;10;n.s.;n.s.;n.s.",
        "Corse;Auxiliaire de puériculture;0;10;n.s.;n.s.;n.s.",
        "Corse;Assistant·e dentaire;0;10;n.s.;n.s.;n.s.",
        "Corse;Autre profession de santé;0;10;n.s.;n.s.;n.s.",
        "Corse;Sans expérience en santé;< 5;10;s;s;s",
        "Corse;Non renseigné;0;10;n.s.;n.s.;n.s.",
    ])
    write(tmp_path, "corse_contrats-signes-et-actifs-par-annee.csv", [SERIES_HEADER, "30 juin 2025;10;10;10"])
    findings = verdict(tmp_path)
    assert len(findings) == 2 and all(f.exact and f.least == 1 for f in findings)


def test_a_rate_printed_beside_a_masked_count_gives_it_back(tmp_path):
    # Corse-du-Sud: 0,1 contract per 100 000 inhabitants is about 0,16 contract: the printed rate pins the count
    population = intruder._POPULATION["2A"]
    rate = 3 / population * 100_000
    write(tmp_path, "corse_contrats-par-departement.csv", [
        "Code département;Département;Code région;Contrats signés;Contrats actifs;ETP actifs;"
        "Contrats signés pour 100 000 hab.;Contrats actifs pour 100 000 hab.",
        f"2A;Corse-du-Sud;94;< 5;s;s;{rate:.1f}".replace(".", ",") + ";s",
        "2B;Haute-Corse;94;7;6;4,0;s;s",
    ])
    write(tmp_path, "corse_contrats-signes-et-actifs-par-annee.csv", [SERIES_HEADER, "30 juin 2025;s;s;s"])
    exact = [f for f in verdict(tmp_path) if f.exact]
    assert any("Corse-du-Sud · signés" in f.where and f.least == 3 for f in exact), exact


def test_cells_read_as_a_reader_reads_them():
    assert intruder.read_cell("< 5") == intruder.Cell(None, small=True)
    assert intruder.read_cell("s") == intruder.Cell(None)
    assert intruder.read_cell("8\u202f537") == intruder.Cell(8537.0)
    assert intruder.read_cell("n.s.") is None and intruder.read_cell("n.d.") is None
    assert intruder.read_number("15,2 %") == pytest.approx(0.152)
    assert intruder.decimals_of("15,2 %") == pytest.approx(0.0005)
    assert intruder.read_date("31 décembre 2019").isoformat() == "2019-12-31"


@pytest.mark.slow
def test_a_small_region_s_workbook_at_an_early_date_gives_nothing_back(tmp_path):
    # Bretagne at the end of 2019: ten contracts, most backgrounds « < 5 »; its backgrounds add up to its total and
    # its total is printed, which gave three of them back before the ledger knew categories add up
    import subprocess

    pdf = tmp_path / "bretagne.pdf"
    done = subprocess.run([sys.executable, "-m", "am_analytics.report", "--region", "53", "--as-of", "2019-12-31",
                           "--output", str(pdf)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    findings = intruder.audit([pdf.with_suffix(".xlsx")])
    assert findings, "the workbook hides nothing: the case tests nothing"
    leaks = [f for f in findings if (f.exact and f.least > 0) or (f.small and f.values < intruder.RULE_VALUES)]
    assert not leaks, leaks
