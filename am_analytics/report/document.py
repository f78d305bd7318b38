"""The PDF document: A4 pages in French with the DejaVu font shipped inside matplotlib, a running header,
a footer with page numbers and the synthetic-data mention, a table of contents, tables that paginate with
repeated headers, and charts embedded as vector graphics (SVG).

Nothing here knows about assistants médicaux: the report module decides what goes on the pages.
Reproducibility: the creation date is given by the caller (derived from the data, never the clock), and
fpdf2 derives the file identifier from the content, so the same inputs give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode
from fpdf.fonts import FontFace, TextStyle

FONT = "DejaVu Sans"  # the family name matplotlib writes in SVG text, so embedded charts find it
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
SYNTHETIC_MENTION = "Données de démonstration synthétiques"

# Colours (RGB): sober greys and one accent; the synthetic mention is in a warm red so nobody misses it.
INK = (33, 33, 33)
MUTED = (110, 110, 110)
ACCENT = (0, 90, 140)
WARNING = (190, 40, 30)
RULE = (200, 200, 200)
HEADER_FILL = (232, 238, 244)


@dataclass(frozen=True)
class KeyFigure:
    """One figure of the cover: its label, the formatted value and a short note (source, target...)."""

    label: str
    value: str
    note: str = ""


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
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages("{nb}")
        self.set_section_title_styles(
            TextStyle(font_family=FONT, font_style="B", font_size_pt=15, color=ACCENT, t_margin=2, b_margin=3),
            TextStyle(font_family=FONT, font_style="B", font_size_pt=11.5, color=INK, t_margin=3, b_margin=2),
        )
        self._in_cover = False

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

    def cover(self, key_figures: Sequence[KeyFigure], lines: Sequence[str] = ()) -> None:
        """First page: title, subtitle, the key figures as large numbers, and a few lines of context."""
        self._in_cover = True
        self.add_page()
        self.set_y(30)
        self.set_font(FONT, "B", 22)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 10, self.report_title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 13)
        self.set_text_color(*INK)
        self.multi_cell(0, 7, self.report_subtitle, new_x="LMARGIN", new_y="NEXT")
        if self.synthetic:
            self.ln(3)
            self.set_font(FONT, "B", 11)
            self.set_text_color(*WARNING)
            self.multi_cell(
                0,
                6,
                f"{SYNTHETIC_MENTION} : ce rapport est construit sur des données générées par le logiciel, "
                "calibrées sur les chiffres nationaux publiés. Ses chiffres ne sont pas des chiffres réels.",
                new_x="LMARGIN",
                new_y="NEXT",
                align=Align.L,
            )
            self.set_text_color(*INK)
        self.ln(6)
        self._key_figure_grid(key_figures)
        self.ln(4)
        self.set_font(FONT, "", 9)
        for line in lines:
            self.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT", align=Align.L)
        self._in_cover = False

    def _key_figure_grid(self, key_figures: Sequence[KeyFigure], columns: int = 3) -> None:
        width = (self.epw - 5 * (columns - 1)) / columns
        height = 25
        for index, figure in enumerate(key_figures):
            column = index % columns
            if column == 0 and index:
                self.set_y(self.get_y() + height + 4)
            x = self.l_margin + column * (width + 5)
            y = self.get_y()
            self.set_fill_color(*HEADER_FILL)
            self.rect(x, y, width, height, style="F")
            self.set_xy(x + 2.5, y + 2)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*MUTED)
            self.multi_cell(width - 5, 3.3, figure.label, max_line_height=3.3, align=Align.L)
            self.set_xy(x + 2.5, y + 9)
            self.set_font(FONT, "B", 15)
            self.set_text_color(*ACCENT)
            self.cell(width - 5, 7, figure.value)
            self.set_xy(x + 2.5, y + 17)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*MUTED)
            self.set_font(FONT, "", 6.5)
            self.multi_cell(width - 5, 3, figure.note, max_line_height=3, align=Align.L)
            self.set_text_color(*INK)
            self.set_xy(self.l_margin, y)
        if key_figures:
            self.set_y(self.get_y() + height + 4)

    def table_of_contents(self) -> None:
        """Reserve a page for the table of contents, filled in once every section is known."""
        self.add_page()
        self.insert_toc_placeholder(_render_toc, pages=1)

    def section(self, title: str, level: int = 0, *, new_page: bool = False) -> None:
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
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align=Align.L)
        self.set_text_color(*INK)
        self.ln(1.5)

    def note(self, text: str) -> None:
        self.paragraph(text, size=7.5, style="I", color=MUTED)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        right_aligned: Sequence[int] = (),
        widths: Sequence[float] | None = None,
        font_size: float = 8,
    ) -> None:
        """A table of already-formatted text; numbers right-aligned; headers repeated on each new page."""
        self.set_font(FONT, "", font_size)
        align = ["RIGHT" if i in set(right_aligned) else "LEFT" for i in range(len(header))]
        with super().table(
            col_widths=tuple(widths) if widths else None,
            text_align=tuple(align),
            headings_style=FontFace(family=FONT, emphasis="BOLD", size_pt=font_size, fill_color=HEADER_FILL),
            line_height=font_size * 0.55,
            repeat_headings=1,
            cell_fill_color=(247, 247, 247),
            cell_fill_mode=TableCellFillMode.ROWS,
            borders_layout="HORIZONTAL_LINES",
            width=self.epw,
        ) as table:
            table.row(list(header))
            for values in rows:
                table.row([str(value) for value in values])
        self.ln(2)

    def figure(self, svg: bytes, *, width: float | None = None) -> None:
        """Embed a chart as vector graphics, on a new page if it does not fit."""
        width = width or self.epw
        self.image(io.BytesIO(svg), w=width, x=self.l_margin)
        self.ln(2)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def _render_toc(pdf: ReportDocument, outline) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font(FONT, "B", 15)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 10, "Sommaire", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_text_color(*INK)
    for section in outline:
        indent = 6 * section.level
        pdf.set_font(FONT, "B" if section.level == 0 else "", 10 if section.level == 0 else 9)
        link = pdf.add_link(page=section.page_number)
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(pdf.epw - indent - 12, 6.5 if section.level == 0 else 5.5, section.name, link=link)
        pdf.cell(12, 6.5 if section.level == 0 else 5.5, str(section.page_number), align=Align.R, link=link)
        pdf.ln()
