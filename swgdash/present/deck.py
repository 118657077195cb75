"""The briefing pack: the slides as a PowerPoint deck and as a PDF.

Charts are drawn by Plotly in the system Chromium (swgdash.present.chromium: one for the
process), with the same template as in the app; tables become real PowerPoint
tables; the headline is the slide title; the data version and as-of date are in
the footer; the speaker notes explain each chart. The PDF is the same slides,
printed by the same Chromium.
"""
from __future__ import annotations

import base64
import html
import io
import os
import re
import shutil
from pathlib import Path

import plotly.io as pio
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from swgdash import i18n, settings
from swgdash.errors import UserError
from swgdash.i18n import _
from swgdash.present import fitting, slides
from swgdash.present.slides import Slide, text_lines

# The bundled fonts (static/fonts/) for everything Chromium draws here: a fresh machine renders
# Lao without installing a font. FONT_FAMILY is the deck's text and charts.
FONTS_CONF = Path(__file__).with_name("fonts.conf")
FONTS_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT_FAMILY = "Noto Sans, Noto Sans Lao, sans-serif"
LAO_FONT = "Noto Sans Lao"  # the complex-script font of every PowerPoint run


def chromium_env() -> dict:
    """The environment Chromium runs in: fontconfig reads the bundled fonts first."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}



def chromium() -> str:
    """The Chromium that draws charts and PDFs (the SWGDASH_CHROMIUM setting, read when used)."""
    return settings.get("SWGDASH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


WIDTH_IN, HEIGHT_IN = 13.333, 7.5
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x52, 0x60, 0x6D)
BLUE = RGBColor(0x00, 0x72, 0xB2)


class DeckError(UserError):
    """The deck could not be built; the text is for the user."""


def chart_top(s: Slide) -> float:
    """Where a slide's chart or table starts, inches from the top (the bilingual title takes more)."""
    return 1.95 if s.second_headline else 1.35


FOOT_IN = 6.95  # the footer's top: a chart or table ends above it
SCALE = 3  # chart pixels per point: sharp when projected


def chart_room(s: Slide) -> tuple[int, int]:
    """The chart's size on its slide, in points: the table's width, down to the footer."""
    return round(slides.TABLE_WIDTH_IN * 72), round((FOOT_IN - chart_top(s)) * 72)


def chart_pngs(slides_: list[Slide]) -> dict[int, bytes]:
    """Every chart as a PNG, drawn at the size it is placed in points (SCALE pixels a point: its
    letters are the sizes they say), by the process's one Chromium."""
    specs = {i: slide_figure(s.figure, *chart_room(s)) for i, s in enumerate(slides_) if s.figure is not None}
    if not specs:
        return {}
    try:
        pngs = browser().images([(pio.to_json(f), f.layout.width, f.layout.height) for f in specs.values()], SCALE)
    except DeckError:
        raise
    except Exception as exc:  # Playwright and Chromium (ChromiumError) fail in many ways; all mean "no charts"
        raise DeckError(_("the charts could not be drawn ({error})").format(error=f"{type(exc).__name__}: {exc}")) from None
    return dict(zip(specs, pngs, strict=True))


def warm() -> None:
    """Start the process's Chromium in the background, if there is one (see chromium.Chromium.warm)."""
    try:
        browser().warm()
    except DeckError:  # no Chromium: building the pack will say so
        pass


def browser():
    """The process's Chromium (swgdash.present.chromium), with the bundled fonts."""
    from swgdash.present import chromium as kept

    path = chromium()
    if not Path(path).exists():
        raise DeckError(_("Chromium is needed to draw the charts and was not found at {path}").format(path=path))
    return kept.shared(path, chromium_env())


CHART_FONT_PT = 15  # a slide chart's words; its tick labels slides.TICK_PT; nothing under MIN_PT
MIN_PT = 12


def slide_figure(figure, width_pt: int = 886, height_pt: int = 403, tick: int = slides.TICK_PT,
                 smallest: int = MIN_PT):
    """A slide's chart as the deck draws it: a copy, without its title (the headline says it), laid
    out in points at the size it is placed (`width_pt` x `height_pt`), its row labels wrapped as
    slides.chart_rows_that_fit counted them, no text under `smallest` points (/present lays it out
    in pixels the same way, with its own sizes)."""
    import plotly.graph_objects as go

    fig = go.Figure(figure)
    fig.update_layout(height=height_pt, width=width_pt, font_size=CHART_FONT_PT, title_text="", margin=dict(t=46),
                      font_family=FONT_FAMILY,
                      # the legend on one row along the chart's top, from its left edge (names wide on the
                      # left leave the plot narrow: a legend over the plot took four rows)
                      legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container", y=1,
                                  yanchor="top", traceorder="normal"))
    if fig.layout.yaxis.categoryarray is not None or any(t.orientation == "h" for t in fig.data if t.type == "bar"):
        fig.layout.yaxis.title.text = None  # a row per item: the headline says what they are; the room goes to names
    fig.update_xaxes(tickfont_size=tick)
    for note in fig.layout.annotations:
        if note.font.size is not None and note.font.size < smallest:
            note.font.size = smallest
        if note.yref == "paper" and note.y == 0 and note.yanchor == "bottom" and note.xref in (None, "x") \
                and _clear_of_legend(fig, note, width_pt):
            # a line's name at its foot (a threshold's): above the plot, where no bar runs under it
            note.update(y=1, yshift=2 + (note.yshift or 4) - 4, bgcolor=None)
    if fig.layout.xaxis.title.text:  # wrapped again for the slide's width
        fig.layout.xaxis.title.text = fitting.unwrapped(fig.layout.xaxis.title.text)
    given = fig.to_plotly_json()
    # the row labels' lines all fit the plot's height: wider, then a point smaller, if need be
    wide = (slides.LABEL_PT, round(0.62 * width_pt), round(0.7 * width_pt), round(0.78 * width_pt))
    for labels_pt, size in [(w, tick) for w in wide] + [(wide[-1], min(tick, smallest))]:
        fig = go.Figure(given)
        fig.update_yaxes(tickfont_size=size)
        fitting.rewrap_rows(fig, labels_pt, size)
        fitting.fit_margins(fig)  # room for the larger labels
        if rows_fit(fig, height_pt):
            break
    if not rows_fit(fig, height_pt):
        _ids_only(fig)  # names too long for the rows even on the widest side: their ids ("REC-07")
    fitting.room_for_notes(fig, width_pt)
    x = fig.layout.xaxis  # a tick every unit on a plot the wider names left narrow: as many as have room
    plot = width_pt - (fig.layout.margin.l or 0) - (fig.layout.margin.r or 0)
    if isinstance(x.dtick, (int, float)) and x.range and all(isinstance(v, (int, float)) for v in x.range) \
            and plot / max(1.0, (x.range[1] - x.range[0]) / x.dtick) < 3 * tick:
        x.update(dtick=None, nticks=max(3, int(plot // (4 * tick))))
    fig.layout.height = height_pt  # (the rows were counted to fit: fit_margins may ask for more)
    return fig


_ID = re.compile(r"^([A-Za-z0-9_.-]{1,24}):\s")


def _ids_only(fig) -> None:
    """Row labels written "ID: name" (a recommendation's) shortened to their ids, in every trace,
    the category list and the notes on a row; labels of another form are left as they are."""
    def short(v):
        m = _ID.match(fitting.unwrapped(v)) if isinstance(v, str) else None
        return m.group(1) if m else v

    lay = fig.layout
    for trace in fig.data:
        ys = fitting._array(getattr(trace, "y", None))
        if ys is not None and len(ys) and all(isinstance(v, str) for v in ys):
            trace.y = [short(v) for v in ys]
    if lay.yaxis.categoryarray is not None and len(lay.yaxis.categoryarray):
        lay.yaxis.categoryarray = [short(v) for v in lay.yaxis.categoryarray]
    for note in lay.annotations:
        if isinstance(note.y, str):
            note.y = short(note.y)
    lay.margin.l = fitting.TEMPLATE_MARGIN.get("l", 10)  # (worked out again for the short labels)
    fitting.fit_margins(fig)


def _clear_of_legend(fig, note, width_pt: float) -> bool:
    """Whether a note moved above the plot would stay clear of the slide's legend (one row from the
    chart's top left corner): by where its line stands, against the legend's estimated width."""
    lay = fig.layout
    x_range = lay.xaxis.range
    if not x_range or not isinstance(note.x, (int, float)) or x_range[1] <= x_range[0]:
        return False
    shown = [t.name for t in fig.data if t.name and t.showlegend is not False]
    if len(shown) < 2 and lay.showlegend is not True:
        return True  # (Plotly draws no legend for one trace)
    legend = sum(fitting.text_px(fitting.unwrapped(n), CHART_FONT_PT) + 45 for n in shown)
    left = width_pt * 0.3  # (where the plot starts, at the least, on a slide chart with names beside its rows)
    return left + (note.x - x_range[0]) / (x_range[1] - x_range[0]) * (width_pt - left) > legend + 12


def rows_fit(fig, height_pt: float) -> bool:
    """Whether the lines of the y axis's category labels fit the plot of a chart `height_pt` tall."""
    lay = fig.layout
    cats = list(lay.yaxis.categoryarray) if lay.yaxis.categoryarray is not None and len(lay.yaxis.categoryarray) else \
        list(dict.fromkeys(v for t in fig.data if t.orientation == "h" for v in (fitting._array(t.y) or ())))
    if not cats:
        return True
    size = lay.yaxis.tickfont.size or lay.font.size or fitting.FONT_SIZE
    # the rows share the plot equally: each as tall as the tallest label needs
    tallest = max(len(fitting._lines(c)) * size * (1.6 if i18n.has_lao(str(c)) else 1.3) + 6 for c in cats)
    return len(cats) * tallest <= height_pt - (lay.margin.t or 0) - (lay.margin.b or 0)


WIDE = slides.TABLE_WIDTH_IN  # a slide's headline, chart and table: inches wide


def slide_headline_size(s: Slide) -> int:
    """The size of a slide's headline in its box above the chart (under it, in the bilingual deck,
    the English headline at 16 pt)."""
    second = text_lines(s.second_headline, 16, WIDE) * 16 * 1.3 / 72 if s.second_headline else 0
    return headline_size(s.headline, WIDE, chart_top(s) - 0.3 - second)


def headline_size(text: str, width_in: float, height_in: float, sizes=(28, 26, 24, 22, 20, 18)) -> int:
    """The largest size at which the headline fits its box (Lao lines stand taller)."""
    leading = 1.6 if i18n.has_lao(text) else 1.25
    for size in sizes:
        if text_lines(text, size, width_in) * size * leading <= height_in * 72:
            return size
    return sizes[-1]


def _text(slide, left, top, width, height, text, size, bold=False, color=INK, align=None):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    tf = box.text_frame
    tf.word_wrap = True
    para = tf.paragraphs[0]
    para.text = i18n.break_opportunities(text)
    para.font.size = Pt(size)
    para.font.bold = bold
    para.font.color.rgb = color
    if align is not None:
        para.alignment = align
    return box


def _style(frame, size: int, bold: bool, color) -> None:
    from pptx.enum.text import PP_ALIGN

    frame.word_wrap = True
    for para in frame.paragraphs:
        para.alignment = PP_ALIGN.LEFT
        for run in para.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color


FOOTER_PT = 12


def table_widths(s: Slide) -> list[float]:
    """A slide table's column widths (any unit: shares of the table): as the slide says, else as
    wide as each column's text asks."""
    assert s.table is not None
    if s.widths is not None and len(s.widths) == len(s.table.columns):
        return list(s.widths)
    longest = [max([i18n.visual_len(str(col))] + [i18n.visual_len(str(v)) for v in s.table[col]])
               for col in s.table.columns]
    return [min(max(n, 6), 60) for n in longest]


def pptx_bytes(slides_: list[Slide], footer: str, images: dict[int, bytes] | None = None) -> bytes:
    from pptx.enum.text import PP_ALIGN

    images = chart_pngs(slides_) if images is None else images
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
    for i, s in enumerate(slides_):
        # real title placeholders: the headline is each slide's title (outline view, screen readers)
        slide = prs.slides.add_slide(prs.slide_layouts[0 if s.key == "title" else 5])
        title = slide.shapes.title
        title.text = i18n.break_opportunities(s.headline)
        if s.key == "title":
            title.left, title.top, title.width, title.height = Inches(0.8), Inches(2.0), Inches(11.7), Inches(1.8)
            sub = slide.placeholders[1]
            sub.text = i18n.break_opportunities(s.subtitle)
            sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.9), Inches(11.7), Inches(1.0)
            _style(sub.text_frame, 20, False, MUTED)
            _style(title.text_frame, 40, True, INK)
        else:
            title.left, title.top, title.width, title.height = Inches(0.5), Inches(0.25), Inches(WIDE), Inches(1.05)
        top = chart_top(s)
        if s.key != "title":
            title.height = Inches(top - 0.3)
            _style(title.text_frame, slide_headline_size(s), True, INK)
        if s.second_headline:  # the bilingual deck: the English headline under the Lao one
            para = title.text_frame.add_paragraph()
            para.text = s.second_headline
            para.font.size, para.font.bold, para.font.color.rgb = Pt(16 if s.key != "title" else 24), False, MUTED
        if i in images:
            w, h = chart_room(s)  # at the size it was drawn for: its letters true to size
            slide.shapes.add_picture(io.BytesIO(images[i]), Inches(0.5), Inches(top), width=Pt(w), height=Pt(h))
        if s.kpis:
            cols = 3
            for k, (label, value) in enumerate(s.kpis):
                x, y = 0.8 + (k % cols) * 4.0, top + 0.45 + (k // cols) * 2.3
                box = slide.shapes.add_shape(1, Inches(x), Inches(y), Inches(3.6), Inches(1.9))
                box.fill.solid()
                box.fill.fore_color.rgb = RGBColor(0xF4, 0xF8, 0xFB)
                box.line.color.rgb = BLUE
                _text(slide, x + 0.2, y + 0.15, 3.2, 0.6, label, 16, color=MUTED)
                _text(slide, x + 0.2, y + 0.7, 3.2, 1.0, value, 44, bold=True)
        if s.table is not None and not s.table.empty:
            rows, cols = len(s.table) + 1, len(s.table.columns)
            shape = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(top + 0.05), Inches(WIDE), Inches(0.4) * rows)
            table = shape.table
            weights = table_widths(s)
            for j, share in enumerate(weights):
                table.columns[j].width = Emu(int(Inches(WIDE) * share / sum(weights)))
            for j, col in enumerate(s.table.columns):
                table.cell(0, j).text = i18n.break_opportunities(str(col))
            for r, row in enumerate(s.table.itertuples(index=False), start=1):
                for j, value in enumerate(row):
                    table.cell(r, j).text = "" if value is None else i18n.break_opportunities(str(value))
            for r in range(rows):
                for j in range(cols):
                    for para in table.cell(r, j).text_frame.paragraphs:
                        para.font.size = Pt(slides.TABLE_SIZE)  # (as slides.rows_that_fit counted them)
        _text(slide, 0.5, 7.0, 10.0, 0.4, footer, FOOTER_PT, color=MUTED)
        _text(slide, 11.5, 7.0, 1.3, 0.4, f"{i + 1} / {len(slides_)}", FOOTER_PT, color=MUTED, align=PP_ALIGN.RIGHT)
        slide.notes_slide.notes_text_frame.text = s.notes
    for slide in prs.slides:
        complex_script_font(slide)
    prs.core_properties.title = pack_title(slides_)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


_RUN_FONT_ORDER = ("latin", "ea", "cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst")


def complex_script_font(slide) -> None:
    """Every run of the slide (and of its tables) writes Lao in the bundled Lao font: PowerPoint
    takes Lao text's font from the run's complex-script slot (<a:cs>); Lao runs are marked lo-LA."""
    from pptx.oxml.ns import qn

    for r in slide.shapes._spTree.iter(qn("a:r")):
        rpr = r.get_or_add_rPr()
        for old in rpr.findall(qn("a:cs")):
            rpr.remove(old)
        cs = rpr.makeelement(qn("a:cs"), {"typeface": LAO_FONT})
        after = [rpr.find(qn(f"a:{t}")) for t in _RUN_FONT_ORDER[3:]]
        after = [a for a in after if a is not None]
        if after:
            after[0].addprevious(cs)
        else:
            rpr.append(cs)
        text = r.findtext(qn("a:t")) or ""
        if i18n.has_lao(text):
            rpr.set("lang", "lo-LA")


def _font_faces() -> str:
    """@font-face rules for the bundled fonts (file addresses: the PDF is printed from a local file)."""
    rules = []
    for family, stem in (("SWG Noto Sans", "NotoSans"), ("SWG Noto Sans Lao", "NotoSansLao")):
        for weight, style in (("400", "Regular"), ("700", "Bold")):
            path = FONTS_DIR / f"{stem}-{style}.ttf"
            if path.exists():
                rules.append(f"@font-face {{ font-family: '{family}'; src: url('{path.as_uri()}'); "
                             f"font-weight: {weight}; }}")
    return "\n".join(rules)


def deck_html(slides_: list[Slide], footer: str, images: dict[int, bytes]) -> str:
    """The slides as one HTML page per slide (for printing to PDF), titled as the pack. All text escaped."""
    e = html.escape
    parts = [f"""<!doctype html><html lang="{i18n.current()}"><head><meta charset="utf-8"><title>{e(pack_title(slides_))}</title><style>
{_font_faces()}
@page {{ size: {WIDTH_IN}in {HEIGHT_IN}in; margin: 0 }}
body {{ margin: 0; font-family: 'SWG Noto Sans', 'SWG Noto Sans Lao', 'Noto Sans', 'Noto Sans Lao', sans-serif;
        color: #1f2933; line-break: normal; word-break: normal }}
h2 {{ font-size: 16pt; font-weight: normal; color: #52606d; margin: 0.04in 0 0 0; line-height: 1.3 }}
header {{ flex: none; overflow: hidden }}
.slide {{ width: {WIDTH_IN}in; height: {HEIGHT_IN}in; box-sizing: border-box; padding: 0.3in 0.5in 0.65in 0.5in;
         position: relative; page-break-after: always; overflow: hidden; display: flex; flex-direction: column }}
h1 {{ font-size: 26pt; margin: 0; line-height: 1.25 }} :lang(lo) h1 {{ line-height: 1.6 }}
.title h1 {{ font-size: 40pt; margin-top: 2.0in }} .sub {{ font-size: 20pt; color: #52606d }}
img {{ flex: none }}
table {{ border-collapse: collapse; width: {slides.TABLE_WIDTH_IN}in; font-size: {slides.TABLE_SIZE}pt; table-layout: fixed }}
th, td {{ border: 1px solid #cbd2d9; padding: 4pt 6pt; text-align: left; vertical-align: top; line-height: 1.3 }}
:lang(lo) td, :lang(lo) th {{ line-height: 1.6 }}
th {{ background: #0072b2; color: white }}
.kpis {{ display: grid; grid-template-columns: repeat(3, 3.6in); gap: 0.4in; margin-top: 0.4in }}
.kpi {{ border: 2px solid #0072b2; background: #f4f8fb; padding: 0.2in; height: 1.5in }}
.kpi .l {{ font-size: 16pt; color: #52606d }} .kpi .v {{ font-size: 44pt; font-weight: bold }}
.foot {{ position: absolute; bottom: 0.25in; left: 0.5in; right: 0.5in; font-size: {FOOTER_PT}pt; color: #52606d;
         display: flex; justify-content: space-between }}
</style></head><body>"""]
    for i, s in enumerate(slides_):
        body = ""
        second = f"<h2>{e(s.second_headline)}</h2>" if s.second_headline else ""
        if s.key == "title":
            body = f'<h1>{e(s.headline)}</h1>{second}<div class="sub">{e(s.subtitle)}</div>'
        else:  # the headline as in the deck: its size, in a box as tall, the chart or table below it
            top = chart_top(s)
            size = slide_headline_size(s)
            body = (f'<header style="height:{top - 0.3:.2f}in"><h1 style="font-size:{size}pt">{e(s.headline)}</h1>'
                    f"{second}</header>")
        if i in images:
            w, h = chart_room(s)
            body += (f'<img alt="{e(s.headline)}" style="width:{w}pt;height:{h}pt" '
                     f'src="data:image/png;base64,{base64.b64encode(images[i]).decode()}">')
        if s.kpis:
            body += '<div class="kpis">' + "".join(
                f'<div class="kpi"><div class="l">{e(a)}</div><div class="v">{e(b)}</div></div>' for a, b in s.kpis) + "</div>"
        if s.table is not None and not s.table.empty:
            widths = table_widths(s)
            body += "<table><colgroup>" + "".join(f'<col style="width:{100 * w / sum(widths):.2f}%">' for w in widths)
            body += "</colgroup><tr>" + "".join(f"<th>{e(str(c))}</th>" for c in s.table.columns) + "</tr>"
            for row in s.table.itertuples(index=False):
                body += "<tr>" + "".join(f"<td>{e('' if v is None else str(v))}</td>" for v in row) + "</tr>"
            body += "</table>"
        cls = "slide title" if s.key == "title" else "slide"
        parts.append(f'<section class="{cls}">{body}<div class="foot"><span>{e(footer)}</span>'
                     f"<span>{i + 1} / {len(slides_)}</span></div></section>")
    parts.append("</body></html>")
    return "".join(parts)


def pdf_bytes(slides_: list[Slide], footer: str, images: dict[int, bytes] | None = None) -> bytes:
    """The slides printed to PDF by the same Chromium that drew their charts."""
    images = chart_pngs(slides_) if images is None else images
    try:
        data = browser().pdf(deck_html(slides_, footer, images))
    except DeckError:
        raise
    except Exception as exc:
        raise DeckError(_("Chromium could not print the PDF ({error})").format(error=f"{type(exc).__name__}: {exc}")) from None
    if not data:
        raise DeckError(_("Chromium did not write the PDF"))
    return data


def pack_title(slides_: list[Slide]) -> str:
    """The pack's title (the PDF's, the deck's): its title slide's headline and as-of line."""
    first = slides_[0] if slides_ else None
    return (f"{first.headline} · {first.subtitle}" if first is not None and first.subtitle
            else first.headline if first is not None else "")


def pack_file_name(lang: str, as_of) -> str:
    """The pack's file name without its suffix: what it is, its language and its as-of date."""
    return f"swg_briefing_{i18n.normalise(lang)}_as-of_{as_of.isoformat()}"


def footer_text(version_id: int, as_of, demo: bool) -> str:
    return (_("SWG Dashboard · data version {version} · figures as of {as_of:%d %B %Y}").format(
        version=version_id, as_of=as_of) + (_(" · demonstration data") if demo else ""))
