from django.utils.functional import SimpleLazyObject

from .middleware import preview_exit_url
from .models import SiteProfile


def site(request):
    """The contact shown in every footer; lazy, so pages that do not render it cost no query."""
    return {"site_profile": SimpleLazyObject(SiteProfile.objects.current)}


def preview(request):
    """In a staff preview, the banner's flag and the address of the public page."""
    if not getattr(request, "is_preview", False):
        return {}
    return {"preview": True, "preview_exit_url": preview_exit_url(request)}
