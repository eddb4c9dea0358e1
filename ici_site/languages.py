"""The page's language comes from its address alone: /ar/…, /fr/…, or English; the
API, which has no prefix, takes it from its `lang` parameter.

Django's LocaleMiddleware also reads a cookie and Accept-Language, redirects by
them and adds `Vary: Accept-Language`, which the page cache refuses to store. The
address already says the language, so nothing here looks at a request header.
"""

from django.conf import settings
from django.http import JsonResponse
from django.urls import get_script_prefix
from django.utils import translation


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def path_language(path_info):
    """The language named by the address's prefix, else the default (English)."""
    return translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE


def api_language(request):
    """The API's `lang` parameter, else English; None when it names no language."""
    language = request.GET.get("lang", settings.LANGUAGE_CODE)
    return language if language in language_codes() else None


def unprefixed(path_info):
    """The address without its language prefix: '/ar/partners/' -> '/partners/'."""
    language = translation.get_language_from_path(path_info)
    if language and path_info.startswith(f"/{language}/"):
        return path_info[len(language) + 1 :]
    return path_info


def path_in(language, path_info):
    """The same page's address in another language (patterns are not translated)."""
    rest = unprefixed(path_info).lstrip("/")
    if language == settings.LANGUAGE_CODE:
        return get_script_prefix() + rest
    return f"{get_script_prefix()}{language}/{rest}"


def _in_language(chunks, language):
    # A streamed export is produced after the middleware returned: keep its language.
    with translation.override(language):
        yield from chunks


class URLLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            if not (language := api_language(request)):
                codes = ", ".join(language_codes())
                return JsonResponse(
                    {"error": f"lang: choose one of {codes}."}, status=400
                )
        else:
            language = path_language(request.path_info)
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The next request, or test code in this thread, starts in English again.
            translation.activate(previous or settings.LANGUAGE_CODE)
        if response.streaming:
            response.streaming_content = _in_language(
                response.streaming_content, language
            )
        response.headers.setdefault("Content-Language", language)
        return response
