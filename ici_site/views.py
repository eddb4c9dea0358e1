import logging
import uuid
from collections import Counter

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from partners.models import Activity, CooperationArea, Partner, Source
from timeline.models import Milestone

from .search import KINDS, SearchForm, search

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        partners = list(Partner.objects.public())
        areas = CooperationArea.objects.all()
        activities = Activity.objects.public().for_listing()[:6]
        milestones = Milestone.objects.public().for_listing().filter(is_key=True)
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
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        kind = data.get("kind", "")
        found = Counter(hit.kind for hit in hits)
        context = self.get_context_data(
            form=form,
            query=data.get("q", ""),
            words=form.words() if data else [],
            hits=[hit for hit in hits if hit.kind == kind] if kind else hits,
            total=len(hits),
            kind=kind,
            kinds=[
                (key, spec.plural, found[key])
                for key, spec in KINDS.items()
                if found[key]
            ],
        )
        return self.render_to_response(context, status=status)


@never_cache
def healthz(request):
    """200 when the database and the cache answer, else 503 (for load balancers)."""
    checks = {"database": database_answers(), "cache": cache_answers()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: "ok" if ok else "failing" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer.")
        return False


def cache_answers():
    token = uuid.uuid4().hex
    try:
        cache.set("healthz", token, 10)
        return cache.get("healthz") == token
    except Exception:
        logger.exception("Health check: the cache does not answer.")
        return False


class DataView(TemplateView):
    template_name = "data.html"


class MethodologyView(TemplateView):
    template_name = "methodology.html"
