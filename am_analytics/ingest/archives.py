"""A raw folder's inputs as files arrive: its files and its archives' members, and every file not read, with why."""

from __future__ import annotations

import gzip
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from am_analytics.ingest.read import ARCHIVE_SUFFIXES, DATA_SUFFIXES, inventory, is_auxiliary

# What a user can do about a file in a format not read: the formats read, once.
FORMATS_READ = "CSV, TXT, TSV, XLSX, XLSM, XLS, ODS, ou archive ZIP ou GZ de ces fichiers"


@dataclass(frozen=True)
class Input:
    """One input as the user finds it: a file of the folder, or a member of an archive (`lot.zip:contrats.csv`)."""

    name: str  # relative path in the folder, with ":member" for an archive's member
    path: Path  # the file on disk (for a member: its archive)
    member: str | None = None  # the member's path inside the archive
    data: bytes | None = None  # a member's bytes (a plain file is read from `path`)

    @property
    def display_path(self) -> Path:
        """A path whose name is how messages name the input ("lot.zip:contrats.csv")."""
        if self.member is None:
            return self.path
        return Path(f"{self.path.name}:{PurePosixPath(self.member).name}")

    @property
    def names_for_dates(self) -> tuple[str, ...]:
        """The names an extract date may be read from, first choice first: the member's, then the archive's."""
        if self.member is None:
            return (self.path.name,)
        return (PurePosixPath(self.member).name, self.path.name)


@dataclass(frozen=True)
class Unread:
    """A file (or an archive's member) that is not read, and why, in French."""

    name: str
    reason: str
    path: Path | None = None  # on disk, for its checksum (None for an archive's member)


def gather_inputs(folder: Path) -> tuple[list[Input], list[Unread]]:
    """The inputs of a folder, archives opened, and the files that will not be read (with their reason)."""
    inputs: list[Input] = []
    unread: list[Unread] = []
    for path in inventory(folder):
        name = path.relative_to(folder).as_posix()
        suffix = path.suffix.lower()
        if suffix in DATA_SUFFIXES:
            inputs.append(Input(name, path))
        elif suffix == ".zip":
            found, skipped = _zip_members(path, name)
            inputs += found
            unread += skipped
        elif suffix == ".gz":
            found, skipped = _gzip_member(path, name)
            inputs += found
            unread += skipped
        else:
            unread.append(Unread(name, unknown_format(suffix), path))
    return inputs, unread


def unknown_format(suffix: str) -> str:
    shown = f"« {suffix} »" if suffix else "sans extension"
    return f"format non lu ({shown}) : déposer les données en {FORMATS_READ}"


# What reading one member of a damaged, encrypted or exotic (compression method) archive may raise.
_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError, EOFError)


def _zip_members(path: Path, name: str) -> tuple[list[Input], list[Unread]]:
    inputs: list[Input] = []
    unread: list[Unread] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for item in archive.infolist():
                if item.is_dir() or is_auxiliary(item.filename):
                    continue
                label = f"{name}:{item.filename}"
                suffix = PurePosixPath(item.filename).suffix.lower()
                if suffix in ARCHIVE_SUFFIXES:
                    unread.append(Unread(label, "archive dans l'archive : la décompresser et déposer son contenu"))
                elif suffix not in DATA_SUFFIXES:
                    unread.append(Unread(label, unknown_format(suffix)))
                elif item.flag_bits & 0x1:
                    unread.append(Unread(label, "fichier de l'archive protégé par mot de passe : l'envoyer sans mot "
                                                "de passe (le transfert sécurisé protège déjà le fichier)"))
                else:
                    try:
                        inputs.append(Input(label, path, item.filename, archive.read(item)))
                    except _MEMBER_ERRORS as exc:
                        unread.append(Unread(label, f"fichier de l'archive illisible ({exc}) : renvoyer l'archive"))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        unread.append(Unread(name, f"archive ZIP illisible ou tronquée ({exc}) : renvoyer l'archive", path))
    if not inputs and not unread:
        unread.append(Unread(name, "archive vide (aucun fichier de données) : renvoyer l'archive avec les extractions",
                             path))
    return inputs, unread


def _gzip_member(path: Path, name: str) -> tuple[list[Input], list[Unread]]:
    member = path.name[: -len(".gz")]
    suffix = PurePosixPath(member).suffix.lower()
    if suffix not in DATA_SUFFIXES:
        # a .tar.gz holds several files in one stream: not read, named
        return [], [Unread(name, unknown_format(suffix or ".gz"), path)]
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as exc:
        return [], [Unread(name, f"archive GZ illisible ou tronquée ({exc}) : renvoyer le fichier", path)]
    return [Input(f"{name}:{member}", path, member, data)], []
