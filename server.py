"""What `make run` starts: the dashboard (dashboard.py, its navigation and pages) behind the app's
own HTTP guard (swgdash/app/guard.py: uploads only from a signed-in secretariat session and under a
ceiling, the sign-in cookie's routes, Streamlit's metrics for this machine only).

    streamlit run server.py

Streamlit finds `app` here and serves it (st.App). `streamlit run dashboard.py` still works, without
the guard: use it only on a machine nobody else can reach.
"""
import streamlit as st

from swgdash.app import context, guard

app = st.App("dashboard.py", routes=guard.routes(), middleware=guard.middleware())
context.start_early()  # a new store's demo published while the first browser loads the page
