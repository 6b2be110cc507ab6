"""Backups of everything the portal cannot rebuild from its code: the database, the uploaded
media and the private files (receipts, donation applications). README, "Backups and restore".

One backup is one folder, ``hiratsuka-backup-<UTC time>/``, holding ``database/`` (a
PostgreSQL custom-format dump or an SQLite copy made with SQLite's online backup API),
``media/`` and ``private/`` (every file of the two storages, under its storage name) and
``manifest.json`` (what, when, which code and migrations, and the size and SHA-256 of every
file). It is written under a temporary name and renamed when complete, so a folder with the
final name is always a whole backup; it is readable by its owner alone (0700/0600), since it
holds the companies' personal data and the private receipts.

The files are read and written through Django's storage API, not the folders: the same backup
works whether the media live in folders or in S3 buckets (``settings.STORAGES``), and restores
into either.
"""
