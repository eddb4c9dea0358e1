from django.views.generic import TemplateView

from partners.models import Activity, CooperationArea, Partner, Source
from timeline.models import Milestone

from .search import SearchForm, search


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


class SearchView(TemplateView):
    """Ranked search over the whole site; a bad query is a 400 with the reason."""

    template_name = "search.html"

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET or None)
        hits, status = [], 200
        if form.is_bound:
            if form.is_valid():
                hits = search(form.cleaned_data["q"])
            else:
                status = 400
        context = self.get_context_data(
            form=form,
            query=form.cleaned_data.get("q", "") if form.is_bound else "",
            words=form.words() if form.is_bound and form.is_valid() else [],
            hits=hits,
            kinds_found=sorted({hit.label for hit in hits}),
        )
        return self.render_to_response(context, status=status)
