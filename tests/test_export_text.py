"""The export's text: the encoding repair, and keys in other languages matched by variant or position."""

from __future__ import annotations

import json

import pytest
from export_helpers import OWNER, copy_layout, mojibake, write

from discovery.export import read_export, repair_text

# --- text: encoding repair and translated keys ------------------------------------------------------------


@pytest.mark.parametrize("text", ["café", "Zoë Ówner", "👍", "☕ #coffee", "日本語のキャプション",
                                  "Ålborg 🇩🇰", "plain ascii", ""])
def test_mojibake_is_repaired(text):
    assert repair_text(mojibake(text)) == text
    assert repair_text(text) == text  # text that is already right stays so


def test_repair_is_per_string_and_never_raises():
    assert repair_text("naïve") == "naïve"  # Latin-1 text that is not UTF-8 bytes: kept
    assert repair_text("\u00f0\u009f\u0091\u008d") == "👍"
    assert repair_text("\ud800 lone surrogate") == "\ufffd lone surrogate"


def test_translated_keys_are_matched_by_variant_or_position(tmp_path):
    """A Danish account's export: "Gemt den", "Brugernavn", "Ejer", "Billedtekst"; and labels in a language
    Tessera has no variants for, matched by position."""
    path = copy_layout("layout_2025", tmp_path / "export")
    write(path / "personal_information/personal_information/personal_information.json", {"profile_user": [{
        "string_map_data": {"E-mail": {"value": "x@example.com"}, "Brugernavn": {"value": OWNER},
                            "Navn": {"value": mojibake("Søren Ejer")}}}]})
    saved = json.loads((path / "your_instagram_activity/saved/saved_posts.json").read_text())
    for block in saved[0]["label_values"]:
        danish = {"URL": "Webadresse", "Caption": "Billedtekst", "Title": "Titel"}
        block["label"] = danish.get(block.get("label"))
        if block.get("title") == "Owner":
            block["title"] = "Ejer"
            for item in block["dict"][0]["dict"]:
                item["label"] = {"URL": "Webadresse", "Name": "Navn", "Username": "Brugernavn"}[item["label"]]
    write(path / "your_instagram_activity/saved/saved_posts.json", saved)
    liked = json.loads((path / "your_instagram_activity/likes/liked_posts.json").read_text())
    for entry in liked:  # an unknown language: every label and title replaced
        for i, block in enumerate(entry["label_values"]):
            if "label" in block:
                block["label"] = f"Q{i}"
            else:
                block["title"] = f"T{i}"
                for row in block["dict"]:
                    for j, item in enumerate(row["dict"]):
                        item["label"] = f"L{j}"
    write(path / "your_instagram_activity/likes/liked_posts.json", liked)

    data = read_export(path)
    assert (data.username, data.full_name) == (OWNER, "Søren Ejer")
    assert [(p.owner, p.shortcode, p.caption, p.owner_name) for p in data.saved] == [
        ("cy.sample", "DTEST000003", "saved reel #bouldering", "Cy Sample")]
    assert [(p.owner, p.shortcode, p.caption) for p in data.liked] == [
        ("ada.sample", "DTEST000001", "crêpe time ☕ #brunch #sunday"),
        ("bo_sample", "DTEST000002", "nothing tagged")]
    assert data.liked[0].hashtags == ("brunch", "sunday")


def test_a_translated_saved_on_key_is_matched_by_position(tmp_path):
    path = copy_layout("layout_2023", tmp_path / "export")
    file = path / "your_instagram_activity/saved/saved_posts.json"
    file.write_text(file.read_text().replace('"Saved on"', '"Gemt den"'))
    data = read_export(path)
    assert [(p.owner, p.shortcode, p.at) for p in data.saved] == [("bo_sample", "CTEST000005", 1703100000)]
