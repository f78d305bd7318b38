"""Properties of the preparation that must hold whatever the extract holds (hypothesis).

A row whose required fields (contract number, doctor, geography, signature date, FTE) are valid is kept,
whatever its descriptive fields (specialty, zone, background, training, take-up date, aid) say: they can
only raise warnings."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from am_analytics.prepare.pipeline import prepare

HEADER = ["N° contrat", "RPPS", "Date de signature", "Département", "Quotité", "Spécialité", "Zone",
          "Profil d'origine", "Formation", "Date de prise de fonction", "Aide versée (€)"]
KEY = b"property-key"

# Any text a cell can hold (no control characters: a NUL byte makes a file binary, which is refused whole).
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30
)
descriptive = st.fixed_dictionaries(
    {
        "specialite": cell_text, "zone": cell_text, "profil": cell_text, "formation": cell_text,
        "prise": cell_text, "aide": cell_text,
    }
)


def _write(folder: Path, rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    for n, fields in enumerate(rows, start=1):
        writer.writerow([
            f"P{n}", f"991{n:08d}", "15/03/2021", "35", "1/2", fields["specialite"], fields["zone"],
            fields["profil"], fields["formation"], fields["prise"], fields["aide"],
        ])
    (folder / "contrats.csv").write_text(buffer.getvalue(), encoding="utf-8")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(descriptive, min_size=1, max_size=6))
def test_a_row_with_valid_required_fields_is_kept_whatever_its_descriptive_fields_hold(rows):
    root = Path(tempfile.mkdtemp(prefix="am_property_"))
    try:
        raw = root / "raw"
        raw.mkdir()
        _write(raw, rows)
        result = prepare(raw, root / "out", key=KEY)
        assert result.quarantine.empty, result.quarantine[["line", "column", "value", "reason"]].to_string()
        assert sorted(result.tables["contracts"]["contrat_id"]) == sorted(f"P{n}" for n in range(1, len(rows) + 1))
        (account,) = result.accounts
        assert (account.rows_read, account.rows_kept) == (len(rows), len(rows))
        # every warning points at a descriptive column of a kept row
        assert set(result.warnings["field"].dropna()) <= {
            "specialite", "zone", "profil_origine", "formation", "date_prise_fonction", "aide_versee_eur"
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)
