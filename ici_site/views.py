from django.views.generic import TemplateView

from partners.models import Activity, CooperationArea, Partner, Source
from timeline.models import Milestone


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        partners = list(Partner.objects.public())
        areas = CooperationArea.objects.all()
        activities = Activity.objects.public().for_listing()[:6]
        milestones = Milestone.objects.public().filter(is_key=True)
        return super().get_context_data(
            members=[partner for partner in partners if partner.is_member],
            dialogue_partners=[
                partner for partner in partners if not partner.is_member
            ],
            areas=areas,
            activities=activities,
            milestones=milestones,
            sources=Source.objects.cited_by(
                Partner.objects.public(), areas, activities, milestones
            ),
            **kwargs,
        )


class AboutView(TemplateView):
    template_name = "about.html"


class DataView(TemplateView):
    template_name = "data.html"


class MethodologyView(TemplateView):
    template_name = "methodology.html"
