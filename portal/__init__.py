"""The owners' web form and the calendar feeds, served as one ASGI app."""
