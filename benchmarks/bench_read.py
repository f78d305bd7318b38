"""Benchmark: `ingest.read_table` on a generated 1 000 000-row contracts CSV against bare `pyarrow.csv`, and
with `--prepare` the whole preparation (read, normalise, validate, versions, pseudonymise, write) of that file.

Run: .venv/bin/python benchmarks/bench_read.py [--rows N] [--encoding cp1252] [--quoted-newlines] [--prepare]
Not a test: timings depend on the machine. The file is generated in a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from am_analytics.ingest.read import read_table

HEADER = "N° contrat;RPPS;Date de signature;Département;Spécialité;Quotité;Profil d'origine;Aide versée (€)"


def write_contracts(path: Path, rows: int, encoding: str, quoted_newlines: bool) -> None:
    """A contracts extract like the real ones: title row, French header, `;`, CRLF, codes with zeros."""
    rng = np.random.default_rng(0)
    departements = np.array(["01", "2A", "13", "59", "971", "75", "06"])
    specialites = np.array(["Médecine générale", "MG", "Cardiologie", "Pédiatrie"])
    quotites = np.array(["1/3", "0,5", "mi-temps", "1", "Temps plein"])
    profils = np.array(["Secrétaire médicale", "IDE", "Aide-soignante", "Reconversion"])
    days = rng.integers(0, 2000, rows)
    dates = (np.datetime64("2019-09-01") + days).astype(str)
    ids = np.char.add("C", np.arange(rows).astype(str))
    rpps = (10_000_000_000 + rng.integers(0, 9_999_999, rows)).astype(str)
    profil = profils[rng.integers(0, 4, rows)]
    if quoted_newlines:
        profil = np.where(rng.random(rows) < 0.01, '"Secrétaire\nmédicale"', profil)
    columns = [
        ids,
        rpps,
        dates,
        departements[rng.integers(0, 7, rows)],
        specialites[rng.integers(0, 4, rows)],
        quotites[rng.integers(0, 5, rows)],
        profil,
        np.char.add(rng.integers(1000, 36000, rows).astype(str), ",00"),
    ]
    body = "\r\n".join(";".join(cells) for cells in zip(*columns, strict=True))
    text = f"Extraction des contrats au 31/12/2024\r\n{HEADER}\r\n{body}\r\n"
    path.write_bytes(text.encode(encoding))


def best_of(runs: int, action) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--quoted-newlines", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--prepare", action="store_true", help="time the whole preparation of the file too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contrats.csv"
        write_contracts(path, args.rows, args.encoding, args.quoted_newlines)
        size = path.stat().st_size / 1e6

        def bare_pyarrow() -> pa.Table:
            return pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(skip_rows=1, encoding=args.encoding),
                parse_options=pacsv.ParseOptions(delimiter=";", newlines_in_values=args.quoted_newlines),
                convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(HEADER.split(";"), pa.string())),
            )

        reference = best_of(args.runs, bare_pyarrow)
        ours = best_of(args.runs, lambda: read_table(path))
        raw = read_table(path)
        print(f"{args.rows:_} lignes, {size:.0f} Mo, encodage {args.encoding}".replace("_", " "))
        print(f"  pyarrow.csv.read_csv (colonnes texte)  : {reference:6.2f} s")
        print(f"  am_analytics.ingest.read_table         : {ours:6.2f} s  ({ours / reference:.1f}×)")
        last = raw.line_numbers.iloc[-1]
        print(f"  lignes lues {len(raw.frame):_}, dernière ligne du fichier {last:_}".replace("_", " "))
        if args.prepare:
            prepared = best_of(args.runs, lambda: prepare_folder(Path(folder)))
            print(f"  préparation complète (prepare)         : {prepared:6.2f} s")


def prepare_folder(folder: Path) -> None:
    """The whole preparation of the generated file, into a fresh output folder."""
    import shutil

    from am_analytics.prepare import pipeline

    out = folder.parent / (folder.name + "_out")
    shutil.rmtree(out, ignore_errors=True)
    options = {"key": b"bench-key"}
    # Before issue 14 the acceptance cut-off was named `as_of`: the same script times both versions.
    cutoff = "cutoff" if "cutoff" in pipeline.prepare.__code__.co_varnames else "as_of"
    pipeline.prepare(folder, out, **options, **{cutoff: None})


if __name__ == "__main__":
    main()
