"""The report's content for one scope (France or a region) at a counting date, as a statistical series publishes
it: a short body (cover with the headline figure and four key figures, « L'essentiel », numbered figures whose
titles state the finding, each with its « Lecture », « Champ » and « Source » lines, a methods box), and an annex
PDF with the detailed tables, the data quality, the provenance and the change log; the workbook keeps every table.
Compute (once, passed in) → draw → lay out; no file is written here (see `__main__`).

The body is a list of section functions (`body.NATIONAL_SECTIONS`, `body.REGIONAL_SECTIONS`), the annex another
(`annex.ANNEX_SECTIONS`): one line adds a section. A regional edition is about its region; a national block it
keeps is titled « France entière ». No page of a regional report lists the départements of another region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from am_analytics import __version__, reference
from am_analytics.figures.contract import printed_text_pt
from am_analytics.figures.formatting import format_date, format_number, format_percent
from am_analytics.figures.published import nothing_publishable
from am_analytics.presentation import catalogue as cat
from am_analytics.presentation import sentences
from am_analytics.presentation.findings import Finding
from am_analytics.presentation.france_reference import (
    PUBLISHED,
    FranceReference,
    latest_france_reference,
)
from am_analytics.presentation.keyfigures import KeyFigure, measured, measured_text
from am_analytics.presentation.publication import audited
from am_analytics.presentation.results import NationalResults, RegionAgainstFrance, ScopeResults
from am_analytics.presentation.scope import Scope
from am_analytics.presentation.sentences import KeyMessage, french_sentence
from am_analytics.presentation.tables import PublishedTable, published_text
from am_analytics.report.document import ReportDocument
from am_analytics.report.svg import figure_svg
from am_analytics.report.workbook import build_workbook
from am_analytics.vocabulary import (
    SYNTHETIC_MENTION,
)

REPORT_TITLE = "Les assistants médicaux"


@dataclass(frozen=True)
class FigureRecord:
    """A figure as the PDF prints it: its title, alternative text, smallest text in points once printed, and the
    drawn figure itself (for the checks of print quality: texts that collide, lines through labels); a numbered
    figure of the body has its heading (« Figure 3 – the finding ») and the lines printed under it."""

    title: str
    alt_text: str
    printed_text_pt: float
    figure: Figure | None = field(default=None, repr=False, compare=False)
    heading: str = ""
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuiltReport:
    """A report's two files (bytes), the figures its cover shows (as published), its key messages, and what the
    PDF laid out (figures, tables) for the checks of print quality."""

    pdf: bytes
    workbook: bytes
    summary: dict[str, float | None]
    annex: bytes = b""
    messages: list[KeyMessage] = field(default_factory=list)
    figures: list[FigureRecord] = field(default_factory=list)
    tables: list = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)


class _Layout:
    """The PDF being laid out and the tables it publishes (the workbook gets the same tables)."""

    def __init__(self, document: ReportDocument):
        self.document = document
        self.tables: list[PublishedTable] = []
        self.figures: list[FigureRecord] = []
        self.numbered_figures = 0
        self._pending: tuple[str, list[str], bool] | None = None

    def section(self, title: str, intro: list[str] | tuple[str, ...] = (), *, new_page: bool = False) -> None:
        """A section of the body: its heading and opening sentences are printed with what follows them, on the
        same page (a heading never ends a page, nor its sentences without the figure they introduce)."""
        self._flush()
        self._pending = (title, list(intro), new_page)

    def _flush(self, following: float = 0.0) -> None:
        if self._pending is None:
            return
        title, intro, new_page = self._pending
        self._pending = None
        document = self.document
        heading = document.text_height(title, 15, 7, style="B") + 7
        if not new_page:
            document.keep_room(heading + sum(document.text_height(line, 9.5) + 1.5 for line in intro) + following)
        document.section(title, new_page=new_page)
        self.intro(intro)

    def paragraph(self, text: str, size: float = 9.5) -> None:
        self._flush(20)
        self.document.paragraph(text, size=size)

    def note(self, text: str) -> None:
        self._flush(20)
        self.document.note(text)

    def table(self, table: PublishedTable, *, in_pdf: bool = True, emphasised: tuple[int, ...] = ()) -> None:
        self.tables.append(table)
        if not in_pdf:
            return
        self._flush(40)
        document = self.document
        dates = [i for i, column in enumerate(table.columns) if column.kind == "date"]
        rows = [[text.replace(" ", "\u00a0") if i in dates else text for i, text in enumerate(row)]
                for row in table.formatted_rows()]
        notes = [*table.notes, f"{table.source_line}."]
        document.table(
            [column.header for column in table.columns],
            rows,
            right_aligned=table.right_aligned(),
            title=table.title,
            emphasised=emphasised,
            keep_with=sum(document.text_height(note, 7.5) + 1.5 for note in notes),
        )
        for note in notes:
            document.note(note)

    def figure(self, fig: Figure, values: str) -> None:
        """Embed a figure with its alternative text: its title and the values it shows."""
        self._flush(60)
        title = " ".join(fig.get_suptitle().split())
        alt = f"{title}. {values}".strip()
        width = self.document.figure(figure_svg(fig), alt_text=alt)
        self.figures.append(FigureRecord(title, alt, printed_text_pt(fig, width), fig))

    def numbered_figure(self, fig: Figure, finding: Finding, *, field: str, source: str, values: str) -> None:
        """A numbered figure of the body: « Figure N – finding », the chart, then its « Lecture » (the finding's
        sentence, written from the figure's published values), « Champ » and « Source » lines."""
        self.numbered_figures += 1
        heading = f"Figure {self.numbered_figures} – {finding.title}"
        lines = (f"Lecture : {french_sentence(finding.reading)}", f"Champ : {field}", f"Source : {source}")
        title = " ".join(fig.get_suptitle().split())
        alt = f"{title}. {finding.title}. {values}".strip()
        svg = figure_svg(fig)
        self._flush(self.document.figure_block_height(heading, svg, lines))
        width = self.document.figure_block(heading, svg, alt_text=alt, lines=lines)
        self.figures.append(FigureRecord(title, alt, printed_text_pt(fig, width), fig, heading, lines))

    def published_figure(self, frame: pd.DataFrame, column: str, title: str, draw: Callable[[], Figure], values: str,
                         coarser: str | None = None) -> None:
        """A chart of `column` of a published frame, or the sentence that replaces it when none of its values is
        publishable (a chart drawn entirely « secret » tells the reader nothing), naming the `coarser` figures when
        there are."""
        if nothing_publishable(frame, column):
            self.paragraph(sentences.unpublished_chart_sentence(title, coarser), size=9)
        else:
            self.figure(draw(), values)

    def intro(self, lines: list[str]) -> None:
        """The two or three sentences a section opens with (kept with its heading when it is still to print)."""
        if self._pending is not None:
            self._pending[1].extend(lines)
            return
        for line in lines:
            self.document.paragraph(line, size=9.5)

    def boxed(self, title: str, paragraphs: list[str]) -> None:
        self._flush(30)
        self.document.boxed(title, paragraphs)

    def to_bytes(self) -> bytes:
        """The finished PDF (a section still to print is printed first)."""
        self._flush()
        return self.document.to_bytes()


@dataclass(frozen=True)
class Edition:
    """What every section of one edition reads: its scope, the audited results (France's and its own), its key
    messages, France as published (extracts that do not cover France) and the region read against France."""

    scope: Scope
    national: NationalResults
    own: ScopeResults
    messages: list[KeyMessage]
    france: FranceReference | None
    against: RegionAgainstFrance | None

    @property
    def row(self) -> pd.Series:
        """The territory's published figures (France's or the region's)."""
        return self.national.territory_row(self.scope.territory_code)

    @property
    def nation(self) -> pd.Series | None:
        """France's published figures, when the extracts cover France."""
        return self.national.territory_row("FR") if self.scope.covers_france else None


Section = Callable[[_Layout, Edition], None]


def edition(scope: Scope, national: NationalResults | None = None) -> Edition:
    """An edition's audited results: France's and the scope's, audited together as one publication."""
    if national is None:
        national = NationalResults.of(scope)
    if national.as_of != scope.as_of:
        raise ValueError("national results computed at another counting date than the scope's")
    # the report and its workbook are one publication: France's results and the scope's, audited together
    national, (own,) = audited(national, [(scope, ScopeResults.compute(scope, national))], scope.all_contracts)
    # extracts of one region (or a few) say nothing of France: France is then a published reference
    france = None if scope.covers_france else latest_france_reference(scope.data.territory_year, scope.as_of,
                                                                      scope.synthetic)
    messages = sentences.key_messages(national, own, scope.region, covers_france=scope.covers_france, france=france)
    against = RegionAgainstFrance.of(national, scope.region) if scope.region is not None else None
    return Edition(scope, national, own, messages, france, against)


def build(scope: Scope, national: NationalResults | None = None) -> BuiltReport:
    """The body PDF, the annex PDF and the workbook for a scope (France or a region). `national` is the dataset's
    national results at the scope's counting date, computed by the caller once for many scopes, or here."""
    from am_analytics.report import annex, body

    ed = edition(scope, national)
    created = scope.as_of.to_pydatetime()
    subtitle = f"{scope.label} — données au {format_date(scope.as_of)}"
    report = _Layout(ReportDocument(title=REPORT_TITLE, subtitle=subtitle, synthetic=scope.synthetic,
                                    creation_date=created))
    for section in body.REGIONAL_SECTIONS if scope.region is not None else body.NATIONAL_SECTIONS:
        section(report, ed)
    annexes = _Layout(ReportDocument(title=f"{REPORT_TITLE} — annexes", subtitle=subtitle,
                                     synthetic=scope.synthetic, creation_date=created))
    for section in annex.ANNEX_SECTIONS:
        section(annexes, ed)
    tables = [*report.tables, *annexes.tables]
    workbook, sheet_names = build_workbook(
        tables,
        _sources_lines(scope),
        created,
        title=f"{REPORT_TITLE} — {subtitle}",
        synthetic=scope.synthetic,
        scope_label=scope.label,
    )
    summary = {key: _published_value(ed.row, key) for key in ("signes", "actifs", "etp_actifs")}
    return BuiltReport(
        pdf=report.to_bytes(),
        workbook=workbook,
        summary=summary,
        annex=annexes.to_bytes(),
        messages=ed.messages,
        figures=[*report.figures, *annexes.figures],
        tables=[*report.document.tables_laid_out, *annexes.document.tables_laid_out],
        sheet_names=sheet_names,
    )


def _indicator_line(message: KeyMessage, synthetic: bool) -> str:
    return message.indicator + (f" — {SYNTHETIC_MENTION.lower()}" if synthetic else "")


def coverage_lines(scope: Scope) -> list[str]:
    """What the cover says when the extracts do not cover France: what they cover, and where France comes from."""
    if scope.covers_france:
        return []
    return [f"Les extractions reçues ne couvrent que {scope.coverage.label} : aucun chiffre « France » n'en est tiré ; "
            "la France n'est citée que d'après les chiffres publiés, avec leur source."]


# --- cover --------------------------------------------------------------------------------------------------------


def _published_value(row: pd.Series, key: str) -> float | None:
    """A published figure, or None where it is hidden (`<key>_secret`) or missing."""
    value = row.get(key)
    return None if value is None or pd.isna(value) else float(value)


def _key_figures(row: pd.Series, nation: pd.Series | None, national: NationalResults, region: str | None,
                 france: FranceReference | None = None) -> list[KeyFigure]:
    """Four figures: contracts signed and active, then for France the next open target and its projected date,
    for a region its rate per 100 000 inhabitants (beside France's) and its share of the national total; when the
    extracts do not cover France (`nation` None), its rate alone and the published national count (`france`)."""
    figures = [
        measured(row, "signes", "depuis septembre 2019"),
        measured(row, "actifs", f"signés et non terminés ; {measured_text(row, 'etp_actifs')} ETP actifs"),
    ]
    if region is not None and nation is None:
        figures.append(measured(row, "actifs_pour_100k_hab", "contrats actifs de la région"))
        if france is not None:
            figures.append(KeyFigure(f"Contrats signés, France ({PUBLISHED})", format_number(france.value),
                                     f"au {format_date(france.day)} ; source : {france.source}"))
        return figures
    if region is not None:
        figures += [
            measured(row, "actifs_pour_100k_hab", "France entière : " + measured_text(nation, "actifs_pour_100k_hab")),
            measured(row, "part_nationale_signes", "de l'ensemble des contrats signés"),
        ]
        return figures
    open_groups = [g for g in sentences.target_groups(national.progress) if g["date_atteinte"].isna().all()]
    if open_groups:
        group = open_groups[0]
        first = group.iloc[0]
        figures.append(KeyFigure(
            f"Objectif {format_number(first['valeur_cible'])} contrats : part atteinte",
            format_percent(first["part_atteinte"], 1),
            "échéances : " + sentences._setters(group),
        ))
        projection = national.projections[national.projections["objectif"] == first["objectif"]].iloc[0]
        if pd.notna(projection["date_projetee"]):
            high = projection["date_projetee_au_plus_tard"]
            figures.append(KeyFigure(
                f"Date projetée pour {format_number(first['valeur_cible'])} contrats",
                format_date(projection["date_projetee"]),
                f"fourchette à 95 % : {format_date(projection['date_projetee_au_plus_tot'])} – "
                + (format_date(high) if pd.notna(high) else "au-delà de 10 ans"),
            ))
        else:
            figures.append(KeyFigure(f"Date projetée pour {format_number(first['valeur_cible'])} contrats",
                                     "non calculable", str(projection["raison"])))
    else:
        figures.append(KeyFigure("ETP actifs", published_text(row, "etp_actifs", "decimal", 1),
                                 "équivalents temps plein"))
    return figures


def _sources_lines(scope: Scope) -> list[tuple[str, str]]:
    manifest = scope.data.manifest
    lines = [
        ("Date d'arrêté", format_date(scope.as_of)),
        (
            "Données",
            f"{SYNTHETIC_MENTION} — ne pas utiliser comme données réelles"
            if scope.synthetic
            else "Extractions réelles des contrats",
        ),
        ("Logiciel", f"am_analytics {__version__}"),
    ]
    for name, digest in sorted(manifest.get("inputs", {}).items()):
        lines.append((f"Fichier d'entrée : {name}", f"SHA-256 {digest}"))
    for name in reference.TABLES:
        record = reference.provenance(name)
        lines.append(
            (
                f"Référence : {record.title}",
                f"{record.source} ({record.vintage}) — {record.licence} — {record.source_url}",
            )
        )
    for method in cat.METHODS.values():
        lines.append((f"Méthode : {method.title}", method.text))
    return lines
