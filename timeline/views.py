from django.views.generic import DetailView

from partners.exports import ExportMixin
from partners.views import FilteredListView, PreviewMixin

from .filters import MilestoneFilter
from .models import Milestone
from .records import MilestoneRecord


class MilestoneListView(ExportMixin, FilteredListView):
    record_type = MilestoneRecord
    export_title = "Timeline"
    formats = (*ExportMixin.formats, "ics")
    filterset_class = MilestoneFilter
    paginate_by = 100
    context_object_name = "milestones"
    template_name = "timeline/milestone_list.html"

    def get_queryset(self):
        return Milestone.objects.public().for_listing()


class MilestoneDetailView(PreviewMixin, DetailView):
    context_object_name = "milestone"

    def get_queryset(self):
        return self.visible(Milestone.objects.for_listing().prefetch_related("sources"))
