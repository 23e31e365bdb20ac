"""A chart saved on its own carries its reading under it: every line inside the picture, however wide the
words (the hashtag groups' reading names long hashtags)."""

from __future__ import annotations

import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg

from discovery.insights.drawing import ChartStyle, draw_chart, save_png
from discovery.insights.engagement import Chart


def test_a_long_reading_wraps_inside_the_picture(tmp_path):
    tags = ["#ploverdarkroomsupply #filmcamera #35mmfilmphotography", "#mmmmmmmmmmmmm #wwwwwwwwwwwwwww #recipe"]
    reading = (f"Posts tagged like {tags[1]} earn 1.4× the engagement of posts tagged like {tags[0]} here, "
               "WWWWWWWW MMMMMMMM WWWWWWWW MMMMMMMM WWWWWWWW MMMMMMMM WWWWWWWW.")
    frame = pd.DataFrame({"group": [0, 1], "typical_lift": [1.4, 0.9], "label": tags, "posts": [120, 80]})
    chart = Chart("hashtag_communities", "Hashtag groups and their engagement", reading, frame)
    figure = draw_chart(chart, ChartStyle.light(), with_reading=True)
    save_png(figure, tmp_path / "chart.png")  # lays the figure out
    picture = figure.bbox
    texts = [t for t in figure.texts if "earn 1.4×" in t.get_text()]
    assert len(texts) == 1 and texts[0].get_text().count("\n") >= 1
    renderer = RendererAgg(int(picture.width), int(picture.height), figure.dpi)  # the one save_png draws with
    extent = texts[0].get_window_extent(renderer)
    assert picture.x0 <= extent.x0 and extent.x1 <= picture.x1 and picture.y0 <= extent.y0
    axes = figure.axes[0].get_tightbbox(renderer)
    everything = figure.get_tightbbox(renderer).transformed(figure.dpi_scale_trans)  # inches to pixels
    assert picture.x0 - 1 <= everything.x0 and everything.x1 <= picture.x1 + 1  # title and labels fit too
    assert extent.y1 <= axes.y0 + 2  # under the chart, not over its axis labels
