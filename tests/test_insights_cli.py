"""`python -m discovery insights --out DIR` on the small demo world: every chart as PNG and CSV."""

from __future__ import annotations

import pandas as pd

from discovery import cli

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_insights_writes_every_chart_as_png_and_csv(demo_data_dir, tmp_path, capsys):
    out = tmp_path / "insights"
    code = cli.main(["insights", "--data-dir", str(demo_data_dir), "--world", "demo", "--out", str(out),
                     "--tz", "UTC", "--max-nodes", "120"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "network: 120 accounts" in printed
    pictures = sorted(out.glob("*.png"))
    assert {p.stem for p in pictures} >= {"network", "likes_distribution", "followers_distribution",
                                          "likes_vs_comments", "engagement_rate_vs_followers",
                                          "engagement_by_media_type", "engagement_by_hashtag_count",
                                          "engagement_by_hour", "engagement_by_weekday", "hashtag_communities",
                                          "top_posts"}
    for picture in pictures:
        data = picture.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000, picture.name
        if picture.stem != "network":
            frame = pd.read_csv(out / f"{picture.stem}.csv")
            assert len(frame) > 0 and len(frame.columns) >= 2, picture.name
    nodes = pd.read_csv(out / "network_nodes.csv")
    assert len(nodes) == 120 and nodes["is_me"].sum() == 1
    assert len(pd.read_csv(out / "network_edges.csv")) > 0
    readings = (out / "readings.txt").read_text(encoding="utf-8").splitlines()
    assert len(readings) == len(pictures) - 1 and all(": " in line for line in readings)


def test_insights_refuses_a_file_as_the_output_directory(demo_data_dir, tmp_path, capsys):
    target = tmp_path / "taken.txt"
    target.write_text("keep me")
    code = cli.main(["insights", "--data-dir", str(demo_data_dir), "--world", "demo", "--out", str(target)])
    assert code == 1
    assert "is a file; --out needs a directory" in capsys.readouterr().err
    assert target.read_text() == "keep me"


def test_insights_on_an_unknown_world_says_which_exist(demo_data_dir, tmp_path, capsys):
    code = cli.main(["insights", "--data-dir", str(demo_data_dir), "--world", "nope", "--out", str(tmp_path / "o")])
    assert code == 1
    assert "there is no world named 'nope'" in capsys.readouterr().err
