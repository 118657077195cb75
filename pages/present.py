"""/present — the committee's story as a slide show, and the briefing pack."""

from swgdash.app import context, present, widgets as ui

c = context.context()
ui.damage_banner(c)
present.demo_badge(c)
all_slides = present.deck_slides(c)
i = present.current_slide(len(all_slides))
present.controls(i, len(all_slides))
present.show(all_slides[i - 1])
present.briefing_pack(c)
