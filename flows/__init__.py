"""Prefect flows: orchestration and side effects; the logic they call is plain Python."""
