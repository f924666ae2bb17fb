"""Reading a served form the way a browser would submit it: for the demo's owners and the tests."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        name = attributes.get("name", "")
        kind = attributes.get("type", "text")
        chosen = kind in ("text", "hidden") or (kind == "radio" and "checked" in attributes)
        if tag == "input" and chosen:
            self.values[name] = attributes.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.values[self._textarea] += data


def form_values(html: str) -> dict[str, str]:
    """Every field's current value (no button), as a browser would send it."""
    reader = _FormReader()
    reader.feed(html)
    return reader.values
