"""The briefing pack: the slides as a PowerPoint deck and as a PDF.

Charts are rendered by Plotly's static export (kaleido) through the system
Chromium, with the same template as in the app; tables become real PowerPoint
tables; the headline is the slide title; the data version and as-of date are in
the footer; the speaker notes explain each chart. The PDF is the same slides,
printed by the same Chromium.
"""
from __future__ import annotations

import base64
import html
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import plotly.io as pio
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from swgdash import i18n, settings
from swgdash.errors import UserError
from swgdash.i18n import _
from swgdash.present import fitting
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
IMG_W, IMG_H = 1280, 600  # chart pixels (rendered at scale 2 for sharpness)
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x52, 0x60, 0x6D)
BLUE = RGBColor(0x00, 0x72, 0xB2)


class DeckError(UserError):
    """The deck could not be built; the text is for the user."""


def chart_pngs(slides: list[Slide]) -> dict[int, bytes]:
    """Every chart as a PNG, with one Chromium for all of them."""
    browser = chromium()
    if not Path(browser).exists():
        raise DeckError(_("Chromium is needed to draw the charts and was not found at {path}").format(path=browser))
    os.environ.setdefault("BROWSER_PATH", browser)
    os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)  # kaleido's Chromium inherits it
    import warnings

    import kaleido


    out = {}
    kaleido.start_sync_server(silence_warnings=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # plotly notes that kaleido options go unused
            for i, s in enumerate(slides):
                if s.figure is None:
                    continue
                fig = slide_figure(s.figure)
                out[i] = pio.to_image(fig, format="png", width=IMG_W, height=fig.layout.height, scale=2)
    except Exception as exc:  # kaleido and Chromium fail in many ways; all mean "no charts"
        raise DeckError(_("the charts could not be drawn ({error})").format(error=f"{type(exc).__name__}: {exc}")) from None
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return out


def slide_figure(figure):
    """A slide's chart as the deck draws it: a copy, without its title (the headline says it), in
    larger letters, IMG_W wide and at least IMG_H tall (the slide scales a taller chart down)."""
    import plotly.graph_objects as go

    fig = go.Figure(figure)
    fig.update_layout(height=IMG_H, width=IMG_W, font_size=17, title_text="", margin=dict(t=60),
                      font_family=FONT_FAMILY)
    fig.update_yaxes(tickfont_size=14)  # long group names stay on their own rows
    if fig.layout.xaxis.title.text:  # wrapped again for the slide's width
        fig.layout.xaxis.title.text = fitting.unwrapped(fig.layout.xaxis.title.text)
    fitting.fit_margins(fig)  # room for the larger labels, and rows tall enough for them
    fig.layout.height = max(IMG_H, fig.layout.height or IMG_H)
    return fig


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


def pptx_bytes(slides: list[Slide], footer: str, images: dict[int, bytes] | None = None) -> bytes:
    from pptx.enum.text import PP_ALIGN

    images = chart_pngs(slides) if images is None else images
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
    for i, s in enumerate(slides):
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
            title.left, title.top, title.width, title.height = Inches(0.5), Inches(0.25), Inches(12.3), Inches(1.05)
        top = 1.35 if not s.second_headline else 1.75  # (the bilingual title takes two lines or more)
        if s.key != "title":
            title.height = Inches(top - 0.3)
            second = text_lines(s.second_headline, 16, 12.3) * 16 * 1.3 / 72 if s.second_headline else 0
            _style(title.text_frame, headline_size(s.headline, 12.3, top - 0.3 - second), True, INK)
        if s.second_headline:  # the bilingual deck: the English headline under the Lao one
            para = title.text_frame.add_paragraph()
            para.text = s.second_headline
            para.font.size, para.font.bold, para.font.color.rgb = Pt(16 if s.key != "title" else 24), False, MUTED
        if i in images:
            pic = slide.shapes.add_picture(io.BytesIO(images[i]), Inches(0.5), Inches(top), width=Inches(12.3))
            room = Inches(6.95 - top)
            if pic.height > room:  # keep the footer clear
                ratio = room / pic.height
                pic.height, pic.width = room, Emu(int(pic.width * ratio))
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
            shape = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(top + 0.05), Inches(12.3), Inches(0.4) * rows)
            table = shape.table
            longest = [max([i18n.visual_len(str(col))] + [i18n.visual_len(str(v)) for v in s.table[col]])
                       for col in s.table.columns]
            weights = [min(max(n, 6), 60) for n in longest]  # each column as wide as its text asks
            for j, w in enumerate(weights):
                table.columns[j].width = Emu(int(Inches(12.3) * w / sum(weights)))
            for j, col in enumerate(s.table.columns):
                table.cell(0, j).text = i18n.break_opportunities(str(col))
            for r, row in enumerate(s.table.itertuples(index=False), start=1):
                for j, value in enumerate(row):
                    table.cell(r, j).text = "" if value is None else i18n.break_opportunities(str(value))
            for r in range(rows):
                for j in range(cols):
                    for para in table.cell(r, j).text_frame.paragraphs:
                        para.font.size = Pt(13 if rows > 8 else 15)
        _text(slide, 0.5, 7.0, 10.0, 0.4, footer, 11, color=MUTED)
        _text(slide, 11.8, 7.0, 1.0, 0.4, f"{i + 1} / {len(slides)}", 11, color=MUTED, align=PP_ALIGN.RIGHT)
        slide.notes_slide.notes_text_frame.text = s.notes
    for slide in prs.slides:
        complex_script_font(slide)
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


def deck_html(slides: list[Slide], footer: str, images: dict[int, bytes]) -> str:
    """The slides as one HTML page per slide (for printing to PDF). All text escaped."""
    e = html.escape
    parts = [f"""<!doctype html><html lang="{i18n.current()}"><head><meta charset="utf-8"><style>
{_font_faces()}
@page {{ size: {WIDTH_IN}in {HEIGHT_IN}in; margin: 0 }}
body {{ margin: 0; font-family: 'SWG Noto Sans', 'SWG Noto Sans Lao', 'Noto Sans', 'Noto Sans Lao', sans-serif;
        color: #1f2933; line-break: normal; word-break: normal }}
h2 {{ font-size: 18pt; font-weight: normal; color: #52606d; margin: -0.1in 0 0.12in 0 }}
.slide {{ width: {WIDTH_IN}in; height: {HEIGHT_IN}in; box-sizing: border-box; padding: 0.3in 0.5in 0.65in 0.5in;
         position: relative; page-break-after: always; overflow: hidden; display: flex; flex-direction: column }}
h1 {{ font-size: 26pt; margin: 0 0 0.15in 0 }}
.title h1 {{ font-size: 40pt; margin-top: 2.0in }} .sub {{ font-size: 20pt; color: #52606d }}
img {{ width: 12.3in; max-height: 5.6in; flex: 1 1 0; min-height: 0; object-fit: contain; object-position: left top }}
table {{ border-collapse: collapse; width: 100%; font-size: 13pt }}
th, td {{ border: 1px solid #cbd2d9; padding: 4pt 6pt; text-align: left; vertical-align: top }}
th {{ background: #0072b2; color: white }}
.kpis {{ display: grid; grid-template-columns: repeat(3, 3.6in); gap: 0.4in; margin-top: 0.4in }}
.kpi {{ border: 2px solid #0072b2; background: #f4f8fb; padding: 0.2in; height: 1.5in }}
.kpi .l {{ font-size: 16pt; color: #52606d }} .kpi .v {{ font-size: 44pt; font-weight: bold }}
.foot {{ position: absolute; bottom: 0.25in; left: 0.5in; right: 0.5in; font-size: 11pt; color: #52606d;
         display: flex; justify-content: space-between }}
</style></head><body>"""]
    for i, s in enumerate(slides):
        body = ""
        second = f"<h2>{e(s.second_headline)}</h2>" if s.second_headline else ""
        if s.key == "title":
            body = f'<h1>{e(s.headline)}</h1>{second}<div class="sub">{e(s.subtitle)}</div>'
        else:
            body = f"<h1>{e(s.headline)}</h1>{second}"
        if i in images:
            body += f'<img alt="{e(s.headline)}" src="data:image/png;base64,{base64.b64encode(images[i]).decode()}">'
        if s.kpis:
            body += '<div class="kpis">' + "".join(
                f'<div class="kpi"><div class="l">{e(a)}</div><div class="v">{e(b)}</div></div>' for a, b in s.kpis) + "</div>"
        if s.table is not None and not s.table.empty:
            body += "<table><tr>" + "".join(f"<th>{e(str(c))}</th>" for c in s.table.columns) + "</tr>"
            for row in s.table.itertuples(index=False):
                body += "<tr>" + "".join(f"<td>{e('' if v is None else str(v))}</td>" for v in row) + "</tr>"
            body += "</table>"
        cls = "slide title" if s.key == "title" else "slide"
        parts.append(f'<section class="{cls}">{body}<div class="foot"><span>{e(footer)}</span>'
                     f"<span>{i + 1} / {len(slides)}</span></div></section>")
    parts.append("</body></html>")
    return "".join(parts)


def pdf_bytes(slides: list[Slide], footer: str, images: dict[int, bytes] | None = None) -> bytes:
    images = chart_pngs(slides) if images is None else images
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "deck.html"
        out = Path(tmp) / "deck.pdf"
        page.write_text(deck_html(slides, footer, images), encoding="utf-8")
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
               f"--print-to-pdf={out}", page.as_uri()]
        try:
            subprocess.run(cmd, capture_output=True, timeout=180, check=False, env=chromium_env())
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DeckError(_("Chromium could not print the PDF ({error})").format(error=exc)) from None
        if not out.exists() or out.stat().st_size == 0:
            raise DeckError(_("Chromium did not write the PDF"))
        return out.read_bytes()


def footer_text(version_id: int, as_of, demo: bool) -> str:
    return (_("SWG Dashboard · data version {version} · figures as of {as_of:%d %B %Y}").format(
        version=version_id, as_of=as_of) + (_(" · demonstration data") if demo else ""))
