"""/upload — the secretariat publishes updated extracts; everyone sees the history."""
import streamlit as st

from swgdash.app import publish
from swgdash.app import widgets as ui

c = ui.header("upload", scope=False)
publish.show_flash()
who = publish.gate(c)
if who:
    to_publish, hist, tmpl = st.tabs(["Publish an update", "Version history", "Templates and current data"])
    with to_publish:
        publish.upload(c, who)
    with hist:
        publish.history(c, who)
    with tmpl:
        publish.templates(c, who)
else:
    st.subheader("Version history")
    publish.history(c, None)
    st.subheader("Templates")
    publish.templates(c, None)
