"""What a browser would post back from an admin change form: every named field of the page's form as rendered
(inputs, checked boxes, selected options, text areas), inline management forms included. Tests change a few
values and post the rest as they came, so they exercise the admin as an organizer does."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_multiple = False
        self._select_values: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._in_form = False

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self._add(name, attributes.get("value") or "on")
                return
            self._add(name, attributes.get("value") or "")
        elif tag == "select" and name:
            self._select, self._select_multiple = name, "multiple" in attributes
            self._select_values, self._first_option = [], None
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attributes:
                self._select_values.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        if tag == "select" and self._select is not None:
            values = self._select_values
            if not values and not self._select_multiple and self._first_option is not None:
                values = [self._first_option]
            for value in values:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def admin_form_data(html: str) -> dict[str, list[str] | str]:
    """The admin form's fields of a rendered change (or add) page, ready for ``client.post``."""
    parser = _FormFields()
    parser.feed(html)
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
