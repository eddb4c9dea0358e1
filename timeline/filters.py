from partners.filters import PartnerAreaFilterSet

from .models import Milestone


class MilestoneFilter(PartnerAreaFilterSet):
    class Meta:
        model = Milestone
        fields = ["partner", "area"]
