import logging
import uuid
from collections import Counter

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from content import throttle
from content.models import Change, Page, ProblemReport
from partners.models import Activity, CooperationArea, Partner, Source
from timeline.models import Milestone

from .lockout import client_digest
from .search import KINDS, SearchForm, search

logger = logging.getLogger(__name__)


class PageView(TemplateView):
    """A page whose prose is a Page record (its slug the view's), drawn around the
    records the template shows."""

    slug = None

    def get_context_data(self, **kwargs):
        page = Page.objects.prose(self.slug)
        return super().get_context_data(
            page=page,
            page_languages=page.translated_languages() if page else ["en"],
            **kwargs,
        )


class HomeView(PageView):
    template_name = "home.html"
    slug = "home"

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


class AboutView(PageView):
    template_name = "about.html"
    slug = "about"


class SearchView(TemplateView):
    """Ranked search over the whole site; a bad query is a 400 with the reason."""

    template_name = "search.html"

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET or None)
        hits, status = [], 200
        if form.is_bound:
            if form.is_valid():
                query = form.cleaned_data["q"]
                if query and (seconds := throttle.retry_after(request, "search")):
                    return too_many(request, "search", seconds)
                hits = search(query)
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


def too_many(request, scope, seconds):
    reason = throttle.message(scope, seconds)
    response = render(request, "429.html", {"reason": reason}, status=429)
    response["Retry-After"] = str(seconds)
    return response


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


class MethodologyView(PageView):
    template_name = "methodology.html"
    slug = "methodology"


class ChangesView(TemplateView):
    """Corrections to published records, newest first, with the editors' notes."""

    template_name = "changes.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(changes=list(Change.objects.public()), **kwargs)


class ChangesFeed(Feed):
    title = f"Changes to the {settings.SITE_NAME}"
    description = "Corrections to published records, newest first."

    def link(self):
        return reverse("changes")

    def items(self):
        return list(Change.objects.public())[:50]

    def item_title(self, change):
        return str(change.public_record)

    def item_description(self, change):
        return change.note

    def item_link(self, change):
        return change.public_record.get_absolute_url()

    def item_guid(self, change):
        return f"change-{change.pk}"

    def item_pubdate(self, change):
        return change.changed_at


class ProblemReportForm(forms.ModelForm):
    # Left empty by people; bots that fill every field give themselves away.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = ProblemReport
        fields = ["page", "message"]
        labels = {"message": _("What is wrong on this page?")}
        widgets = {"page": forms.HiddenInput}

    def clean_page(self):
        page = self.cleaned_data["page"]
        if not page.startswith("/") or page.startswith("//"):
            raise forms.ValidationError(_("Report a page of this site."))
        return page


REPORTS_PER_HOUR = 5


class ProblemReportView(FormView):
    """'Report a problem with this page': no account or e-mail, a honeypot field and
    a few reports an hour from one address."""

    template_name = "report_problem.html"
    form_class = ProblemReportForm

    def get_initial(self):
        return {"page": self.request.GET.get("page", "/")[:300]}

    def form_valid(self, form):
        if form.cleaned_data["website"]:  # a bot: thank it and keep nothing
            return self.render_to_response({"thanks": True})
        client = client_digest(self.request)
        if ProblemReport.objects.recent_from(client).count() >= REPORTS_PER_HOUR:
            context = self.get_context_data(form=form, limited=True)
            return self.render_to_response(context, status=429)
        form.instance.client = client
        form.save()
        return self.render_to_response({"thanks": True, "page": form.instance.page})

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
