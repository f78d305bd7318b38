"""Every file of the raw folder is read or named: workbooks of every kind, archives' members as if they lay in
the folder, and any other file named with the reason it was not read (never skipped without a word)."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile

import pytest

from am_analytics.errors import DataError
from am_analytics.ingest.archives import gather_inputs
from am_analytics.ingest.read import discover, inventory
from am_analytics.prepare.pipeline import prepare

KEY = b"inputs-key"
CONTRACTS = "N° contrat;RPPS;Date de signature;Département;Quotité\nC1;99100000001;15/03/2021;35;1/2\n"


def test_inventory_lists_every_file_and_discover_the_formats_read(tmp_path):
    for name in ["a.csv", "b.xls", "c.ods", "d.zip", "e.csv.gz", "notes.pdf", "LISEZMOI.txt", "a.csv.provenance.json"]:
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in inventory(tmp_path)] == ["a.csv", "b.xls", "c.ods", "d.zip", "e.csv.gz", "notes.pdf"]
    assert [p.name for p in discover(tmp_path)] == ["a.csv", "b.xls", "c.ods", "d.zip", "e.csv.gz"]


def test_archives_that_cannot_be_read_as_data_are_named_with_their_reason(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("contrats.csv")
        info.size = len(CONTRACTS.encode())
        archive.addfile(info, io.BytesIO(CONTRACTS.encode()))
    (tmp_path / "lot.tar.gz").write_bytes(buffer.getvalue())
    (tmp_path / "coupe.csv.gz").write_bytes(gzip.compress(CONTRACTS.encode())[:20])
    (tmp_path / "faux.zip").write_bytes(b"PK\x03\x04tronque")
    with zipfile.ZipFile(tmp_path / "vide.zip", "w") as empty:
        empty.writestr("README.txt", "rien")
    inputs, unread = gather_inputs(tmp_path)
    assert inputs == []
    reasons = {item.name: item.reason for item in unread}
    assert "« .tar »" in reasons["lot.tar.gz"]
    assert "GZ illisible" in reasons["coupe.csv.gz"]
    assert "ZIP illisible" in reasons["faux.zip"]
    assert "archive vide" in reasons["vide.zip"]


def test_a_folder_of_unread_files_only_is_refused_naming_each_file_and_reason(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(DataError) as error:
        prepare(tmp_path, tmp_path / "out", key=KEY)
    message = str(error.value)
    assert "aucun fichier de données reconnu" in message and "notes.pdf" in message and "« .pdf »" in message


def test_an_unread_file_beside_good_ones_is_named_and_strict_refuses_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "contrats.csv").write_text(CONTRACTS, encoding="utf-8")
    (raw / "contrats_2020.numbers").write_bytes(b"PK\x03\x04")
    result = prepare(raw, tmp_path / "out", key=KEY)
    unread = {f["file"]: f["unread_reason"] for f in result.manifest["files"] if f["unread_reason"]}
    assert list(unread) == ["contrats_2020.numbers"] and "« .numbers »" in unread["contrats_2020.numbers"]
    assert result.warnings.loc[result.warnings["reason"] == "fichier_non_lu", "file"].tolist() == [
        "contrats_2020.numbers"
    ]
    with pytest.raises(DataError, match="non lu"):
        prepare(raw, tmp_path / "strict", key=KEY, strict=True)


def test_notes_repeated_headers_and_totals_are_told_from_data_lines():
    import pandas as pd

    from am_analytics.ingest.lines import non_data_kinds

    frame = pd.DataFrame(
        {
            "N° contrat": ["C1", "Source : Cnam", "N° contrat", "Sous-total Nord", None, "Sourcils",
                           "(1) Champ : France", "TOTAL GÉNÉRAL", "Totalement"],
            "RPPS": ["99100000001", None, "RPPS", None, "Total", "99100000002", None, None, "99100000003"],
            "Quotité": ["1/2", None, "Quotité", "3", "4", "1", None, "7", "1"],
        },
        dtype="string",
    )
    assert non_data_kinds(frame).tolist() == [
        pd.NA, "note", "entete_repete", "total", "total", pd.NA, "note", "total", pd.NA,
    ]


def test_an_html_table_saved_as_xls_is_named_with_what_it_is(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "contrats.csv").write_text(CONTRACTS, encoding="utf-8")
    page = b"<html><body><table><tr><td>N\xc2\xb0 contrat</td></tr></table></body></html>"
    (raw / "export_web.xls").write_bytes(page)
    result = prepare(raw, tmp_path / "out", key=KEY)
    (reason,) = [f["unread_reason"] for f in result.manifest["files"] if f["unread_reason"]]
    assert "HTML" in reason and ".xlsx" in reason
