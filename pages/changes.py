"""/changes — what changed between two published versions, and how the groups fared over the years."""
import streamlit as st

from swgdash import settings, site
from swgdash.app import changes, widgets as ui
from swgdash.i18n import _
from swgdash.present import charts, sentences
from swgdash.query import metrics

c = ui.header("changes", scope=False)
choice = changes.choose(c)
if choice is not None and (ch := changes.compare(c, choice)) is not None:
    changes.headline(c, ch, choice.since)
    changes.scope(c, ch)
    changes.lists(c, ch, changes.status_histories(c))

st.header(_("Over the years"))
for caveat in c.q(sentences.as_of_caveats, published=c.version.as_of):  # (a date after the data, or before them)
    st.info(caveat, icon=":material/event_busy:")
every = st.segmented_control(_("Points"), list(metrics.PERIODS), default=site.TREND_OPEN["every"], required=True,
                             key="ch_every",
                             format_func=lambda e: {"month": _("Month ends"), "quarter": _("Quarter ends"),
                                                    "year": _("Year ends")}[e])
trend = c.q(metrics.trend, every=every)
marks = charts.review_marks(settings.review_date())
ui.chart(c, charts.activity_trend(trend, every, marks), changes.trend_caption(c, trend))
ui.chart(c, charts.meetings_trend(trend, every, marks),
         _("Each point counts the meetings of the groups counting at that date in the 12 months before it: a "
           "fall means the groups met less often."))
