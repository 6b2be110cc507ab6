from django.utils.functional import SimpleLazyObject

from .models import SiteProfile


def site(request):
    """The contact shown in every footer; lazy, so pages that do not render it cost no query."""
    return {"site_profile": SimpleLazyObject(SiteProfile.objects.current)}
