"""Uploads are judged by their content, not their name: the first bytes say what a file is."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


_SIGNATURES: list[tuple[bytes, Kind]] = [
    (b"\xff\xd8\xff", Kind("image/jpeg", (".jpg", ".jpeg"))),
    (b"\x89PNG\r\n\x1a\n", Kind("image/png", (".png",))),
    (b"%PDF-", Kind("application/pdf", (".pdf",))),
]
_ZIP = b"PK\x03\x04"
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(upload: UploadedFile, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The file's real content type, or a ValidationError naming what is wrong with it."""
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(max_bytes)}
        )
    head = upload.read(8)
    upload.seek(0)
    name = (upload.name or "").lower()
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind.content_type
    if head.startswith(_ZIP):
        for extension, content_type in _OFFICE.items():
            if name.endswith(extension) and _zip_holds(upload, "word/" if extension == ".docx" else "xl/"):
                return content_type
    raise ValidationError(
        _("This type of file is not accepted: send a photo (JPEG, PNG), a PDF, DOCX or XLSX.")
    )


def _zip_holds(upload: UploadedFile, prefix: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive:
            return any(n.startswith(prefix) for n in archive.namelist())
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)
