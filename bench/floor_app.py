"""The floor: what Streamlit and Plotly cost a browser with nothing of ours. The same eleven
pages (addresses and headings as the app's), each only its heading and, where the app draws
charts, one chart of ten bars. `bench/browser.py load … floor` runs the load run against it,
to tell what the machine's browsers can do from what the app's pages ask of them.

    streamlit run bench/floor_app.py
"""
import plotly.graph_objects as go
import streamlit as st

from browser import NO_CHARTS, PAGES

st.set_page_config(page_title="Floor", layout="wide")


def page(path: str, title: str | None):
    def run():
        if title is None:  # /present: the load run knows it by its slide controls
            st.title("Slide 1")
            st.button("Next slide")
            return
        st.title(title)
        if path not in NO_CHARTS:
            fig = go.Figure(go.Bar(x=list("abcdefghij"), y=list(range(1, 11))))
            fig.update_layout(title="Ten bars", xaxis_title="Letter", yaxis_title="Count", height=350)
            st.plotly_chart(fig, theme=None)

    run.__name__ = "page_" + (path.strip("/") or "overview")  # each page its own name
    return run


st.navigation([st.Page(page(p, t), title=t or "Presentation mode", url_path=p.strip("/") or None,
                       default=p == "/") for p, t in PAGES.items()]).run()
