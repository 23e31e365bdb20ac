"""The Insights tab: the page (`page.py`) and its map of the person's network (`network_map.py`)."""
