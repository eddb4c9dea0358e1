"""What editors translate (django-modeltranslation): a column per language beside the
English one, so history, fixtures and the content version see one row per record."""

from modeltranslation.translator import TranslationOptions, register

from .models import Activity, CooperationArea, Partner


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name", "official_name", "summary", "profile")


@register(CooperationArea)
class CooperationAreaTranslation(TranslationOptions):
    fields = ("name", "summary", "description")


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "summary")
