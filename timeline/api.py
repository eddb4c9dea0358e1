"""Milestones in the read-only JSON API (content.api)."""

from content.api import serializer_urls

from .filters import MilestoneFilter
from .serializers import MilestoneSerializer

urlpatterns = serializer_urls(MilestoneSerializer, MilestoneFilter)
