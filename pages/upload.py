"""/upload — the secretariat publishes updated extracts; everyone sees the history."""
import streamlit as st

from swgdash import publish_ui, ui

c = ui.header("Publish data", "The secretariat's page: check an updated extract, see what it changes, "
              "publish it. Every version is kept; any can be shown again.", scope=False)
publish_ui.show_flash()
who = publish_ui.gate(c)
if who:
    publish, hist, tmpl = st.tabs(["Publish an update", "Version history", "Templates and current data"])
    with publish:
        publish_ui.upload(c, who)
    with hist:
        publish_ui.history(c, who)
    with tmpl:
        publish_ui.templates(c, who)
else:
    st.subheader("Version history")
    publish_ui.history(c, None)
    st.subheader("Templates")
    publish_ui.templates(c, None)
