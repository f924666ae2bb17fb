"""The owners' web form and their calendar feeds: an ASGI app built by `portal.app.create_app()`."""
