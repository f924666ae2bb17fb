"""Prefect flows and the plain work they orchestrate."""
