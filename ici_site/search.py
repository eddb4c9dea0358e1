"""Site search over partners, activities, milestones and areas.

Every kind is found through the same full-text index and tokenizer as the activity
list's "Words" filter (content.search), ranked with a word in the title counting most.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from content.search import ranked, words_of
from partners.models import Activity, CooperationArea, Partner
from timeline.models import Milestone

MAX_LENGTH = 200
PER_KIND = 25


@dataclass(frozen=True)
class Searchable:
    label: str
    plural: str
    queryset: callable


KINDS = {  # in the order the page offers them
    "partner": Searchable(_("Partner"), _("Partners"), Partner.objects.public),
    "area": Searchable(
        _("Cooperation area"), _("Cooperation areas"), CooperationArea.objects.all
    ),
    "activity": Searchable(_("Activity"), _("Activities"), Activity.objects.public),
    "milestone": Searchable(_("Milestone"), _("Milestones"), Milestone.objects.public),
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the site"),
        max_length=MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "Please use fewer words: a search can be at most %(limit_value)d "
                "characters long."
            )
        },
    )

    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All"))] + [(key, spec.plural) for key, spec in KINDS.items()],
    )

    def words(self):
        return words_of(self.cleaned_data.get("q", ""))


@dataclass
class Hit:
    kind: str
    label: str
    object: object

    @property
    def title(self):
        return self.object.marked_title

    @property
    def snippet(self):
        return self.object.marked_snippet

    @property
    def rank(self):
        return self.object.search_rank

    @property
    def url(self):
        return self.object.get_absolute_url()


def search(text):
    """Ranked hits for the text, best first, at most PER_KIND of each kind."""
    hits = [
        Hit(kind, spec.label, row)
        for kind, spec in KINDS.items()
        for row in ranked(spec.queryset(), text, PER_KIND)
    ]
    return sorted(hits, key=lambda hit: (-hit.rank, str(hit.object)))
