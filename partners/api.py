"""Partners, areas, activities and sources in the read-only JSON API (content.api)."""

from content.api import serializer_urls

from .filters import ActivityFilter
from .serializers import (
    ActivitySerializer,
    AreaSerializer,
    PartnerSerializer,
    SourceSerializer,
)

urlpatterns = [
    *serializer_urls(PartnerSerializer),
    *serializer_urls(AreaSerializer),
    *serializer_urls(ActivitySerializer, ActivityFilter),
    *serializer_urls(SourceSerializer, converter="int"),
]
