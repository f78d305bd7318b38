"""Which notebook runs for which region: notebooks declaring a `region` parameter run once per region,
every other notebook once (national); parameters are passed as text, only those a notebook declares."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from am_analytics.errors import UsageError

PARAMETERS_TAG = "parameters"
REGION_PARAMETER = "region"
# how the index and the pages name each committed notebook (another notebook is named after its file)
NOTEBOOK_TITLES = {
    "01_deploiement_national": "Déploiement national",
    "02_tableau_de_bord_regional": "Tableau de bord régional",
    "03_profils_d_origine": "Profils d'origine",
    "04_enquete_satisfaction": "Enquête de satisfaction",
    "05_qualite_des_donnees": "Qualité des données",
    "06_contreparties": "Contreparties et accès aux soins",
}


class NotebookError(ValueError):
    """A notebook the scheduler cannot run as it stands (no parameters cell, a computed parameter...)."""


def parameters_cells(notebook: nbformat.NotebookNode) -> list[int]:
    """Indexes of the code cells tagged `parameters`."""
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", [])
    ]


def notebook_parameters(notebook: nbformat.NotebookNode, name: str = "notebook") -> dict[str, object]:
    """The parameters a notebook declares, with their default values.

    Exactly one code cell must carry the `parameters` tag and hold only assignments of literals to plain
    names (`region = None`): papermill injects its values after that cell, so a value computed there would
    be computed from the default, not from the value passed (derived values belong to the next cell).
    """
    cells = parameters_cells(notebook)
    if len(cells) != 1:
        raise NotebookError(f"{name} : {len(cells)} cellules marquées « parameters » (il en faut exactement une)")
    source = notebook.cells[cells[0]].source
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise NotebookError(f"{name} : cellule de paramètres illisible ({exc.msg}, ligne {exc.lineno})") from None
    values: dict[str, object] = {}
    for statement in tree.body:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            raise NotebookError(f"{name} : ligne {statement.lineno} de la cellule de paramètres : "
                                "seules des affectations simples « nom = valeur » sont permises")
        try:
            values[statement.targets[0].id] = ast.literal_eval(statement.value)
        except ValueError:
            raise NotebookError(f"{name} : le paramètre « {statement.targets[0].id} » (ligne {statement.lineno}) "
                                "n'est pas une valeur littérale ; le calculer dans la cellule suivante") from None
    return values


@dataclass(frozen=True)
class NotebookSpec:
    """A notebook the scheduler can run: its name (file stem), path and declared parameters."""

    name: str
    path: Path
    parameters: Mapping[str, object] = field(hash=False)
    # presents France as a whole (metadata `am_analytics.presente_la_france`): not run on extracts that do not cover
    # France, whose figures it would present as France's
    presents_france: bool = False
    # shows the yearly open data alone (metadata `am_analytics.donnees_ouvertes`): run on a folder holding the open
    # data and no contract extract, where every other notebook would stop for want of contracts
    shows_open_data: bool = False

    @property
    def regional(self) -> bool:
        """Runs once per region (it declares a `region` parameter) rather than once for France."""
        return REGION_PARAMETER in self.parameters

    @classmethod
    def read(cls, path: Path) -> NotebookSpec:
        notebook = nbformat.read(path, as_version=4)
        declared = notebook.metadata.get("am_analytics", {})
        return cls(name=path.stem, path=path.resolve(), parameters=notebook_parameters(notebook, path.name),
                   presents_france=bool(declared.get("presente_la_france")),
                   shows_open_data=bool(declared.get("donnees_ouvertes")))


def discover_notebooks(folder: Path) -> list[NotebookSpec]:
    """Every notebook of a folder, in name order (checkpoints and executed copies left out)."""
    if not folder.is_dir():
        raise UsageError(f"dossier des notebooks introuvable : {folder}")
    paths = sorted(p for p in folder.glob("*.ipynb") if not p.name.endswith(".executed.ipynb"))
    specs = []
    for path in paths:
        try:
            specs.append(NotebookSpec.read(path))
        except NotebookError as exc:
            raise UsageError(str(exc)) from None
    if not specs:
        raise UsageError(f"aucun notebook dans {folder}")
    return specs


def select_notebooks(specs: Sequence[NotebookSpec], wanted: Iterable[str] | None) -> list[NotebookSpec]:
    """The notebooks named in `wanted` (file stem, file name, or the number it starts with: `02`), in their
    folder order; every notebook when `wanted` is None. An unknown name is a usage error."""
    if wanted is None:
        return list(specs)
    chosen: set[str] = set()
    for text in wanted:
        key = text.strip().removesuffix(".ipynb")
        if not key:
            continue
        matches = [s.name for s in specs if s.name == key] or [s.name for s in specs if s.name.split("_")[0] == key]
        if len(matches) != 1:
            known = ", ".join(s.name for s in specs)
            problem = "ambigu" if matches else "inconnu"
            raise UsageError(f"--notebooks : notebook « {text} » {problem} ; notebooks disponibles : {known}")
        chosen.add(matches[0])
    if not chosen:
        raise UsageError("--notebooks : aucun notebook indiqué")
    return [s for s in specs if s.name in chosen]


@dataclass(frozen=True)
class Run:
    """One execution: a notebook, its region (None: France) and the text parameters it receives."""

    notebook: NotebookSpec
    region: str | None
    parameters: Mapping[str, str] = field(hash=False)
    variant: str | None = None  # tells apart two runs of one notebook for one territory (another background)

    @property
    def stem(self) -> str:
        """The output files' name: the notebook's, with the region code for a regional run (and the variant)."""
        parts = [self.notebook.name, self.region, self.variant]
        return "_".join(part for part in parts if part)

    @property
    def territory(self) -> str:
        """« 84 Auvergne-Rhône-Alpes » or « France entière », as progress lines and the index show it."""
        from am_analytics.geography import region_name

        return "France entière" if self.region is None else f"{self.region} {region_name(self.region)}"


def plan_runs(specs: Sequence[NotebookSpec], regions: Sequence[str], common: Mapping[str, str]) -> list[Run]:
    """The runs of a scheduled batch: national notebooks first (once each), then each regional notebook once
    per region. Each run gets the common parameters its notebook declares, as text (a region code such as
    `01` must reach the notebook as the string "01")."""
    national, regional = [], []
    for spec in specs:
        given = {key: str(value) for key, value in common.items() if key in spec.parameters and value is not None}
        if spec.regional:
            regional.extend(Run(spec, region, {**given, REGION_PARAMETER: str(region)}) for region in regions)
        else:
            national.append(Run(spec, None, given))
    return national + regional
