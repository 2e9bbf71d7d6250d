"""Settings for the test suite: the real settings with test conveniences."""

import os
import tempfile

os.environ.setdefault("TALENTSTATION_TESTING", "1")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="talentstation-media-"))

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
