"""Streamlit glue of /present: the slide show and the briefing-pack downloads."""
from __future__ import annotations

import streamlit as st

from swgdash import fmt, i18n
from swgdash.app import changes, state
from swgdash.app.context import Context, database
from swgdash.app.widgets import plot, shown
from swgdash.fmt import md
from swgdash.i18n import _
from swgdash.present import deck, slides

# Static code (no data in it): arrow keys, Page Up/Down and Space press the slide buttons.
KEYS = """<script>
if (!window.__swgSidebarFolded) {
  // fold the sidebar once when presentation mode opens (when it is open then: arriving from
  // another page); the presenter can unfold it for the filters, and it then stays open
  window.__swgSidebarFolded = true;
  const fold = (tries) => {
    const side = document.querySelector('[data-testid="stSidebar"]');
    if (side && side.dataset.collapsed === "true") return;  // folded already
    const b = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (b) b.click(); else if (tries < 10) setTimeout(() => fold(tries + 1), 200);
  };
  fold(0);
}
if (!window.__swgSlideKeys) {
  window.__swgSlideKeys = true;
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    let key = null;  // the buttons by their keys (their words are in the page's language)
    if (["ArrowRight", "PageDown", " "].includes(e.key)) key = "slide_next";
    if (["ArrowLeft", "PageUp"].includes(e.key)) key = "slide_previous";
    if (!key) return;
    const b = document.querySelector(".st-key-" + key + " button");
    if (b && !b.disabled) { e.preventDefault(); b.click(); }
  });
}
</script>"""

# Static presentation styling: large type, high contrast.
STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.4rem; padding-bottom: 1rem; }
[data-testid="stMain"] h1 { font-size: 2.2rem; line-height: 1.15; color: #111827; padding-top: 0.2rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.05rem; color: #374151; }
[data-testid="stMain"] [data-testid="stMetricValue"] { font-size: 3.2rem; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.2rem; }
</style>"""


@st.cache_data(show_spinner=False, max_entries=32)
def _slides(root: str, fingerprint: str, params, scope: str, group_slides: bool, lang: str, since: str | None,
            iati: str | None, _cur, _changes, _iati) -> list[slides.Slide]:
    """(`since`: the fingerprint of the version the changes are from, None without them; `iati`:
    the current IATI set's.)"""
    with i18n.language(lang):
        return slides.build_slides(_cur, params, scope, group_slides=group_slides, changes=_changes, iati=_iati)


def deck_slides(c: Context, group_slides: bool = False) -> list[slides.Slide]:
    ch, iati = changes.since_previous(c), c.iati
    return _slides(str(c.store.root), c.version.fingerprint, c.params, c.filter_label(), group_slides, i18n.current(),
                   ch.source.fingerprint if ch else None, iati.fingerprint if iati else None, c.cursor, ch, iati)


def current_slide(n: int) -> int:
    """The slide the address asks for; one it cannot show is named, with the slide shown instead."""
    asked = st.query_params.get("slide", "1")
    i = state.whole(asked, 1, 999_999) or 1
    shown = min(max(i, 1), n)
    if str(shown) != str(asked).strip():
        st.warning(_("The address asks for slide={asked}, and this deck has slides 1 to {n}; "
                     "showing slide {shown} instead.").format(asked=md(fmt.excerpt(asked)), n=n, shown=shown),
                   icon=":material/link_off:")
    return shown


def _go(i: int) -> None:
    st.query_params["slide"] = str(i)


def demo_badge(c: Context) -> None:
    if c.version.is_demo:
        st.caption(_(":orange-badge[Demo data] bundled demonstration figures, not real records."))


def controls(i: int, n: int) -> None:
    st.html(KEYS, unsafe_allow_javascript=True)
    st.html(STYLE)
    a, b, d, e = st.columns([1.4, 0.6, 1.4, 2.6], vertical_alignment="center")
    a.button(_("Previous slide"), icon=":material/arrow_back:", on_click=_go, args=(i - 1,), disabled=i <= 1,
             width="stretch", key="slide_previous")
    b.markdown(f"<div style='text-align:center;font-size:1.3rem'><b>{i}</b> / {n}</div>", unsafe_allow_html=True)
    d.button(_("Next slide"), icon=":material/arrow_forward:", on_click=_go, args=(i + 1,), disabled=i >= n,
             width="stretch", type="primary", key="slide_next")
    e.caption(_("Arrow keys move between slides. The address keeps the slide number "
                "(…/present?slide={value}), so you can jump back to any slide.").format(value=i))


# On screen a slide's chart is drawn as on the pack's slide, in pixels: its text no smaller than
# SCREEN_SMALLEST, the whole of it under the headline on a 1280 x 720 projector.
SCREEN_WIDTH, SCREEN_CHART, SCREEN_TICK, SCREEN_SMALLEST = 1180, 420, 14, 14


def show(s: slides.Slide) -> None:
    st.title(md(s.headline))
    if s.subtitle:
        st.header(md(s.subtitle))
    if s.kpis:
        cols = st.columns(3)
        for k, (label, value) in enumerate(s.kpis):
            cols[k % 3].metric(label, shown(value), border=True)
    if s.figure is not None:
        fig = deck.slide_figure(s.figure, SCREEN_WIDTH, SCREEN_CHART, tick=SCREEN_TICK, smallest=SCREEN_SMALLEST)
        fig.layout.width = None  # (as wide as the column; the labels were fitted to a projector's)
        fig.update_layout(font_family=None)
        plot(fig)
    if s.table is not None and not s.table.empty:
        table(s)
    with st.expander(_("Speaker notes")):
        st.write(s.notes)


def table(s: slides.Slide) -> None:
    """A slide's table as on its slide: every cell whole, wrapped in its column (the pack's widths)."""
    assert s.table is not None
    widths = deck.table_widths(s)
    total = sum(widths)
    st.html("<style>.st-key-slide_table table { table-layout: fixed; width: 100%; font-size: 15px; } "
            + " ".join(f".st-key-slide_table th:nth-child({k + 1}) {{ width: {100 * w / total:.1f}%; }}"
                       for k, w in enumerate(widths))
            + " .st-key-slide_table td, .st-key-slide_table th { white-space: normal; overflow-wrap: anywhere; "
              "padding: 4px 8px; }</style>")
    shown_ = s.table.map(lambda v: "" if fmt.is_missing(v) else md(v))  # (as in the pack: no "None")
    shown_.columns = [md(c) for c in shown_.columns]
    with st.container(key="slide_table"):
        st.table(shown_, hide_index=True)


@st.cache_data(show_spinner=False, max_entries=8)
def _pack(root: str, fingerprint: str, params, scope: str, per_swg: bool, lang: str, bilingual: bool,
          since: str | None, iati: str | None, _version, _changes, _iati) -> tuple[bytes, bytes]:
    """The deck and the PDF of one view, drawn once (the charts are shared by both), in the page's
    language (`bilingual`: in Lao, with each slide's English headline under the Lao one)."""
    with i18n.language(lang):
        return _pack_now(root, fingerprint, params, scope, per_swg, lang, bilingual, _version, _changes, _iati)


def _pack_now(root: str, fingerprint: str, params, scope: str, per_swg: bool, lang: str, bilingual: bool,
              _version, _changes=None, _iati=None) -> tuple[bytes, bytes]:
    version = _version
    cur = database(root, fingerprint, version).cursor()  # its own cursor: this runs on the download's thread
    all_slides = slides.deck_slides(cur, params, scope, per_swg, lang, bilingual, _changes, _iati)
    footer = deck.footer_text(version.id, params.as_of, version.is_demo)
    images = deck.chart_pngs(all_slides)
    return deck.pptx_bytes(all_slides, footer, images), deck.pdf_bytes(all_slides, footer, images)


def briefing_pack(c: Context) -> None:
    deck.warm()  # (the first pack of the server then finds its Chromium started)
    st.divider()
    st.markdown(_("**Briefing pack**: the same slides as a PowerPoint deck (with speaker "
                  "notes) and as a PDF, for the current filters, with an appendix listing in full what "
                  "the slides show the first of. One click builds and downloads it (a few seconds)."))
    per_swg = st.checkbox(_("Add one profile slide per sector working group"), key="deck_per_swg")
    bilingual = i18n.current() != "en" and st.checkbox(_("Put each slide's English headline under the Lao one"),
                                                       key="deck_bilingual")
    ch, iati = changes.since_previous(c), c.iati
    args = (str(c.store.root), c.version.fingerprint, c.params, c.filter_label(), per_swg, i18n.current(),
            bilingual, ch.source.fingerprint if ch else None, iati.fingerprint if iati else None, c.version, ch, iati)
    name = deck.pack_file_name(i18n.current(), c.as_of)
    a, b, _rest = st.columns([1, 1, 1])
    a.download_button(_("Download the deck (.pptx)"), lambda: _pack(*args)[0], file_name=f"{name}.pptx",
                      mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                      icon=":material/slideshow:", on_click="ignore")
    b.download_button(_("Download the PDF"), lambda: _pack(*args)[1], file_name=f"{name}.pdf",
                      mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore")
