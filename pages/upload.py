"""/upload — the secretariat publishes updated extracts; everyone sees the history."""
import streamlit as st

from swgdash.app import upload as publish, widgets as ui
from swgdash.i18n import _

c = ui.header("upload", scope=False)
scripts = publish.browser_slot()
publish.show_flash()
who = publish.gate(c)
if who:
    to_publish, hist, tmpl, iati = st.tabs([_("Publish an update"), _("Version history"), _("Templates and current data"),
                                            _("Partners' IATI data")])
    with to_publish:
        publish.upload(c, who)
    with hist:
        publish.history(c, who)
    with tmpl:
        publish.templates(c, who)
    with iati:
        publish.iati(c, who)
else:
    st.header(_("Version history"))
    publish.history(c, None)
    st.header(_("Templates"))
    publish.templates(c, None)
    st.header(_("Partners' IATI data"))
    publish.iati(c, None)
publish.browser_side(scripts)
