"""Milestones in the read-only JSON API (see ``partners.api``)."""

from partners.api import record_urls

from .filters import MilestoneFilter
from .records import MilestoneRecord

urlpatterns = record_urls(MilestoneRecord, MilestoneFilter)
