"""Test settings: the real settings with a fast password hasher (argon2 is slow on purpose)."""

from sendwise.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests apply imports in the request, as before; tests of the background apply turn it on.
IMPORT_APPLY_IN_BACKGROUND = False
