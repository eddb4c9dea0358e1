"""A staff page listing, per language, the records whose translation is missing or
older than their English text (Content.translation_state)."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from content.models import content_models, translated_fields

LIMIT = 200  # per language and kind, so the page stays fast


def translated_models():
    return [model for model in content_models() if translated_fields(model)]


class TranslationStatusView(TemplateView):
    template_name = "admin/translation_status.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        models = [
            model
            for model in translated_models()
            if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        ]
        if not models:
            raise PermissionDenied
        records = {model: list(model._default_manager.all()) for model in models}
        languages = []
        for code, name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            sections = []
            for model, rows in records.items():
                found = [(row, row.translation_state(code)) for row in rows]
                found = [(row, state) for row, state in found if state][:LIMIT]
                sections.append({"opts": model._meta, "items": found})
            languages.append({"code": code, "name": name, "sections": sections})
        return super().get_context_data(
            **admin.site.each_context(self.request),
            title="Translation status",
            languages=languages,
            limit=LIMIT,
            **kwargs,
        )
