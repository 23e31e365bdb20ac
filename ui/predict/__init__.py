"""The Predict tab: the page (`page.py`) and its two painted figures (`charts.py`)."""
