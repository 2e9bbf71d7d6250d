"""Uploaded files: checked by content, stored outside the static path, served through views.

Files are stored in the default storage (the file system under MEDIA_ROOT, or a private S3
bucket) with a random name; there is no public URL for them. A view that has checked access
returns :func:`serve_protected`. Everything here goes through the storage API (open, save,
listdir, size, delete), never a local path, so it works the same with either storage.
"""

import contextlib
import mimetypes
import re
import uuid
from pathlib import PurePath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talentstation.clients import UNKNOWN, ClientFormMixin
from talentstation.dates import today
from talentstation.forms_base import strip_invisible

KINDS = {
    "pdf": ("application/pdf", ".pdf", "PDF"),
    "jpg": ("image/jpeg", ".jpg", "JPG"),
    "png": ("image/png", ".png", "PNG"),
}
EXTENSIONS = {".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpg", ".png": "png"}
DEFAULT_KINDS = ("pdf", "jpg", "png")


def detect_kind(fileobj):
    """The kind ("pdf", "jpg", "png") read from the file's first bytes, or None."""
    pos = fileobj.tell() if hasattr(fileobj, "tell") else 0
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(pos)
    guess = filetype.guess(head)
    if guess is None:
        return None
    for kind, (mime, _ext, _label) in KINDS.items():
        if guess.mime == mime:
            return kind
    return None


def validate_upload(fileobj, *, kinds=DEFAULT_KINDS, max_bytes):
    """Check size, content type and that the extension agrees with the content.

    Returns the detected kind; raises ValidationError with a message for the user.
    """
    labels = "、".join(KINDS[k][2] for k in kinds)
    if fileobj.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(fileobj.size), "limit": filesizeformat(max_bytes)},
        )
    if fileobj.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = detect_kind(fileobj)
    if kind not in kinds:
        raise ValidationError(
            _("Only %(kinds)s files are accepted; the content of this file is not one of them."),
            code="type",
            params={"kinds": labels},
        )
    ext = PurePath(fileobj.name or "").suffix.lower()
    if EXTENSIONS.get(ext) != kind:
        raise ValidationError(
            _("The file name ends in “%(ext)s” but its content is %(kind)s; rename or re-save it."),
            code="extension",
            params={"ext": ext or "—", "kind": KINDS[kind][2]},
        )
    return kind


class UploadField(forms.FileField):
    """A form file field checked by :func:`validate_upload` against the current policy limit."""

    def __init__(self, *args, kinds=DEFAULT_KINDS, max_bytes=None, **kwargs):
        self.kinds = kinds
        # None: the limit of the current policy settings (a call's forms pass its pinned one).
        self.max_bytes = max_bytes
        super().__init__(*args, **kwargs)
        accept = ",".join([KINDS[k][0] for k in kinds] + [KINDS[k][1] for k in kinds])
        self.widget.attrs.setdefault("accept", accept)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "size") and value is not initial:
            from talentstation.models import PolicyVersion

            max_bytes = self.max_bytes or PolicyVersion.current().upload_max_bytes
            validate_upload(value, kinds=self.kinds, max_bytes=max_bytes)
            value.name = clean_filename(value.name)
        return value


# Characters Windows does not allow in file names, and path separators.
_RESERVED = re.compile(r'[\\/:*?"<>|]')
ORIGINAL_NAME_MAX_LENGTH = 200  # the original_name fields


def _plain(name):
    name = _RESERVED.sub("", strip_invisible(name)[0])
    return " ".join(name.split())


def clean_filename(name, *, max_length=ORIGINAL_NAME_MAX_LENGTH):
    """An uploaded file's name as the portal keeps it (once, when it is stored): the last part
    of the path, without control, text direction or zero-width characters and without the
    characters Windows does not allow (\\ / : * ? " < > |), whitespace runs made one space, at
    most ``max_length`` characters with the extension kept. Chinese stays as it is."""
    name = _plain(PurePath(name.replace("\\", "/")).name if name else "")
    if len(name) > max_length:
        ext = PurePath(name).suffix
        ext = ext if len(ext) <= 10 else ""
        name = name[: max_length - len(ext)].rstrip() + ext
    return name


def download_filename(name, ext, *, fallback=None):
    """The name a download is saved under: ``name`` without its extension (.pdf, .jpg…),
    cleaned like a stored name, without leading or trailing dots, followed by ``ext`` (the
    extension of the content). A name without a letter or digit left (“!!!.pdf”, “📄.pdf”,
    “...pdf”) is replaced by ``fallback``, by default 附件 (“attachment”)."""
    stem = name or ""
    suffix = PurePath(stem).suffix
    if suffix.lower() in EXTENSIONS:
        stem = stem[: -len(suffix)]
    # At most 80 characters: 240 bytes of Chinese in UTF-8, under the usual 255-byte limit.
    stem = _plain(stem).strip(". ")[:80].rstrip(". ")
    if not any(char.isalnum() for char in stem):
        stem = fallback or gettext("attachment")
    return f"{stem}{ext}"


class UploadTo:
    """``upload_to`` that files uploads by purpose and year under random names."""

    def __init__(self, purpose):
        self.purpose = purpose

    def __call__(self, instance, filename):
        ext = PurePath(filename).suffix.lower()
        if ext not in EXTENSIONS:
            ext = ""
        return f"{self.purpose}/{today():%Y}/{uuid.uuid4().hex}{ext}"

    def deconstruct(self):
        return ("talentstation.uploads.UploadTo", (self.purpose,), {})


def serve_protected(fieldfile, download_name, *, fallback=None):
    """Send a stored file as an attachment named after ``download_name`` (see
    :func:`download_filename`; Chinese names are sent as RFC 5987 UTF-8). Call only after an
    access check. The file is read through its storage in blocks (from S3 it is first fetched
    into a temporary file, in memory up to 2 MB), never from a local path."""
    fieldfile.open("rb")
    kind = detect_kind(fieldfile.file)
    if kind is not None:
        content_type, ext, _label = KINDS[kind]
    else:
        ext = PurePath(fieldfile.name).suffix.lower()
        content_type = mimetypes.types_map.get(ext, "application/octet-stream")
    response = FileResponse(
        fieldfile.file,
        as_attachment=True,
        filename=download_filename(download_name, ext, fallback=fallback),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    from .access_log import DOWNLOAD, mark

    # The access log records who downloaded it (talentstation.access_log).
    return mark(response, getattr(fieldfile, "instance", None), DOWNLOAD, download_name)


PENDING_SALT = "talentstation.pending-upload"
PENDING_MAX_AGE = 24 * 3600
PENDING_FOLDER = "pending"
#: The folders of kept uploads purged daily (task ``purge_pending_uploads``): files of forms with
#: errors (one folder per client) and import files whose preview was never confirmed.
PURGED_FOLDERS = (PENDING_FOLDER, "django-import-export")


def purge_pending_uploads(now=None):
    """Delete the kept uploads older than a day, then the emptied client folders; returns how
    many files were deleted (running it again deletes nothing more)."""
    import datetime

    from django.utils import timezone

    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=PENDING_MAX_AGE)
    return sum(_purge(folder, cutoff) for folder in PURGED_FOLDERS)


def _purge(folder, cutoff, *, depth=0):
    from django.core.files.storage import default_storage

    try:
        dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    if depth == 0:
        for name in dirs:
            removed += _purge(f"{folder}/{name}", cutoff, depth=1)
    elif not dirs and not default_storage.listdir(folder)[1]:
        default_storage.delete(folder)  # an empty client folder
    return removed


def pending_usage(client_folder, *, sizes_of):
    """(files of this client, files in all, bytes of the first ``sizes_of`` files) kept under
    ``pending/``. Listing is cheap; sizes are read only up to the file cap, beyond which the
    cap is reached anyway, so the walk stays short whatever is stored."""
    from django.core.files.storage import default_storage

    if hasattr(default_storage, "bucket"):  # S3 (django-storages): one listing has the sizes
        return _bucket_pending_usage(default_storage, client_folder)
    try:
        folders, files = default_storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:
        return 0, 0, 0
    own = 0
    paths = [f"{PENDING_FOLDER}/{name}" for name in files]
    for folder in folders:
        path = f"{PENDING_FOLDER}/{folder}"
        try:
            names = default_storage.listdir(path)[1]
        except FileNotFoundError:  # purged meanwhile
            continue
        if path == client_folder:
            own = len(names)
        paths += [f"{path}/{name}" for name in names]
    total_bytes = 0
    for path in paths[:sizes_of]:
        with contextlib.suppress(FileNotFoundError):  # purged meanwhile
            total_bytes += default_storage.size(path)
    return own, len(paths), total_bytes


def _bucket_pending_usage(storage, client_folder):
    """:func:`pending_usage` from an S3 bucket's listing (1,000 keys a request, with their
    sizes) instead of a request per file: at most PENDING_UPLOADS_TOTAL_FILES are kept, so
    the listing stays short too."""
    root = storage.location.strip("/")
    prefix = f"{root}/{PENDING_FOLDER}/" if root else f"{PENDING_FOLDER}/"
    own_prefix = f"{root}/{client_folder}/" if root else f"{client_folder}/"
    own = files = total_bytes = 0
    for summary in storage.bucket.objects.filter(Prefix=prefix):
        files += 1
        total_bytes += summary.size
        own += summary.key.startswith(own_prefix)
    return own, files, total_bytes


class KeepUploadsMixin(ClientFormMixin):
    """Keeps a valid upload when the rest of the form has errors, so nothing is lost.

    Browsers cannot refill a file input. When a bound form is invalid, every upload field in
    ``keep_uploads`` whose own file passed its checks is stored under ``pending/<client>/``
    and a signed reference goes into a hidden field; the next submission uses it unless a new
    file is chosen. So that anonymous visitors cannot fill the disk, at most
    ``PENDING_UPLOADS_PER_CLIENT`` files are kept per client (the view passes
    ``client=client_key(request)``) and ``PENDING_UPLOADS_TOTAL_FILES`` files or
    ``PENDING_UPLOADS_TOTAL_BYTES`` in all; beyond that the field says to choose the file again.
    Pending files older than a day are removed by ``manage.py purge_pending_uploads``.
    """

    keep_uploads: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_files = {}
        for name in self.keep_uploads:
            self.fields[f"{name}_kept"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            return
        self.files = self.files.copy()
        for name in self.keep_uploads:
            if self.files.get(name):
                continue
            kept = self._load_kept(self.data.get(f"{name}_kept", ""))
            if kept is not None:
                self.files[name] = kept
                self._mark_kept(name, kept.name)

    def _mark_kept(self, name, filename):
        self.kept_files[name] = filename
        field = self.fields[name]
        note = _("“%(name)s” is kept from your last attempt; choose a file only to replace it.") % {
            "name": filename
        }
        field.help_text = f"{note} {field.help_text}".strip()
        self._bound_fields_cache.pop(name, None)  # bound fields copy the help text

    def _load_kept(self, token):
        from django.core import signing
        from django.core.files.storage import default_storage
        from django.core.files.uploadedfile import SimpleUploadedFile

        if not token:
            return None
        try:
            ref = signing.loads(token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
            with default_storage.open(ref["path"], "rb") as stored:
                return SimpleUploadedFile(ref["name"], stored.read())
        except (signing.BadSignature, KeyError, OSError):
            return None

    def _room_for(self, folder, size, *, stored):
        """Whether one more file of ``size`` fits (``stored``: it is already counted)."""
        limit_files = settings.PENDING_UPLOADS_TOTAL_FILES
        own, files, used = pending_usage(folder, sizes_of=limit_files)
        extra = 0 if stored else 1
        return (
            own + extra <= settings.PENDING_UPLOADS_PER_CLIENT
            and files + extra <= limit_files
            and used + (0 if stored else size) <= settings.PENDING_UPLOADS_TOTAL_BYTES
        )

    def _store_pending(self, upload):
        """The path of the upload kept under pending/, or None when the caps are reached.

        Checked before and again after writing: of two requests racing for the last place,
        both may lose, neither gets past the cap.
        """
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        folder = f"{PENDING_FOLDER}/{self.client or UNKNOWN}"
        if not self._room_for(folder, upload.size, stored=False):
            return None
        upload.seek(0)
        ext = PurePath(upload.name).suffix.lower()
        path = default_storage.save(f"{folder}/{uuid.uuid4().hex}{ext}", ContentFile(upload.read()))
        if not self._room_for(folder, upload.size, stored=True):
            default_storage.delete(path)
            return None
        return path

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        from django.core import signing

        data = self.data.copy()
        for name in self.keep_uploads:
            upload = self.files.get(name)
            if not upload or name in self._errors:
                continue
            if name in self.kept_files:
                data[f"{name}_kept"] = self.data.get(f"{name}_kept", "")
                continue
            path = self._store_pending(upload)
            if path is None:
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "The file could not be kept for your next attempt (too many files "
                            "are waiting): choose it again when you send the form next time."
                        ),
                        code="not_kept",
                    ),
                )
                continue
            ref = {"path": path, "name": PurePath(upload.name).name}
            data[f"{name}_kept"] = signing.dumps(ref, salt=PENDING_SALT)
            self._mark_kept(name, ref["name"])
        self.data = data
