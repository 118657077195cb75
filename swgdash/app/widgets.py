"""What pages draw with: the header, charts with captions, downloadable tables, notices
about missing tables, long pickers. Each takes the page's Context explicitly."""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Literal

import pandas as pd
import streamlit as st

from swgdash import fmt, i18n, site
from swgdash.app import screen
from swgdash.app.context import Context, context
from swgdash.app.state import profile_url
from swgdash.contract import TABLES, words
from swgdash.i18n import _, ngettext
from swgdash.present import alt, excel, fitting, ical, sentences
from swgdash.query import metrics

Height = int | Literal["auto", "stretch", "content"]  # a table's height, as st.dataframe takes it


def damage_banner(c: Context) -> None:
    """What is wrong with the store, and the way back (every page, /present too)."""
    if c.outage:  # the store does not answer: these pages show what this server holds
        st.warning(fmt.md(c.outage), icon=":material/cloud_off:")
    if c.damage:
        head = any("HEAD.json" in d for d in c.damage)
        said = " ".join(d[:1].upper() + d[1:] + ("" if d.endswith(".") else ".") for d in c.damage)
        st.error(_("**The store is damaged.** {said} These pages show version {id}, the newest "
                   "version that can be read; nothing was deleted. ").format(said=fmt.md(said), id=c.version.id)
                 + (_("The secretariat first rebuilds HEAD.json (on *Publish data*, or `python "
                      "-m swgdash verify --repair-head`), then ") if head else _("The secretariat can "))
                 + _("roll back to an intact version or publish a new extract on *Publish "
                     "data*, check every version with `python -m swgdash verify --all`, and "
                     "restore a backup (docs/operations.md)."),
                 icon=":material/report:")


def notices(c: Context) -> None:
    damage_banner(c)
    if c.version.is_demo:
        st.warning(
            _("**Demo data.** These are the bundled demonstration figures, modelled on the Lao "
              "Round Table Process, not real records. They will disappear as soon as {secretariat} "
              "publishes a real extract.").format(secretariat=fmt.md(fmt.secretariat())), icon=":material/science:")


def header(path: str, scope: bool = True) -> Context:
    """The context of this run, then the demo notice, the page's heading and its introduction
    (from the site map, swgdash.site) with a caption naming the date and groups the figures are for."""
    c, page = context(), site.BY_PATH[path]
    notices(c)
    if unread := st.session_state.pop("_url_unread", None):
        st.warning(fmt.md(unread), icon=":material/link_off:")
    assert page.heading is not None  # (only /present has none, and it draws its own heading, not this one)
    st.title(_(page.heading))
    if scope:
        st.caption(_("{intro} As of **{as_of:%d %B %Y}**, for **{filter_label}**.").format(intro=_(page.intro), as_of=c.as_of, filter_label=fmt.md(c.filter_label())))
        for caveat in c.q(sentences.as_of_caveats, published=c.version.as_of):
            st.info(caveat, icon=":material/event_busy:")
    else:
        st.caption(_(page.intro))
    return c


def plot(fig, key: str | None = None, filename: str | None = None) -> None:
    """A Plotly chart, laid out for the member's screen (app.screen: a phone's column gets its
    labels wrapped narrower and its legend below; a touch screen no zoom by dragging nor tool bar);
    on a laptop the camera icon saves a sharp PNG named `filename`. Under it, its figures as a
    table (its text alternative), built and drawn when opened: a table per chart on every page
    switch cost a tenth of the switch in the browser."""
    seen = screen.current()
    name = f"{key or ''}{fig.layout.title.text or ''}{len(fig.data)}"
    table_key = "figures-" + hashlib.sha1(name.encode()).hexdigest()[:12]
    figures = alt.figures_table(fig) if st.session_state.get(table_key) else None  # (before the phone layout)
    if seen.narrow or seen.touch:
        fitting.for_screen(fig, seen.width, seen.touch)
    config: dict[str, Any] = {"displaylogo": False, "displayModeBar": False if (seen.narrow or seen.touch) else "hover"}
    if filename:
        config["toImageButtonOptions"] = {"format": "png", "scale": 2, "filename": filename}
    st.plotly_chart(fig, width="stretch", key=key, theme=None, config=config)
    if fig.data:  # (an empty chart's message has no figures)
        with st.expander(_("The chart's figures as a table"), icon=":material/table_rows:", on_change="rerun",
                         key=table_key) as shown:
            if shown.open and figures is not None:
                st.dataframe(figures, hide_index=True, placeholder="—", width="stretch")


def chart(c: Context, fig, caption: str, key: str | None = None) -> None:
    """A chart and its one-sentence caption; the camera icon saves a sharp PNG named with the as-of date."""
    plot(fig, key, fmt.file_stem(fig.layout.title.text or "chart", c.as_of))
    st.caption(caption)


def shown(value):
    """A KPI card's value as the page shows it: in Lao digits where the deployment asks for them."""
    if value is None or i18n.current() == "en" or not i18n.lao_digits():
        return value
    return i18n.digits(str(value))


def labelled(shown: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Columns of extract codes (contract.CODE_WORDS, by the source column's name) in words;
    other values, and values already in words, unchanged. By way of categories: one lookup
    per distinct value."""
    out = {}
    for src, name in columns.items():
        labels = words(src)
        if not labels or name not in shown.columns or shown[name].dtype.kind in "biufcmM":
            continue
        cat = shown[name].astype("category")
        new = [labels.get(v, v) for v in cat.cat.categories]
        if len(set(new)) == len(new):  # (a code beside its own label would merge two categories)
            out[name] = cat.cat.rename_categories(new)
    return shown.assign(**out) if out else shown


def for_download(df: pd.DataFrame) -> pd.DataFrame:
    """A table as its download holds it: in a language other than English, yes/no in words (a
    spreadsheet would show True/False)."""
    if i18n.current() == "en":
        return df
    flags = [c for c in df.columns if pd.api.types.is_bool_dtype(df[c])]
    yes, no = _("yes"), _("no")
    words = {True: yes, False: no}
    return df.assign(**{c: [v if pd.isna(v) else words[bool(v)] for v in df[c].tolist()] for c in flags}) if flags else df


def day_column(label: str, help: str | None = None):
    """A date column shown as '12 Feb 2020' (kept a date: downloads hold real dates); in Lao as
    2020-02-12 (the table draws month names in English only)."""
    return st.column_config.DateColumn(label, format="DD MMM YYYY" if i18n.current() == "en" else "YYYY-MM-DD",
                                       help=help)


TABLE_ROWS = 5000  # more rows than anyone scrolls through, and heavy for the browser: downloads have all


def table(c: Context, df: pd.DataFrame, name: str, columns: dict[str, str] | None = None,
          column_config: dict | None = None, height: Height = "auto", key: str | None = None,
          profile_links: bool = True, share: float = 1.0) -> None:
    """A table on the page, with a CSV download named after it and the as-of date.
    A table with a group_id gets a link to each group's profile page. `share`: how much of the
    main column's width it has (beside others in st.columns). At most TABLE_ROWS
    rows are shown (the first, in the page's order); the downloads hold every row."""
    df = fmt.with_former_names(df)  # a merged ministry as its successor, with the name it had
    shown = df[list(columns)].rename(columns=columns) if columns else df
    names = columns or {col: col for col in df.columns}  # codes in words: the rows shown now, the rest on download
    if len(df) > TABLE_ROWS:
        st.caption(_("Showing the first {table_rows:,} of {df:,} rows; the downloads below "
                     "have all of them. Pick an SWG in the sidebar to narrow the list.").format(table_rows=TABLE_ROWS, df=len(df)))
        df = df.head(TABLE_ROWS)
    view, config = labelled(shown.head(TABLE_ROWS), names), dict(column_config or {})
    for col in shown.columns:  # dates as dates, not midnight timestamps (the downloads keep them dates)
        if not pd.api.types.is_datetime64_any_dtype(shown[col]):
            continue
        if view[col].isna().any():  # on the page an empty date reads '—', not 'None' (ISO text sorts as dates)
            view = view.assign(**{col: [d.strftime("%Y-%m-%d") if not pd.isna(d) else "—" for d in view[col]]})
            config.pop(col, None)
        elif col not in config:
            config[col] = st.column_config.DateColumn(col, format="YYYY-MM-DD")
    if profile_links and "group_id" in df.columns:
        profile = fmt.heading("profile")
        links: list[Any] = [profile_url(g) if isinstance(g, str) else None for g in df["group_id"].tolist()]
        view = view.assign(**{profile: links})
        config[profile] = st.column_config.LinkColumn(profile, display_text=_("open profile"), width="small")
    frame(view, config, height, share=share)
    stem = fmt.file_stem(name, c.as_of)
    # side by side, each as wide as its label (wrapping below in a narrow column, never cut short)
    left = right = st.container(horizontal=True, wrap=True)
    # the files are built when clicked (deferred), not on every run of the page
    left.download_button(_("Download {name} (CSV)").format(name=name), i18n.bound(lambda: excel.csv_bytes(for_download(labelled(shown, names)))),
                         file_name=f"{stem}.csv", mime="text/csv", key=key or f"dl-{name}",
                         icon=":material/download:", on_click="ignore")
    right.download_button(_("Excel (.xlsx)"), i18n.bound(lambda: excel.table_xlsx(for_download(labelled(shown, names)), name)),
                          file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key or 'dl-' + name}-xlsx", icon=":material/table_view:", on_click="ignore")


LONG_COLUMN = 260.0  # pixels: a column of texts this wide or wider is cut to fit (widgets.frame)
SHORTENED = 150.0  # the least a long text column is cut to, before other columns fold away


def _column_px(values: pd.Series, title: str) -> float:
    """About how wide the table draws a column: its title or its longest value (at most LONG_COLUMN)."""
    sample = [str(v) for v in values.head(200).tolist() if v is not None and not pd.isna(v)]
    longest = max((fitting.text_px(v, 14) for v in sample), default=0.0)
    return min(LONG_COLUMN, max(fitting.text_px(title, 14) + 30, longest + 24))


def frame(view: pd.DataFrame, config: dict | None = None, height: Height = "auto", style=None,
          share: float = 1.0) -> None:
    """A table as wide as its box: the columns that fit side by side in the member's main column
    (or the `share` of it the table has), the others folded below in an expander with the whole
    table (a phone shows a table's key columns; a profile link keeps the rest one tap away).
    `style` makes a pandas Styler of the columns shown."""
    config = dict(config or {})
    seen = screen.current()
    room = (seen.width if seen.stacked else seen.width * share) - 4
    keep = fitting_columns(view, room)
    room -= 6 * len(keep)  # (what the table draws around its cells)
    shown = view[keep] if len(keep) < len(view.columns) else view
    widths = {col: _shown_px(shown, col) for col in shown.columns}
    long = [col for col, px in widths.items() if px >= LONG_COLUMN]
    if long:  # long texts (names, actions) share what the others leave: cut short, in full on hover
        each = max(SHORTENED, (room - sum(px for col, px in widths.items() if col not in long)) / len(long))
        for col in long:
            config[col] = {**(config.get(col) or {}), "width": int(each)}
    st.dataframe(style(shown) if style else shown, hide_index=True, placeholder="—", width="stretch",
                 column_config={k: v for k, v in config.items() if k in shown.columns}, height=height)
    if len(keep) < len(view.columns):
        with st.expander(_("Every column ({columns})").format(columns=len(view.columns))):
            st.dataframe(style(view) if style else view, hide_index=True, placeholder="—", width="stretch",
                         column_config=config, height=height)


def _shown_px(view: pd.DataFrame, col) -> float:
    """About how wide the table draws the column (the profile links show 'open profile', not their addresses)."""
    return _column_px(pd.Series([_("open profile")]) if col == fmt.heading("profile") else view[col], str(col))


def fitting_columns(view: pd.DataFrame, width: float) -> list:
    """The table's columns, from the first, that fit side by side in `width` pixels (at least the
    first; a profile link column is kept too, the profile holding the rest)."""
    link = fmt.heading("profile")
    columns = [col for col in view.columns if col != link]
    budget = width - (_shown_px(view, link) + 6 if link in view.columns else 0)
    kept: list = []
    for col in columns:
        need = min(_shown_px(view, col), SHORTENED) + 6  # a long text may be cut short; the cell's edges
        if kept and need > budget:
            break
        kept.append(col)
        budget -= need
    return kept + ([link] if link in view.columns else [])


def require(c: Context, *tables: str) -> bool:
    """Say which optional tables a section needs and how to add them."""
    missing = [t for t in tables if not c.has(t)]
    if missing:
        cols = "; ".join(f"**{t}** ({', '.join(TABLES[t].column_names)})" for t in missing)
        st.info(ngettext("This needs the {missing} table, which the current extract does not have. Add it to "
                         "the extract and publish again: {cols}.",
                         "This needs the {missing} tables, which the current extract does not have. Add them to "
                         "the extract and publish again: {cols}.", len(missing)).format(
                             missing=", ".join(missing), cols=cols), icon=":material/table_chart:")
        return False
    return True


PICK_MAX = 500  # longer lists get a search box first: 40,000 options took the browser seconds to draw


def pick(label: str, options: list, index: int, key: str, format_func, what: str, find_key: str | None = None):
    """st.selectbox over `options`, the one at `index` chosen first. Past PICK_MAX options a
    search box (name or id, any part, any case; its own `find_key`, so the search survives a
    change of `key`) comes first and the list holds the chosen option, then the first
    PICK_MAX that match."""
    if len(options) <= PICK_MAX:
        return st.selectbox(label, options, index=index, key=key, format_func=format_func)
    chosen = options[index]
    needle = st.text_input(_("Find one of the {options:,} {what}").format(options=len(options), what=what), key=find_key or f"{key}-find",
                           placeholder=_("part of a name or id")).strip().casefold()
    found = [o for o in options if needle in format_func(o).casefold()] if needle else []
    shown = list(dict.fromkeys([chosen, *found[:PICK_MAX]]))
    if needle:
        st.caption(_("{found:,} {what} match").format(found=len(found), what=what) + (_("; the first {pick_max} are listed").format(pick_max=PICK_MAX) if len(found) > PICK_MAX
                                                       else "") + ("." if found else _(": try another part of the name.")))
    return st.selectbox(label, shown, index=0, key=f"{key}-{needle}", format_func=format_func,
                        help=_("The one shown now comes first; pick a match below it."))


def calendar_download(c: Context, group_id: str | None = None) -> None:
    """The iCalendar file of the meetings planned (ical.calendar_file), of one group or of every
    group, to open in or subscribe to from a calendar application; the README says how to serve it
    for subscriptions (python -m swgdash calendar)."""
    params = metrics.Params(as_of=c.as_of, groups=(group_id,) if group_id else None)
    title = ical.calendar_title(c.names.get(group_id, group_id) if group_id else None)
    name = f"swg-meetings-{group_id.lower()}.ics" if group_id else "swg-meetings.ics"
    # (built when pressed, not as the page opens)
    data = i18n.bound(lambda: c.q(ical.calendar_file, params, title=title))
    st.download_button(_("Calendar file (.ics): planned meetings, and those held in the last 12 months"), data,
                       file_name=name, mime="text/calendar", on_click="ignore",
                       icon=":material/calendar_month:", key=f"ics_{group_id or 'all'}",
                       help=_("Opens in Outlook, Google Calendar or any calendar application. Each "
                              "meeting keeps its identity from one version to the next, so importing "
                              "a newer file updates the meetings (a cancelled one shows as cancelled)."))


def realignment_download(c: Context, carried) -> None:
    """The realignment worksheet (excel.realignment_workbook) of the version shown, built when pressed."""
    version = c.version
    stem = fmt.file_stem(_("realignment"), c.as_of)
    data = i18n.bound(lambda: excel.realignment_workbook({name: version.read(name) for name in version.tables},
                                                         version.as_of, carried))
    st.download_button(_("Realignment worksheet (.xlsx)"), data, on_click="ignore", icon=":material/edit_note:",
                       file_name=f"{stem}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="realignment",
                       help=_("The version as a workbook, its alignment sheet holding the crosswalk's suggestions "
                              "for the groups to realign: confirm or change each, then upload the workbook."))


def upcoming(c: Context, soon: pd.DataFrame, group_id: str | None = None) -> None:
    """The meetings planned in the UPCOMING_DAYS after the as-of date (metrics.upcoming: of every
    group shown, or of `group_id`), and the calendar file."""
    until = c.as_of + dt.timedelta(days=metrics.UPCOMING_DAYS)
    scheduled = int((soon["status"] == "scheduled").sum()) if len(soon) else 0
    if soon.empty:
        st.caption(_("No meeting is scheduled from {as_of:%d %B %Y} to {until:%d %B %Y}.").format(as_of=c.as_of, until=until))
    else:
        st.caption(ngettext("From {as_of:%d %B %Y} to {until:%d %B %Y} (the {days} days after the figures' date): "
                            "{n} meeting scheduled",
                            "From {as_of:%d %B %Y} to {until:%d %B %Y} (the {days} days after the figures' date): "
                            "{n} meetings scheduled", scheduled).format(
            n=scheduled, as_of=c.as_of, until=until, days=metrics.UPCOMING_DAYS)
            + (ngettext(", and {n} cancelled or postponed.", ", and {n} cancelled or postponed.",
                        len(soon) - scheduled).format(n=len(soon) - scheduled) if len(soon) > scheduled else "."))
        columns = fmt.headings("date", *([] if group_id else ["name"]), "status")  # (the calendar has the rest)
        # (no profile column: on a phone the group and status are the columns that fit)
        table(c, soon, _("upcoming meetings"), columns, profile_links=False, key=f"upcoming_{group_id or 'all'}")
    calendar_download(c, group_id)
