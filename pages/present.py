"""/present — the committee's story as a slide show, and the briefing pack."""
import streamlit as st

from swgdash import present_ui, ui

st.set_page_config(initial_sidebar_state="collapsed")  # the filters stay one click away
c = ui.ctx()
present_ui.demo_badge(c)
all_slides = present_ui.deck_slides(c)
i = present_ui.current_slide(len(all_slides))
present_ui.controls(i, len(all_slides))
present_ui.show(all_slides[i - 1])
present_ui.briefing_pack(c)
