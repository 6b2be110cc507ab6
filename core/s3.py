"""S3-compatible storage for deployments with several app servers (README, "Several app
servers"): public media as plain URLs on a public-read bucket, private files in a bucket (or a
location) nobody reads without the app's credentials. Only imported when the settings name it."""

from __future__ import annotations

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Private files on S3: stored with the ``private`` ACL whatever the bucket's default, and
    never given a URL (not even a signed one): staff views stream them through the app."""

    def get_object_parameters(self, name):
        # Whatever the options, AWS_DEFAULT_ACL (meant for public media) or
        # AWS_S3_OBJECT_PARAMETERS say: even in a bucket made public by mistake, these objects
        # stay readable by their owner alone.
        return {**super().get_object_parameters(name), "ACL": "private"}

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no public URL; serve them through a staff view.")
