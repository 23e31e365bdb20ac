"""Tessera's window: Qt widgets, models and delegates over the engine in `discovery`."""
