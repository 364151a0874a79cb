"""Importers of real data into the data contract: DST register extracts (`udsat import dst`)."""
