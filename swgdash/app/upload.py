"""Streamlit glue of the secretariat's upload page: sign-in, upload, validation
report, preview, publish, version history, rollback, templates."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
import time

import pandas as pd
import streamlit as st

from swgdash import auth, fmt, publishing, settings
from swgdash.app import guard, handoff
from swgdash.app.context import Context
from swgdash.app.widgets import frame, shown
from swgdash.errors import UserError
from swgdash.fmt import local_time, md
from swgdash.i18n import N_, _, ngettext
from swgdash.ingest import quality
from swgdash.ingest.extract import Limits, Source
from swgdash.ingest.validate import validate_sources
from swgdash.present import excel
from swgdash.present.excel import csv_bytes
from swgdash.query import diff
from swgdash.store import HeadUnreadable, StoreError

# The codes of this page's own tables (the validation report, the audit log) in words (their
# headings: fmt.HEADINGS).
EVENTS = {"publish": N_("publish"), "rollback": N_("rollback"), "refused": N_("refused"), "sign_in": N_("sign-in"),
          "sign_in_refused": N_("sign-in refused"), "repair_head": N_("HEAD.json rebuilt"),
          "error": N_("error"), "warning": N_("warning")}


AUDIT_SHOWN = 500  # the audit log's last entries /upload shows (read from its end: its size does not matter)


def _headed(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with this page's headings and codes in the reader's language."""
    out = df.rename(columns={k: fmt.heading(k) for k in df.columns if k in fmt.HEADINGS})
    for col in ("event", "severity"):
        if fmt.heading(col) in out.columns:
            out[fmt.heading(col)] = [_(EVENTS[v]) if v in EVENTS else v for v in out[fmt.heading(col)]]
    return out


def _secrets() -> dict:
    """st.secrets as a plain dict; empty when there is no secrets file."""
    return guard._secrets()


@st.cache_resource(show_spinner=False)
def _guesses() -> auth.Guesses:
    """One per server: wrong passwords counted per client address (auth.Guesses)."""
    return auth.Guesses()


@st.cache_resource(show_spinner=False)
def _refused() -> auth.RefusedSignIns:
    """One per server: refused sign-ins counted per address and hour for the audit log."""
    return auth.RefusedSignIns()


def _flash(kind: str, text: str) -> None:
    st.session_state["pub_flash"] = (kind, text)


def show_flash() -> None:
    kind, text = st.session_state.pop("pub_flash", (None, None))
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
    elif kind == "error":
        st.error(text, icon=":material/error:")


def _address() -> str:
    """The address this session's browser connects from now (swgdash.app.guard.client_from)."""
    from streamlit.runtime.context import _get_client_context

    client = _get_client_context()
    peer = getattr(client, "remote_ip", None) if client is not None else None
    forwarded = st.context.headers.get("X-Forwarded-For")
    return guard.client_from(peer if isinstance(peer, str) else None,  # (AppTest's client is a stand-in)
                             forwarded if isinstance(forwarded, str) else None)


def _browser() -> str:
    xsrf = st.context.cookies.get("_streamlit_xsrf")
    return guard.browser_key(xsrf if isinstance(xsrf, str) else None)


def _client() -> str:
    """The client a sign-in is bound to: the browser's address and its XSRF token's fingerprint (the
    websocket now attached: another computer, or another browser, presenting this session's id
    is another client)."""
    return _address() + "#" + _browser()


def _signed_in(name: str, cred: str, client: str, c: Context, how: str | None = None) -> bool:
    """The session signed in as `name`, once its audit entry is written (`how` says how, when not by
    the form). A store that cannot record it (read-only, unreachable) signs nobody in: it says so."""
    try:
        c.store.log("sign_in", by=name, address=_address(), **({"reason": how} if how else {}))
    except StoreError as exc:
        st.error(_("Nobody can sign in now: the sign-in could not be recorded in the audit log ({reason}).")
                 .format(reason=exc), icon=":material/lock:")
        return False
    state = st.session_state
    state["secretariat"], state["secretariat_bound"] = name, (cred, client)
    guard.register(handoff.session_id(), _address(), cred, _browser())
    return True


def sign_out(c: Context, why: str | None = None) -> None:
    """End this session's sign-in (and, through the browser, its cookie)."""
    state = st.session_state
    handoff.settle(c.store)
    # the token this session was given, and the one it opened with (the session keeps the cookies it
    # opened with): both revoked here, whether or not the browser's own sign-out reaches the server
    guard.revoke_token(state.pop("secretariat_token", None))
    guard.revoke_token(st.context.cookies.get(auth.COOKIE))
    state["pub_no_restore"] = True
    state.pop("secretariat", None)
    state.pop("secretariat_bound", None)
    guard.forget(handoff.session_id())
    state["pub_cookie"] = (guard.url(guard.SIGN_OUT_PATH), secrets.token_hex(8))
    if why:
        state["pub_signed_out"] = why


def gate(c: Context) -> str | None:
    """The signed-in secretariat member's name, or None (and the way to sign in). A sign-in is bound
    to the credential it was checked against and to the client it was made from: a password changed
    or removed, an e-mail taken off the list, or the session presented from another address, means
    signing in again (checked on every run, so before every publish, rollback and audit read)."""
    state = st.session_state
    secrets_ = _secrets()
    password = auth.configured_password(secrets=secrets_)
    oidc = auth.oidc_configured(secrets_)
    cred, client = auth.credential(password, auth.allowed_emails(secrets=secrets_)), _client()
    if state.get("secretariat") and state.get("secretariat_bound") != (cred, client):
        sign_out(c, _("Your sign-in has ended: the secretariat's password or list changed, or this page "
                      "was opened from another computer. Sign in again."))
        st.rerun()
    if why := state.pop("pub_signed_out", None):
        st.warning(why, icon=":material/lock_reset:")
    if not state.get("secretariat") and password and not state.get("pub_no_restore"):  # a reload within
        # SIGN_IN_MINUTES keeps the sign-in
        found = auth.read_token(st.context.cookies.get(auth.COOKIE), client, guard.cookie_secret(), cred,
                                revoked=guard.revoked())
        if found:
            _signed_in(found[0], cred, client, c, how="kept across a reload")
    if state.get("secretariat"):
        left, right = st.columns([4, 1])
        left.caption(_("Signed in as **{secretariat}** (secretariat).").format(secretariat=md(state['secretariat'])))
        if right.button(_("Sign out"), icon=":material/logout:"):
            sign_out(c)
            st.rerun()
        guard.register(handoff.session_id(), _address(), cred, _browser())
        return state["secretariat"]
    if not password and not oidc:
        st.info(
            _("**Publishing is not enabled on this server.** Everyone can see the version "
              "history below; only the secretariat can publish. To enable publishing, the "
              "server's administrator sets a secretariat password, either as the environment "
              'variable `SWGDASH_SECRETARIAT_PASSWORD` or as `secretariat_password = "..."` in '
              "`.streamlit/secrets.toml`, and restarts the app. (With Streamlit's login "
              "configured under `[auth]`, a list `secretariat_emails` works instead.)"), icon=":material/lock:")
        return None
    if oidc:
        user = st.user
        if getattr(user, "is_logged_in", False):
            email = str(user.get("email") or "").lower()
            if email and email in auth.allowed_emails(secrets=secrets_):
                if _signed_in(email, cred, client, c, how="organisation's login"):
                    st.rerun()
            st.warning(_("{email} is not on the secretariat's list; the page is read-only.").format(email=md(email)))
            st.button(_("Log out"), on_click=st.logout)
        else:
            st.button(_("Log in with your organisation's account"), on_click=st.login, icon=":material/login:")
    if password:
        with st.form("secretariat_login", border=True):
            st.markdown(_("**Secretariat sign-in** — only the secretariat can publish or roll "
                          "back data."))
            name = st.text_input(_("Your name"), max_chars=80, help=_("Recorded with each version you publish."))
            given = st.text_input(_("Secretariat password"), type="password")
            if st.form_submit_button(_("Sign in"), type="primary", icon=":material/key:"):
                ok, message = _guesses().check(given, password, _address())
                if ok:
                    who = name.strip() or "secretariat"
                    state.pop("pub_no_restore", None)
                    if _signed_in(who, cred, client, c):
                        token = auth.make_token(who, client, guard.cookie_secret(), cred)
                        state["secretariat_token"] = token
                        state["pub_cookie"] = (guard.url(guard.SIGN_IN_PATH), guard.offer(token))
                        st.rerun()
                    return None
                time.sleep(1.0)  # every wrong attempt costs time, on top of the throttle
                if (n := _refused().count(_address())) is not None:  # counted, not written one by one
                    try:
                        c.store.log("sign_in_refused", by=fmt.excerpt(name, 80) or None, reason=message,
                                    address=_address(), attempts=n)
                    except StoreError as exc:  # the refusal stands; the log cannot take it
                        st.error(_("The audit log cannot be written: {reason}").format(reason=exc),
                                 icon=":material/error:")
                st.error(message, icon=":material/lock:")
    return None


def _fingerprint(sources: list[Source]) -> str:
    h = hashlib.sha256()
    for s in sources:
        h.update(s.name.encode("utf-8") + b"\0" + hashlib.sha256(s.data).digest())
    return h.hexdigest()


def upload(c: Context, who: str) -> None:
    state = st.session_state
    st.markdown(_("**1. Upload** one Excel workbook, or the CSV or Parquet files (or a .zip of "
                  "them)."))
    limits = Limits()
    files = st.file_uploader(
        _("Extract files"), type=["xlsx", "csv", "parquet", "zip"], accept_multiple_files=True,
        key=f"pub_files_{state.get('pub_nonce', 0)}",
        help=_("At most {max_file_bytes} MB a file. The blank template is under 'Templates and "
               "current data'.").format(max_file_bytes=limits.max_file_bytes // 1048576))
    state["pub_armed"] = False
    if not files:  # nothing on the page: an upload left refused is recorded, and the next starts afresh
        handoff.settle(c.store)
        return
    sources = [Source(f.name, f.getvalue()) for f in files]
    key = _fingerprint(sources)
    if state.get("pub_key") != key:  # each upload is read and checked once, not on every rerun
        with st.spinner(_("Checking the extract ..."), show_time=True):
            result = validate_sources(sources, limits)
            preview = (diff.preview(c.version, result.tables, result.as_of.date)
                       if result.ok and result.as_of is not None else None)  # (a valid extract has its as-of)
        state.update(pub_key=key, pub_result=result, pub_preview=preview)
        handoff.compose(result, who, c.store)
    result, preview = state["pub_result"], state["pub_preview"]
    state["pub_armed"] = result.ok  # a valid upload not yet published: the browser asks before leaving
    result, preview = state["pub_result"], state["pub_preview"]

    st.markdown(_("**2. Validation report**"))
    report = pd.DataFrame([p.as_dict() for p in result.problems],
                          columns=["severity", "table", "row", "column", "message"])
    if not result.ok:
        st.error(ngettext("The extract has {n} problem; nothing was published. Correct it in the file and "
                          "upload it again.",
                          "The extract has {n} problems; nothing was published. Correct them in the file and "
                          "upload it again.", len(result.errors)).format(n=len(result.errors)),
                 icon=":material/block:")
    else:
        rows = sum(t.num_rows for t in result.tables.values())
        st.success(_("The extract is valid: {tables} tables, {rows:,} rows").format(tables=len(result.tables), rows=rows)
                   + (ngettext(", {warnings} warning.", ", {warnings} warnings.", len(result.warnings)).format(
                       warnings=len(result.warnings)) if result.warnings else "."), icon=":material/task_alt:")
    if not report.empty:
        shown = result.problems[:50]
        st.markdown("\n".join(f"- {md(str(p))}" for p in shown)
                    + (_("\n\n… and {problems} more in the table below.").format(problems=len(result.problems) - 50) if len(result.problems) > 50 else ""))
        st.dataframe(_headed(report), hide_index=True, placeholder="—", width="stretch",
                     column_config={_("row"): st.column_config.NumberColumn(format="%d")})
        st.download_button(_("Download the validation report (CSV)"), csv_bytes(_headed(report)),
                           file_name="validation_report.csv", mime="text/csv", icon=":material/download:")
    if not result.ok:
        return

    st.markdown(_("**3. What changes** against the version the committee sees now"))
    # The date belongs to this upload: its widget is keyed by the upload's fingerprint and starts
    # from its suggestion, so a date is either that suggestion or one picked during this upload.
    # (One key for every upload kept the fingerprint while Streamlit dropped the undrawn widget's
    # value: the same file added again opened on today's date, and every group looked late.)
    as_of = st.date_input(_("Figures as of"), value=result.as_of.date, key=f"pub_as_of_{state['pub_key'][:16]}",
                          format="YYYY-MM-DD",
                          min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31),
                          help=_("The date the extract describes; the dashboard computes every "
                                 "figure as of it."))
    as_of = as_of if isinstance(as_of, dt.date) else result.as_of.date
    st.caption(_("Suggested: {date:%d %B %Y}, {source}.").format(date=result.as_of.date, source=md(result.as_of.source))
               + ("" if as_of == result.as_of.date else _(" You chose another date.")))
    for warning in quality.as_of_warnings(as_of, result.tables, result.upload_day):
        st.warning(md(warning), icon=":material/event_busy:")
    preview = dataclasses.replace(preview, as_of_after=as_of)
    show_preview(preview)
    if result.warnings:
        aside = sum(p.code == "set_aside" for p in result.warnings)
        st.info(ngettext("{n} data-quality warning (listed in the report above; none stops publishing)",
                         "{n} data-quality warnings (listed in the report above; none stops publishing)",
                         len(result.warnings)).format(n=len(result.warnings))
                + (ngettext(": {n} meeting will be set aside, counted in no figure",
                            ": {n} meetings will be set aside, counted in no figure", aside).format(n=aside) if aside
                   else "") + _(". Once published, everyone can read them on the Data quality page."),
                icon=":material/rule:")

    st.markdown(_("**4. Publish**"))
    with st.form("publish"):
        note = st.text_input(_("Note for the version history"), max_chars=300,
                             placeholder=_("e.g. Q3 2026 update: meetings to 30 September"))
        if st.form_submit_button(_("Publish"), type="primary", icon=":material/publish:"):
            if not note.strip():
                st.error(_("Write a short note saying what this update is."))
                return
            try:
                version = publishing.publish(c.store, result, as_of, note.strip(), by=who)
            except StoreError as exc:
                st.error(str(exc))
                return
            state["pub_nonce"] = state.get("pub_nonce", 0) + 1
            state["pub_armed"] = False  # (published: nothing to lose by leaving)
            for k in ("pub_key", "pub_result", "pub_preview", handoff.HELD):
                state.pop(k, None)
            current = c.store.current()
            if current is not None and current.id != version.id:  # another publisher's later version won
                _flash("success", _("Published version {id} (figures as of {isoformat}). Version {current}, "
                                    "published at the same time, is later and is the one the pages show; "
                                    "both are in the history.").format(id=version.id, isoformat=as_of.isoformat(),
                                                                       current=current.id))
            else:
                _flash("success", _("Published version {id} (figures as of {isoformat}). Every "
                                    "page now shows it.").format(id=version.id, isoformat=as_of.isoformat()))
            st.rerun()


def iati(c: Context, who: str | None) -> None:
    """The partners' IATI files: the sets imported (everyone), and for the secretariat a new one,
    read on upload and kept as the new current set once confirmed (swgdash.publishing.import_iati)."""
    state = st.session_state
    series = publishing.iati_store(c.store)
    try:
        head = series.head()
    except StoreError as exc:
        st.error(str(exc))
        return
    if who:
        st.markdown(_("**Import the partners' IATI activity files**: the XML files (IATI 2.01 to 2.03) as downloaded "
                      "from d-portal.org or a publisher's registry file, several at once or a .zip of them. Only the "
                      "activities in {country} are kept; the funding page then reads them.").format(
            country=md(iati_country())))
        files = st.file_uploader(_("IATI files"), type=["xml", "zip"], accept_multiple_files=True,
                                 key=f"iati_files_{state.get('iati_nonce', 0)}",
                                 help=_("At most {max_file_bytes} MB a file: a large download fits zipped.").format(
                                     max_file_bytes=Limits().max_file_bytes // 1048576))
        if files:
            key = hashlib.sha256(b"".join(f.name.encode() + hashlib.sha256(f.getvalue()).digest() for f in files)).hexdigest()
            if state.get("iati_key") != key:
                with st.spinner(_("Reading the IATI files ..."), show_time=True):
                    try:
                        found, refused = publishing.read_iati(files), None
                    except UserError as exc:
                        found, refused = None, str(exc)
                state.update(iati_key=key, iati_found=found, iati_refused=refused)
            found, refused = state["iati_found"], state["iati_refused"]
            refused = refused or publishing.iati_refusal(found)
            if refused:
                st.error(md(refused), icon=":material/block:")
            else:
                st.success(ngettext("{n} activity in {country} read from {files}; nothing is imported until you "
                                    "confirm.", "{n} activities in {country} read from {files}; nothing is imported "
                                    "until you confirm.", found.activities).format(
                    n=found.activities, country=md(fmt.country_name(found.country)),
                    files=md(", ".join(f.name for f in found.files))), icon=":material/task_alt:")
                read_ = pd.DataFrame([f.as_dict() for f in found.files])
                frame(read_.assign(generated=read_["generated"].map(fmt.iso_day)).rename(columns=fmt.headings(
                    "name", "generated", "version", "activities", "kept", name="files", version="iati_version",
                    activities="iati_activities_read", kept="activities")))
                notes = found.said()
                if found.duplicates:
                    notes.append(ngettext("{n} activity given twice was kept once (the copy updated last)",
                                          "{n} activities given twice were kept once (the copy updated last)",
                                          found.duplicates).format(n=found.duplicates))
                for note in notes:
                    st.info(md(note), icon=":material/info:")
                with st.form("iati_import"):
                    note = st.text_input(_("Note for the history of IATI sets"), max_chars=300,
                                         placeholder=_("e.g. d-portal download of 3 March 2026"))
                    if st.form_submit_button(_("Import"), type="primary", icon=":material/publish:"):
                        try:
                            version = publishing.import_iati(c.store, files, note=note.strip(), by=who, read=found)
                        except (StoreError, UserError) as exc:
                            st.error(md(str(exc)))
                            return
                        state["iati_nonce"] = state.get("iati_nonce", 0) + 1
                        for k in ("iati_key", "iati_found", "iati_refused"):
                            state.pop(k, None)
                        _flash("success", _("Imported IATI set {id}: {n} activities. The funding page now reads it.")
                               .format(id=version.id, n=version.manifest.get("about", {}).get("activities", 0)))
                        st.rerun()
    st.markdown(_("**IATI sets imported**"))
    if not head["versions"]:
        st.caption(_("None yet."))
        return
    zone = settings.get("SWGDASH_TIMEZONE")
    rows = [{"version": m["version"], "current": m["version"] == head["current"], "as_of": m["as_of"],
             "published": fmt.local_time(m.get("published_at"), zone), "by": fmt.publisher(m.get("published_by") or ""),
             "iati_activities": m.get("about", {}).get("activities"), "files": ", ".join(m.get("sources", [])),
             "note": _cell_text(m.get("note"))} for m in reversed(head["versions"])]
    table = pd.DataFrame(rows).rename(columns=fmt.headings("version", "current", "as_of", "published", "by",
                                                           "iati_activities", "files", "note",
                                                           iati_activities="activities", as_of="data_of",
                                                           published="imported"))
    frame(table, {fmt.heading("current"): st.column_config.CheckboxColumn(fmt.heading("current"))})


def iati_country() -> str:
    from swgdash.ingest.iati import country

    return country()


def browser_slot():
    """The place of the page's small scripts, always the same (the sidebar's foot), filled as the
    /upload run starts (a publish or sign-out disarms the leave guard at once) and again at its end
    (browser_side: the upload this run checked arms it). (Drawn inside the page, they moved the page's
    elements on the run after a sign-in: the browser drew the tabs anew, and a cleaned-up copy of the
    guard disarmed the new one.)"""
    slot = st.sidebar.empty()
    with slot.container():
        handoff.leave_guard(_armed(), key="leave_guard_early")
    return slot


def _armed() -> bool:
    state = st.session_state
    return bool(state.get("secretariat")) and bool(state.get("pub_armed"))


def browser_side(slot) -> None:
    """The slot filled again at the run's end: the cookie call after a sign-in or sign-out, the guard."""
    with slot.container():
        handoff.cookie_call(*(st.session_state.pop("pub_cookie", None) or ("", "")))
        handoff.leave_guard(_armed())


def show_preview(p: diff.Preview) -> None:
    if p.first:
        st.info(_("This will be the first version in the store."))
    cols = st.columns(4)
    cols[0].metric(_("As of"), shown(p.as_of_after.isoformat()),
                   None if p.as_of_before is None else _("was {isoformat}").format(isoformat=p.as_of_before.isoformat()),
                   delta_color="off", delta_arrow="off", border=True)
    cols[1].metric(_("Groups"), shown(int(p.rows.loc[p.rows["table"] == "groups", "after"].iloc[0])),
                   f"+{len(p.groups_added)} / −{len(p.groups_removed)}", delta_color="off",
                   delta_arrow="off", border=True)
    cols[2].metric(_("Meetings"), shown(int(p.rows.loc[p.rows["table"] == "meetings", "after"].iloc[0])),
                   f"+{len(p.meetings_added)} / −{len(p.meetings_removed)}", delta_color="off",
                   delta_arrow="off", border=True)
    cols[3].metric(_("Action statuses changed"), shown(len(p.status_changes)), border=True)
    if p.changes_nothing:
        st.warning(_("This extract is the same as the published version."))
    for rows, head, said in (
            (p.actions_replaced, "action_id", ngettext(
                "{n} action id now names another action (its recommendation changed, or its description no "
                "longer resembles the old one): check that this is meant. Its history will show it as "
                "replaced, not as a change of the old action.",
                "{n} action ids now name other actions (their recommendation changed, or their description no "
                "longer resembles the old one): check that this is meant. Their history will show them as "
                "replaced, not as changes of the old actions.", len(p.actions_replaced))),
            (p.groups_replaced, "group_id", ngettext(
                "{n} group id now names another group (its name and its parent both changed): check that this "
                "is meant. Its history will show it as replaced, not as a rename.",
                "{n} group ids now name other groups (their name and their parent both changed): check that "
                "this is meant. Their history will show them as replaced, not as renames.",
                len(p.groups_replaced)))):
        if rows.empty:
            continue
        lines = [_("- **{id}**: “{before}” → “{after}”").format(id=md(r[head]), before=md(r["before"]),
                                                               after=md(r["after"]))
                 for r in rows.head(10).to_dict("records")]
        more = _("… and {n} more in the list below.").format(n=len(rows) - 10) if len(rows) > 10 else ""
        st.warning("\n\n".join([said.format(n=len(rows)), "\n".join(lines), more]).strip(),
                   icon=":material/swap_horiz:")
    if p.tables_dropped:
        st.warning(_("These tables are in the published version but not in this extract, so "
                     "their pages will be empty: ") + ", ".join(p.tables_dropped) + ".")
    with st.expander(_("Rows per table, before and after"), expanded=False):
        st.dataframe(_headed(p.rows), hide_index=True, placeholder="—", width="stretch")
    for title, rows in ((_("Groups added"), p.groups_added), (_("Groups removed"), p.groups_removed),
                         (_("Groups renamed"), p.groups_renamed), (_("Meetings added"), p.meetings_added),
                         (_("Meetings removed"), p.meetings_removed), (_("Action status changes"), p.status_changes),
                         (_("Action ids reused"), p.actions_replaced), (_("Group ids reused"), p.groups_replaced)):
        if not rows.empty:
            with st.expander(f"{title} ({len(rows)})", expanded=title in (_("Groups removed"), _("Groups renamed"))):
                st.dataframe(_headed(rows), hide_index=True, placeholder="—", width="stretch")


@st.cache_data(show_spinner=False, max_entries=8)
def _version_xlsx(root: str, fingerprint: str, _version) -> bytes:
    """A version as the workbook it represents, built once per version (by what it holds)."""
    return excel.version_workbook({name: _version.read(name) for name in _version.tables}, _version.as_of)


def _cell_text(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def version_label(v, zone: str) -> str:
    """A version as the picker names it: its number, as-of date, publication and note."""
    note = fmt.recorded(v.manifest.get("note", "")).strip()
    note = note if len(note) <= 60 else note[:59] + "…"
    return _("version {id}: as of {as_of}, published {published}").format(
        id=v.id, as_of=v.manifest["as_of"], published=local_time(v.manifest["published_at"], zone)) + (
        f" · {note}" if note else "")


def history(c: Context, who: str | None) -> None:
    zone = settings.get("SWGDASH_TIMEZONE")
    try:
        versions, current = c.store.versions(), c.store.current()
    except HeadUnreadable:  # (the banner says so) the history as the version folders have it
        versions, current = c.store.versions_on_disk(), None
    damaged = set(c.damaged) - {c.version.id}
    rows = [{
        "version": v.id, "current": current is not None and v.id == current.id,
        "state": _("damaged") if v.id in damaged else _("shown") if v.id == c.version.id else "",
        "published": local_time(v.manifest["published_at"], zone), _("as of"): v.manifest["as_of"],
        "note": fmt.recorded(v.manifest.get("note", "")), "by": fmt.publisher(v.manifest.get("published_by", "")),
        "files": ", ".join(fmt.recorded(s) for s in v.manifest.get("sources", [])),
        "rows": ", ".join(f"{n} {t['rows']}" for n, t in v.manifest["tables"].items()),
    } for v in reversed(versions)]
    if not c.damage:
        for row in rows:
            del row["state"]
    table = pd.DataFrame(rows).rename(columns=fmt.headings("version", "current", "state", "published", "note", "by",
                                                           "files", "rows"))
    frame(table, {fmt.heading("current"): st.column_config.CheckboxColumn(fmt.heading("current"))})
    st.download_button(_("Download the version history (CSV)"), csv_bytes(table),
                       file_name="version_history.csv", mime="text/csv", icon=":material/download:")
    if not who or not versions:
        return
    if current is None and c.damage:  # HEAD.json cannot be read: nothing can be published until it is rebuilt
        st.warning(_("HEAD.json, which names the current version, cannot be read: rebuild it "
                     "from the version folders before rolling back or publishing (the "
                     "unreadable file is kept beside it)."),
                   icon=":material/build:")
        if st.button(_("Rebuild HEAD.json from the version folders"), icon=":material/build:"):
            head = c.store.repair_head()
            _flash("success", _("HEAD.json was rebuilt: version {current} is current.").format(current=head['current']))
            st.rerun()
    by_id = {v.id: v for v in versions}
    ids = [v.id for v in reversed(versions)]
    pick = st.selectbox(_("Version"), ids, key="hist_pick", index=ids.index(c.version.id) if c.version.id in ids else 0,
                        format_func=lambda i: version_label(by_id[i], zone)
                        + (_(" (current)") if current and i == current.id else "")
                        + (_(" (damaged)") if i in damaged or (current and i == current.id and c.damage) else ""))
    chosen = by_id[pick]
    problems = c.store.check(chosen) if c.damage else []  # (checksums only when the store is known damaged)
    left, right = st.columns(2)
    with left:
        if problems:
            st.error(_("Version {pick} is damaged: {problems}. It cannot be downloaded or "
                       "shown again.").format(pick=pick, problems=md('; '.join(problems))),
                     icon=":material/report:")
        else:
            st.download_button(_("Download version {pick} as .xlsx").format(pick=pick),
                               _version_xlsx(str(c.store.root), chosen.fingerprint, chosen),
                               file_name=f"swg_extract_version_{pick}.xlsx", icon=":material/download:",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            st.caption(_("The workbook re-uploads as it is; edit it to prepare the next update."))
    with right:
        if pick != (current.id if current else None) and not problems:
            with st.form("rollback"):
                why = st.text_input(_("Why (for the version history)"), max_chars=300, key="rollback_note",
                                    placeholder=_("e.g. the October upload had the wrong meetings "
                                                  "sheet"))
                sure = st.checkbox(_("Show version {pick} to the committee again").format(pick=pick))
                if st.form_submit_button(_("Roll back to version {pick}").format(pick=pick), icon=":material/history:"):
                    if not why.strip():
                        st.error(_("Write a short note saying why."))
                    elif not sure:
                        st.error(_("Tick the box to confirm."))
                    else:
                        try:
                            v = publishing.rollback(c.store, pick, by=who,
                                                    note=f"rollback to version {pick}: {why.strip()}")  # (in English: fmt.recorded)
                        except StoreError as exc:
                            st.error(str(exc))
                        else:
                            _flash("success", _("Version {pick} is shown again, as version {id}. "
                                                "Nothing was deleted: every version stays in the "
                                                "history.").format(pick=pick, id=v.id))
                            st.rerun()
    st.markdown(_("**Audit log** — publishes, rollbacks, refused extracts and sign-ins"))
    st.caption(_("The last {n} entries, newest first.").format(n=AUDIT_SHOWN))
    try:
        audit = pd.DataFrame(list(reversed(c.store.audit(last=AUDIT_SHOWN))))
    except StoreError as exc:
        st.warning(_("The audit log cannot be read now: {reason}").format(reason=exc), icon=":material/error:")
        return
    if audit.empty:
        st.caption(_("Nothing yet."))
    else:
        audit["time"] = [local_time(t, zone) for t in audit["time"]]
        audit["sources"] = audit.get("sources", pd.Series(dtype=object)).map(
            lambda v: ", ".join(v) if isinstance(v, list) else v)
        audit = audit.map(_cell_text)  # empty cells blank, not "None"; version 3, not 3.0
        st.caption(_("Times in {zone}.").format(zone=md(zone)))
        st.dataframe(_headed(audit), hide_index=True, placeholder="—", width="stretch")
        st.download_button(_("Download the audit log (CSV)"), csv_bytes(_headed(audit)), file_name="audit_log.csv",
                           mime="text/csv", icon=":material/download:")


@st.cache_data(show_spinner=False)
def _templates() -> tuple[bytes, bytes]:
    """The blank templates depend only on the contract: built once per server."""
    return excel.template_xlsx(), excel.template_csv_zip()


def templates(c: Context, who: str | None) -> None:
    st.markdown(_("Start from the blank template: one sheet (or CSV file) per table, with the "
                  "column names. In the workbook, a first sheet (*read me*) explains each sheet in "
                  "English and Lao, coded and yes/no columns offer drop-down lists, and each column's "
                  "header carries a note with its rules. The full description is in the extract "
                  "format guide (docs/extract-format.md)."))
    a, b, d = st.columns(3)
    blank_xlsx, blank_zip = _templates()
    a.download_button(_("Blank template (.xlsx)"), blank_xlsx, file_name="swg_extract_template.xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      icon=":material/table_view:")
    b.download_button(_("Blank template (CSV files, .zip)"), blank_zip,
                      file_name="swg_extract_template_csv.zip", mime="application/zip", icon=":material/folder_zip:")
    if who:
        current = c.version  # the one the pages show
        d.download_button(_("Current data (.xlsx)"), _version_xlsx(str(c.store.root), current.fingerprint, current),
                          file_name=f"swg_extract_version_{current.id}.xlsx", icon=":material/download:",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          help=_("The published data, ready to edit and upload again."))
