"""Errors that are the user's to fix: shown as one clear line, never as a stack trace."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in input or configuration that the user can correct."""


class MissingRecordError(LookupError):
    """A row that the work at hand relies on is gone, e.g. deleted while a run was under way."""
