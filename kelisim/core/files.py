"""Uploads: judged by their content, not their name; archives measured before they are opened;
kept, while they wait for the worker, in a private folder, readable by Kelisim's user only.

- `sniff`: the first bytes say what a file is.
- `check_archive`: a zip (XLSX, DOCX) is measured from its table of contents (number of members,
  unpacked size, compression ratio) before any member is unpacked: a zip bomb is refused unopened.
  Python's zipfile never unpacks more than a member's declared size, so the declared sizes bound
  what a parser can receive.
- `write_private`, `store_waiting`: files holding personal data are created 0600 in 0700 folders,
  whatever the umask.
- `expire_waiting`: uploads waiting for an import that never came are deleted after an hour, at the
  next upload and by `kelisim expire_previews` (docs/security.md).
"""

import io
import json
import os
import re
import secrets
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MB = 1024 * 1024


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
        check_archive(upload)
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


# --------------------------------------------------------------------------------------------------
# Archives


@dataclass(frozen=True)
class ZipLimits:
    """What an uploaded archive may hold. A real XLSX of 100,000 appeals unpacks to about 180 MB at
    a ratio of 16; the pen test's bomb unpacked 433 KB to 147 MB (a ratio of 340)."""

    max_members: int = 1000
    max_unpacked: int = 64 * MB
    max_ratio: int = 100
    # Small members may compress very well (an empty sheet, a style table): only larger ones count.
    ratio_from: int = 1 * MB


def check_archive(source: bytes | IO[bytes] | UploadedFile, *, limits: ZipLimits = ZipLimits()) -> None:
    """Refuse (ValidationError) an archive that holds too many members, unpacks to too much, or
    packs a member more tightly than real office files do; nothing is unpacked to decide."""
    stream: Any = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    position = stream.tell() if hasattr(stream, "tell") else 0
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(_("The file is not a readable XLSX or DOCX document.")) from error
    finally:
        stream.seek(position)
    for member in members:
        if member.file_size >= limits.ratio_from and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise ValidationError(
                _(
                    "The file is refused: one of its parts unpacks %(ratio)d times larger than it is "
                    "packed, which real documents never do. It looks like a zip bomb."
                )
                % {"ratio": member.file_size // max(member.compress_size, 1)}
            )
    if len(members) > limits.max_members:
        raise ValidationError(
            _("The file is refused: it holds %(count)d parts, more than the %(limit)d allowed.")
            % {"count": len(members), "limit": limits.max_members}
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked:
        raise ValidationError(
            _("The file is refused: it unpacks to %(size)s, more than the %(limit)s allowed.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limits.max_unpacked)}
        )


def parse_refusal(error: Any, *, unreadable: str) -> ValidationError:
    """The person's message for a parser stopped in the sandbox (core.sandbox.SandboxError)."""
    if error.code == "memory":
        return ValidationError(
            _(
                "The file is refused: reading it needs more memory than is allowed. Split it into smaller files."
            )
        )
    if error.code == "time":
        return ValidationError(
            _("The file is refused: reading it takes longer than is allowed. Split it into smaller files.")
        )
    return ValidationError(unreadable)


# --------------------------------------------------------------------------------------------------
# Private files

WAITING_HOURS = 1  # as long as an import preview's signed token (appeals.views) is valid
_WAITING_NAME = re.compile(r"^[0-9a-f]{32}\.(xlsx|csv|docx|txt|xlsform|bin)$")


def private_dir(*parts: str) -> Path:
    """A folder under MEDIA_ROOT that only Kelisim's user may enter (0700), made if missing."""
    folder = Path(settings.MEDIA_ROOT).joinpath(*parts)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)  # an older installation made it 0755
    return folder


def write_private(path: Path | str, data: bytes) -> Path:
    """Write `data` to `path` as a file only its owner may read (0600), replacing any old file.

    Written beside the target and renamed into place, so that no reader ever sees half a file
    and an old file's wider mode does not carry over.
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def waiting_dir() -> Path:
    """Where uploads wait for the worker, and import previews for their commit."""
    return private_dir("imports")


def store_waiting(content: bytes, *, suffix: str, extra: dict[str, Any] | None = None) -> str:
    """Keep an upload for the worker (0600); `extra` holds the form's other fields (names typed by
    the person), which a job's parameters may not. Returns the name to give the job."""
    expire_waiting()
    name = f"{secrets.token_hex(16)}.{suffix}"
    folder = waiting_dir()
    write_private(folder / name, content)
    if extra is not None:
        write_private(folder / f"{name}.json", json.dumps(extra, ensure_ascii=False).encode())
    return name


def waiting_path(name: str) -> Path:
    """The stored upload of that name; a name of any other shape (a path, a trick) is refused."""
    if not _WAITING_NAME.match(name):
        raise FileNotFoundError(name)
    return waiting_dir() / name


def waiting_extra(name: str) -> dict[str, Any]:
    path = waiting_path(name).with_name(f"{name}.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def discard_waiting(name: str) -> None:
    try:
        path = waiting_path(name)
    except FileNotFoundError:
        return
    for leftover in path.parent.glob(f"{name}*"):
        leftover.unlink(missing_ok=True)


def expire_waiting(*, hours: float = WAITING_HOURS, keep: set[str] | None = None) -> int:
    """Delete waiting uploads and previews older than `hours`, except those named in `keep` (the
    files of jobs still queued or running). Returns how many files went."""
    from .models import Job

    if keep is None:
        running = Job.objects.exclude(status__in=[Job.Status.DONE, Job.Status.FAILED])
        keep = {str(params.get("file", "")) for params in running.values_list("params", flat=True)}
    folder = waiting_dir()
    limit = time.time() - hours * 3600
    removed = 0
    for path in folder.iterdir():
        if not path.is_file() or path.name.split(".json")[0].split(".preview")[0] in keep:
            continue
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # another process took it meanwhile
    return removed
