"""Milestones' translated fields (see partners/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Milestone


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "summary")
