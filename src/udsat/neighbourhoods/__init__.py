"""Bespoke neighbourhoods: the k nearest residents around every inhabited 100 m cell."""
