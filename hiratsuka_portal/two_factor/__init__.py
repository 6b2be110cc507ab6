"""A second factor for staff (issue 14): a code from an authenticator app (TOTP) after the
password, with single-use recovery codes, on django-otp.

- ``policy``: who must use it (settings.STAFF_TWO_FACTOR) and what a session still owes.
- ``services``: enrolment, recovery codes, a superuser's reset.
- ``signin``: checking a code at sign-in, tied to the django-axes lockout.
- ``middleware``: a session that owes its code reaches nothing but these pages.
- ``views``/``urls``/``forms``/``qr``: the pages under /admin/two-factor/.
"""
