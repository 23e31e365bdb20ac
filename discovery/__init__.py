"""Tessera's engine, Qt-free: sources, sync, graph and PageRank, ranking, like prediction, command line."""
