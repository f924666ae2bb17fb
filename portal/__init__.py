"""The owners' web form: an ASGI app built by `portal.app.create_app()`."""
