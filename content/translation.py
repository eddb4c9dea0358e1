"""The site pages' translated prose (see partners/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Page


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "lead", "body")
