"""The press-release reader that `kelisim.core.sandbox` runs in its limited child process: the
file's bytes in, the text out. No Django here: the child has no settings and no database."""

from kelisim.text.extract.reading import read_bytes


def document_text(content: bytes) -> str:
    """The text of a press release sent as .docx (or .txt)."""
    return read_bytes(content)
