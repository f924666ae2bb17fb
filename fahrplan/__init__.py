"""Digitalfahrplan: follow-up of a municipal digital strategy."""
