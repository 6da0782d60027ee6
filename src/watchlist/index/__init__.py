"""Candidate retrieval: an inverted index over every listed name (`retrieval`), its tables and the file
workers map read-only (`storage`, `mapfile`)."""
