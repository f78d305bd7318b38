"""The PDF document: A4 pages in French with the DejaVu font shipped inside matplotlib, a running header,
a footer with page numbers and the synthetic-data mention, a table of contents, tables that paginate with
repeated headers, and charts embedded as vector graphics (SVG).

Nothing here knows about assistants médicaux: the report module decides what goes on the pages.
Reproducibility: the creation date is given by the caller (derived from the data, never the clock), and
fpdf2 derives the file identifier from the content, so the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode
from fpdf.fonts import FontFace, TextStyle

from am_analytics.figures.formatting import french_spaces
from am_analytics.figures.style import PRINT_WIDTH_CM
from am_analytics.presentation.keyfigures import KeyFigure
from am_analytics.report.svg import svg_height_mm, svg_width_mm
from am_analytics.vocabulary import SYNTHETIC_MENTION

FONT = "DejaVu Sans"  # the family name matplotlib writes in SVG text, so embedded charts find it
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"

# Colours (RGB): sober greys and one accent; the synthetic mention is in a warm red so nobody misses it.
INK = (33, 33, 33)
MUTED = (110, 110, 110)
ACCENT = (0, 90, 140)
WARNING = (190, 40, 30)
RULE = (200, 200, 200)
HEADER_FILL = (232, 238, 244)


class ReportDocument(FPDF):
    """An A4 portrait report with French conventions."""

    def __init__(self, *, title: str, subtitle: str, synthetic: bool, creation_date: datetime):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_title = title
        self.report_subtitle = subtitle
        self.synthetic = synthetic
        self.set_creation_date(creation_date)
        self.set_title(title)
        self.set_subject(subtitle)
        self.set_author("am_analytics")
        self.set_creator("am_analytics")
        self.set_lang("fr-FR")
        for style, file in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"), ("I", "DejaVuSans-Oblique.ttf")):
            self.add_font(FONT, style=style, fname=str(_FONT_DIR / file))
        side = (PORTRAIT_WIDTH - PRINT_WIDTH_CM * 10) / 2  # the frame charts are drawn for (18 mm)
        self.set_margins(side, 20, side)
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages("{nb}")
        self.set_section_title_styles(
            TextStyle(font_family=FONT, font_style="B", font_size_pt=15, color=ACCENT, t_margin=2, b_margin=3),
            TextStyle(font_family=FONT, font_style="B", font_size_pt=11.5, color=INK, t_margin=3, b_margin=2),
        )
        self._in_cover = False
        self.tables_laid_out: list[TableLayout] = []

    # --- running header and footer ---------------------------------------------------------------

    def header(self) -> None:
        if self._in_cover:
            return
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.set_xy(self.l_margin, 9)
        left = f"{self.report_title} — {self.report_subtitle}"
        # leave room for the synthetic mention on the right: a long region name drops the report's title
        room = self.epw - (self.get_string_width(SYNTHETIC_MENTION) * 1.1 + 6 if self.synthetic else 0)
        if self.get_string_width(left) > room:
            left = self.report_subtitle
        self.cell(0, 4, left, align=Align.L)
        if self.synthetic:
            self.set_text_color(*WARNING)
            self.set_font(FONT, "B", 7.5)
            self.set_xy(self.l_margin, 9)
            self.cell(0, 4, SYNTHETIC_MENTION, align=Align.R)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, 14, self.w - self.r_margin, 14)
        self.set_text_color(*INK)
        self.set_y(20)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        if self.synthetic:
            self.set_text_color(*WARNING)
            self.cell(0, 4, f"{SYNTHETIC_MENTION} — ne pas utiliser comme données réelles", align=Align.L)
            self.set_x(self.l_margin)
            self.set_text_color(*MUTED)
        self.cell(0, 4, f"page {self.page_no()} / {{nb}}", align=Align.R)
        self.set_text_color(*INK)

    # --- building blocks -----------------------------------------------------------------------------

    def cover(self, key_figures: Sequence[KeyFigure]) -> None:
        """First page: title, scope and date, the synthetic warning and four key figures in a row; the caller then
        lays out the headline figure on the same page."""
        self._in_cover = True
        self.add_page()
        self.set_y(22)
        self.set_font(FONT, "B", 22)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 10, self.report_title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 13)
        self.set_text_color(*INK)
        self.multi_cell(0, 7, french_spaces(self.report_subtitle), new_x="LMARGIN", new_y="NEXT")
        if self.synthetic:
            self.ln(2)
            self.set_font(FONT, "B", 9.5)
            self.set_text_color(*WARNING)
            self.multi_cell(
                0,
                5,
                f"{SYNTHETIC_MENTION} : ce rapport est construit sur des données générées par le logiciel, "
                "calibrées sur les chiffres nationaux publiés. Ses chiffres ne sont pas des chiffres réels.",
                new_x="LMARGIN",
                new_y="NEXT",
                align=Align.L,
            )
            self.set_text_color(*INK)
        self.ln(5)
        self._key_figure_grid(key_figures, columns=max(len(key_figures), 1))
        self._in_cover = False

    def _key_figure_grid(self, key_figures: Sequence[KeyFigure], columns: int = 2) -> None:
        gap = 4
        width = (self.epw - gap * (columns - 1)) / columns
        height = 38
        for index, figure in enumerate(key_figures):
            column = index % columns
            if column == 0 and index:
                self.set_y(self.get_y() + height + gap)
            x = self.l_margin + column * (width + gap)
            y = self.get_y()
            self.set_fill_color(*HEADER_FILL)
            self.rect(x, y, width, height, style="F")
            self.set_xy(x + 3, y + 2.5)
            self.set_font(FONT, "", 8.5)
            self.set_text_color(*MUTED)
            self.multi_cell(width - 6, 3.8, french_spaces(figure.label), max_line_height=3.8, align=Align.L)
            self.set_xy(x + 3, y + 13)
            self.set_font(FONT, "B", 16)
            self.set_text_color(*ACCENT)
            self.cell(width - 6, 8, figure.value)
            self.set_xy(x + 3, y + 22)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*MUTED)
            self.multi_cell(width - 6, 3.4, french_spaces(figure.detail), max_line_height=3.4, align=Align.L)
            self.set_text_color(*INK)
            self.set_xy(self.l_margin, y)
        if key_figures:
            self.set_y(self.get_y() + height + gap)

    def key_messages(self, messages: Sequence[tuple[str, str]]) -> None:
        """« L'essentiel »: numbered messages, each followed by the indicator behind it."""
        for number, (text, indicator) in enumerate(messages, start=1):
            self._portrait()
            y = self.get_y()
            self.set_font(FONT, "B", 12)
            self.set_text_color(*ACCENT)
            self.set_xy(self.l_margin, y)
            self.cell(8, 6, str(number))
            self.set_xy(self.l_margin + 8, y)
            self.set_font(FONT, "", 10)
            self.set_text_color(*INK)
            self.multi_cell(self.epw - 8, 5.2, french_spaces(text), new_x="LMARGIN", new_y="NEXT", align=Align.L)
            self.set_x(self.l_margin + 8)
            self.set_font(FONT, "I", 7.5)
            self.set_text_color(*MUTED)
            self.multi_cell(self.epw - 8, 3.8, french_spaces(f"Indicateur : {indicator}"), new_x="LMARGIN",
                            new_y="NEXT", align=Align.L)
            self.set_text_color(*INK)
            self.ln(3)

    def table_of_contents(self) -> None:
        """Reserve a page for the table of contents, filled in once every section is known."""
        self.add_page()
        self.insert_toc_placeholder(_render_toc, pages=1)

    def _portrait(self) -> None:
        """Back to a portrait page after a landscape table: what follows is laid out for portrait."""
        if self.cur_orientation == "L":
            self.add_page(orientation="P")

    def section(self, title: str, level: int = 0, *, new_page: bool = False) -> None:
        self._portrait()
        page_is_blank = self.get_y() <= self.t_margin + 0.5
        if new_page and not page_is_blank:
            self.add_page()
        elif self.get_y() > self.h - 60:
            self.add_page()
        self.start_section(title, level=level)
        self.ln(1.5)

    def paragraph(self, text: str, *, size: float = 9.5, style: str = "", color=INK) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, french_spaces(text), new_x="LMARGIN", new_y="NEXT", align=Align.L)
        self.set_text_color(*INK)
        self.ln(1.5)

    def note(self, text: str) -> None:
        self.paragraph(text, size=7.5, style="I", color=MUTED)

    # --- tables ------------------------------------------------------------------------------------

    def column_widths(self, header: Sequence[str], rows: Sequence[Sequence[str]], font_size: float,
                      available: float, bold_rows: Sequence[int] = ()) -> tuple[list[float], list[float]]:
        """Widths (mm) for a table's columns so that no header word, name or number is broken: each column
        is at least as wide as its longest unbreakable run of text, the rest of the room going to the columns
        whose text would otherwise wrap. Returns the widths and those minimums (the widths fall short of
        the minimums only when the table cannot fit `available`)."""
        minimum, natural = [], []
        for index, title in enumerate(header):
            self.set_font(FONT, "B", font_size)
            words = [self.get_string_width(word) for word in _breakable(title)]
            full = [self.get_string_width(title)]
            for number, row in enumerate(rows):
                self.set_font(FONT, "B" if number in bold_rows else "", font_size)
                words += [self.get_string_width(word) for word in _breakable(row[index])]
                full.append(self.get_string_width(row[index]))
            minimum.append(max(words, default=0.0) + 2 * CELL_PADDING + 0.6)
            # a header may wrap on two or three lines; a cell should not
            natural.append(max(max(full[1:], default=0.0), full[0] / 2.2, 0.0) + 2 * CELL_PADDING + 0.6)
        natural = [max(low, high) for low, high in zip(minimum, natural, strict=True)]
        if sum(natural) <= available:
            spare = available - sum(natural)
            total = sum(natural)
            return [width + spare * width / total for width in natural], minimum
        if sum(minimum) <= available:
            spare = available - sum(minimum)
            wants = [high - low for low, high in zip(minimum, natural, strict=True)]
            total = sum(wants) or 1.0
            return [low + spare * want / total for low, want in zip(minimum, wants, strict=True)], minimum
        return minimum, minimum

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        right_aligned: Sequence[int] = (),
        font_size: float = 8,
        title: str | None = None,
        emphasised: Sequence[int] = (),
        keep_with: float = 0.0,
    ) -> TableLayout:
        """A table of already-formatted text; numbers right-aligned; headers repeated on each new page.

        Column widths come from the text (`column_widths`): a table too wide for a portrait page goes on a
        landscape page of its own, with its `title` as a section heading; the same failing, the font shrinks
        down to 7 pt. Rows in `emphasised` (a region's total, France) are set in bold. Returns the layout
        used, which tests check."""
        header = [french_spaces(str(text)) for text in header]
        rows = [[french_spaces(str(value)) for value in values] for values in rows]
        # measured for a portrait page whatever the current one: a landscape page only for a table that needs it
        room = PORTRAIT_WIDTH - self.l_margin - self.r_margin - 0.05  # fpdf2 refuses a table a hair too wide
        widths, minimum = self.column_widths(header, rows, font_size, room, emphasised)
        landscape = sum(minimum) > room
        if landscape:
            self.add_page(orientation="L")
            room = self.epw - 0.05
            widths, minimum = self.column_widths(header, rows, font_size, room, emphasised)
            while sum(minimum) > room and font_size > 7:
                font_size = max(7.0, font_size - 0.5)
                widths, minimum = self.column_widths(header, rows, font_size, room, emphasised)
        else:
            self._portrait()
            # a table that fits a page starts a page rather than ends one with the `keep_with` mm of notes under
            # it: a page never opens with the previous table's notes
            height = self._table_height(header, rows, widths, font_size) + 12 + keep_with
            if height < self.page_break_trigger - self.t_margin:
                self.keep_room(height)
        if title is not None:
            self.section(title, level=1) if not landscape else self._landscape_heading(title)
        self.set_font(FONT, "", font_size)
        align = ["RIGHT" if i in set(right_aligned) else "LEFT" for i in range(len(header))]
        bold = FontFace(family=FONT, emphasis="BOLD", size_pt=font_size)
        with super().table(
            col_widths=tuple(widths),
            text_align=tuple(align),
            headings_style=FontFace(family=FONT, emphasis="BOLD", size_pt=font_size, fill_color=HEADER_FILL),
            line_height=font_size * 0.55,
            padding=(0.8, CELL_PADDING),
            repeat_headings=1,
            cell_fill_color=(247, 247, 247),
            cell_fill_mode=TableCellFillMode.ROWS,
            borders_layout="HORIZONTAL_LINES",
            width=min(sum(widths), room),
            align="LEFT",
        ) as table:
            table.row(list(header))
            for number, values in enumerate(rows):
                table.row(list(values), style=bold if number in set(emphasised) else None)
        self.ln(2)
        layout = TableLayout(title or "", list(header), widths, minimum, font_size, landscape)
        self.tables_laid_out.append(layout)
        return layout

    def _table_height(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
                      font_size: float) -> float:
        """The height (mm) a table's header and rows take at these column widths, each row as tall as its most
        wrapped cell (estimated from the text's width)."""
        def lines(cells: Sequence[str], style: str) -> int:
            self.set_font(FONT, style, font_size)
            return max((math.ceil(self.get_string_width(text) / max(width - 2 * CELL_PADDING, 1.0)) or 1
                        for text, width in zip(cells, widths, strict=True)), default=1)

        line = font_size * 0.55
        return sum(lines(cells, "") * line + 1.6 for cells in rows) + lines(header, "B") * line + 1.6

    def _landscape_heading(self, title: str) -> None:
        self.start_section(title, level=1)
        self.ln(1.5)

    # --- figures -----------------------------------------------------------------------------------

    def figure(self, svg: bytes, *, alt_text: str, width: float | None = None) -> float:
        """Embed a chart as vector graphics (on a new page if it does not fit), with its alternative text (title
        and values) for screen readers. Returns the printed width in mm.

        A chart prints at the width it was drawn at, so 1 pt of its text is 1 pt on paper: charts are drawn at
        the frame's width (`style.PRINT_WIDTH_CM`); one drawn wider is shrunk to the frame, never enlarged."""
        self._portrait()
        width = min(width or svg_width_mm(svg), self.epw)
        self.image(io.BytesIO(svg), w=width, x=self.l_margin, alt_text=alt_text)
        self.ln(2)
        return width

    def figure_block(self, heading: str, svg: bytes, *, alt_text: str, lines: Sequence[str]) -> float:
        """A numbered figure as statistical series print it: its heading (« Figure 3 – the finding »), the chart, then
        its « Lecture », « Champ » and « Source » lines, kept together on one page. Returns the printed width."""
        self._portrait()
        width = min(svg_width_mm(svg), self.epw)
        if self.get_y() + self.figure_block_height(heading, svg, lines) > self.page_break_trigger:
            self.add_page()
        self.set_font(FONT, "B", 10.5)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 5.2, french_spaces(heading), new_x="LMARGIN", new_y="NEXT", align=Align.L)
        self.set_text_color(*INK)
        self.ln(1)
        self.image(io.BytesIO(svg), w=width, x=self.l_margin, alt_text=alt_text)
        self.ln(1)
        for line in lines:
            label, _, text = line.partition(" : ")
            self.set_font(FONT, "B", 7.5)
            self.set_text_color(*MUTED)
            self.write(3.8, french_spaces(f"{label} : "))
            self.set_font(FONT, "", 7.5)
            self.multi_cell(0, 3.8, french_spaces(text), new_x="LMARGIN", new_y="NEXT", align=Align.L)
        self.set_text_color(*INK)
        self.ln(4)
        return width

    def figure_block_height(self, heading: str, svg: bytes, lines: Sequence[str]) -> float:
        """The height (mm) a numbered figure takes: heading, chart at its printed width, and its lines."""
        width = min(svg_width_mm(svg), self.epw)
        return (self.text_height(heading, 10.5, 5.2, style="B") + 2 + svg_height_mm(svg) * width / svg_width_mm(svg)
                + sum(self.text_height(line, 7.5, 3.8) for line in lines) + 4)

    def text_height(self, text: str, size: float, line_height: float | None = None, *, style: str = "") -> float:
        """The height (mm) a paragraph of `text` takes over the page's width."""
        self.set_font(FONT, style, size)
        lines = self.multi_cell(0, line_height or size * 0.5, french_spaces(text), dry_run=True, output="LINES")
        return len(lines) * (line_height or size * 0.5)

    def keep_room(self, height: float) -> None:
        """Start a new page unless `height` mm fit below on this one (a heading kept with what follows it)."""
        self._portrait()
        if self.get_y() > self.t_margin + 0.5 and self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def boxed(self, title: str, paragraphs: Sequence[str]) -> None:
        """A framed box (the methods, the definitions): a title and short paragraphs, on a tinted ground."""
        self._portrait()
        self.set_font(FONT, "", 8)
        lines = sum(len(self.multi_cell(self.epw - 8, 4, french_spaces(text), dry_run=True, output="LINES"))
                    for text in paragraphs)
        height = 10 + 4 * lines + 2 * len(paragraphs)
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        top = self.get_y()
        self.set_fill_color(*HEADER_FILL)
        self.rect(self.l_margin, top, self.epw, height, style="F")
        self.set_xy(self.l_margin + 4, top + 3)
        self.set_font(FONT, "B", 10)
        self.set_text_color(*ACCENT)
        self.cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.set_font(FONT, "", 8)
        for text in paragraphs:
            self.set_x(self.l_margin + 4)
            self.multi_cell(self.epw - 8, 4, french_spaces(text), new_x="LMARGIN", new_y="NEXT", align=Align.L)
            self.ln(2)
        self.set_y(top + height + 4)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


PORTRAIT_WIDTH = 210.0  # mm, A4
CELL_PADDING = 1.0  # mm, left and right of every table cell
_BREAK = re.compile(r"[ \n\t]+")


def _breakable(text: str) -> list[str]:
    """The runs of a cell's text that a line may not break (fpdf2 breaks at ordinary spaces only)."""
    return [word for word in _BREAK.split(text) if word]


@dataclass(frozen=True)
class TableLayout:
    """How a table was laid out: its column widths and the least each column needed (mm), its font size
    and whether it took a landscape page."""

    title: str
    header: list[str]
    widths: list[float]
    minimum: list[float]
    font_size: float
    landscape: bool

    @property
    def breaks_words(self) -> bool:
        return any(width + 0.01 < low for width, low in zip(self.widths, self.minimum, strict=True))


TOC_COLLAPSED = ("Sources et méthode",)


def _render_toc(pdf: ReportDocument, outline) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font(FONT, "B", 15)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 10, "Sommaire", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_text_color(*INK)
    parent = ""
    for section in outline:
        if section.level == 0:
            parent = section.name
        elif parent in TOC_COLLAPSED:  # the method's sub-headings would take a page of their own
            continue
        indent = 6 * section.level
        pdf.set_font(FONT, "B" if section.level == 0 else "", 10 if section.level == 0 else 9)
        link = pdf.add_link(page=section.page_number)
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(pdf.epw - indent - 12, 6.5 if section.level == 0 else 5.5, section.name, link=link)
        pdf.cell(12, 6.5 if section.level == 0 else 5.5, str(section.page_number), align=Align.R, link=link)
        pdf.ln()
