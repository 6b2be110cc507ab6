"""Staff sessions past the second factor (hiratsuka_portal/two_factor/), for tests that sign
staff in.

- ``verified_login(client, user)``: force_login, then the session verified by the user's
  authenticator app, as after a real code (what django_otp.login records in the session).
- ``totp_device(user)`` / ``current_code(device)``: an enrolled app with a known secret, and
  the code it shows now, for tests that sign in through the real pages (HTTP, a browser).
"""

from __future__ import annotations

import time
from binascii import unhexlify

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# RFC 6238's test secret ("12345678901234567890"), hex as django-otp stores it.
KNOWN_KEY = "3132333435363738393031323334353637383930"


def totp_device(user, *, key: str = KNOWN_KEY) -> TOTPDevice:
    """``user``'s confirmed authenticator app (made with ``key`` if it has none)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "認証アプリ", "key": key}
    )
    return device


def current_code(device: TOTPDevice) -> str:
    """The six digits ``device``'s app shows now."""
    return code_for_key(device.key)


def code_for_key(key_hex: str, *, at: float | None = None) -> str:
    """The code an app holding ``key_hex`` shows at ``at`` (now by default)."""
    generator = TOTP(unhexlify(key_hex))
    generator.time = time.time() if at is None else at
    return f"{generator.token():06d}"


def verify_session(client, user) -> None:
    """Marks ``client``'s session as verified by ``user``'s authenticator app."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


def verified_login(client, user) -> None:
    """``client.force_login(user)`` past the second factor."""
    client.force_login(user)
    verify_session(client, user)
