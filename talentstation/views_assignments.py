"""Files of scorer assignments: the photos of an on-site visit."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from .models import SiteVisitPhoto
from .rules import download_visit_photo, require_visible
from .uploads import serve_protected


@login_required
def visit_photo(request, pk):
    """A photo of an on-site visit: for bureau staff and the scorer who made the visit."""
    photo = get_object_or_404(SiteVisitPhoto.objects.select_related("assignment"), pk=pk)
    require_visible(download_visit_photo, request.user, photo)
    return serve_protected(photo.file, photo.original_name)
