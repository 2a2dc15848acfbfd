"""What a Kazakh or Russian page must not show a person: codes, logins, ISO dates, English words.

Shared by the page-wide test (every page of every role through the test client) and the phone
test (the same pages in a browser). The text checked is what a reader sees: text nodes and the
labels of options, never attributes, scripts or form values a person typed.
"""

import re
from html.parser import HTMLParser

# Latin words a Kazakh or Russian page may show: names of formats, standards and the product.
ALLOWED_LATIN = {
    "kelisim",
    "pdf",
    "docx",
    "xlsx",
    "csv",
    "xlsform",
    "xls",
    "odk",
    "collect",
    "openrosa",
    "open311",
    "georeport",
    "api",
    "openapi",
    "kato",
    "ical",
    "icalendar",
    "ics",
    "url",
    "json",
    "xml",
    "html",
    "svg",
    "png",
    "jpeg",
    "jpg",
    "token",
    "totp",
    "qr",
    "sms",
    "email",
    "e-mail",
    "id",
    "kobotoolbox",
    "webcal",
    "xform",
    "tab",
    "enter",
    "samsung",
    "utc",
    "gmt",
}
LATIN_WORD = re.compile(r"(?<![\w@./{-])[A-Za-z][A-Za-z_]{2,}(?:[._][A-Za-z]+)*(?![\w@/-])")
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
SKIPPED = {"script", "style", "template", "code", "kbd", "pre", "textarea", "noscript", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_tag = ""
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        if self._skip_tag:
            self._depth += tag == self._skip_tag
            return
        # Text marked as another language (the English name of a department, the language
        # switch's "English") is that language on purpose; hidden text is not seen.
        other_language = dict(attrs).get("lang") not in (None, "kk", "ru")
        if tag in SKIPPED or other_language or ("hidden", None) in attrs:
            self._skip_tag, self._depth = tag, 1
        elif tag in {"p", "div", "li", "tr", "td", "th", "option", "h1", "h2", "h3", "dd", "dt"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._skip_tag:
            self._depth -= 1
            if not self._depth:
                self._skip_tag = ""

    def handle_data(self, data: str) -> None:
        if not self._skip_tag:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def raw_values(text: str, logins: set[str]) -> list[str]:
    """The offending words of a Kazakh or Russian page's visible text, each with a little context."""
    found: list[str] = []

    def note(match: re.Match[str], why: str) -> None:
        start, end = max(match.start() - 30, 0), match.end() + 30
        found.append(f"{why} {match.group(0)!r} in …{text[start:end]}…")

    for match in ISO_DATE.finditer(text):
        note(match, "ISO date")
    for match in LATIN_WORD.finditer(text):
        word = match.group(0)
        if word.lower() in ALLOWED_LATIN or (word.isupper() and "_" not in word):
            continue  # a format, a standard, or a name written in capitals (AMANAT, ODK)
        note(match, "login" if word in logins else "Latin word")
    return found
