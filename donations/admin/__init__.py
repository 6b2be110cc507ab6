"""The Japanese admin for donations (DESIGN.md §6.7): the public record (``record``) and the
inquiries with their follow-up (``inquiries``). Importing the modules registers their admins.

Every admin keeps an audit trail (core.admin_history.HistoryAdmin); translated models are
edited in Japanese and English side by side (modeltranslation, never its tabbed variants: they
load from a CDN).
"""

from . import inquiries, letters, record

__all__ = ["inquiries", "letters", "record"]
