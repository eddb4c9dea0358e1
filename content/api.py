"""A small read-only JSON API, version 1: lists and details of every record type.

Plain Django views: the API is read-only, has no authentication and its records are
written by the serializers, so a framework would add weight and no behaviour. Lists
take the same filter parameters as the HTML lists, 100 records a page (``?page=N``).
"""

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import path, register_converter, resolve, reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from . import exports, openapi
from .serializers import Serializer

PAGE_SIZE = 100
MAX_PAGE_DIGITS = 9
# (serializer, filterset class, path converter) of every record type served, in
# the order the apps add them: the OpenAPI description is made from it.
ENDPOINTS = []


def respond(data, status=200):
    response = JsonResponse(
        data, status=status, json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Language"] = translation.get_language() or "en"
    return response


def not_found(message="No such record."):
    return respond({"error": message}, status=404)


# Read-only and cookie-free: a POST or any other method is answered 405, not 403
# for a missing CSRF token it could never have.
@method_decorator(csrf_exempt, name="dispatch")
class ApiView(View):
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # Public, read-only data with no cookies involved: any web page may read it.
        response["Access-Control-Allow-Origin"] = "*"
        return response


class RecordListView(ApiView):
    serializer = Serializer
    filterset_class = None

    def get(self, request):
        queryset = self.serializer.queryset()
        filterset = None
        if self.filterset_class:
            filterset = self.filterset_class(
                request.GET, queryset=queryset, request=request
            )
            if not filterset.is_valid():
                return exports.bad_request(
                    "Some filters could not be used.", filterset.errors.get_json_data()
                )
            queryset = filterset.qs
        number = request.GET.get("page", "1")
        if (
            not number.isascii()
            or not number.isdigit()
            or len(number) > MAX_PAGE_DIGITS
        ):
            return exports.bad_request("page must be a whole number from 1.")
        paginator = Paginator(queryset, PAGE_SIZE)
        try:
            page = paginator.page(int(number))
        except EmptyPage:
            return not_found("No such page.")
        records = self.serializer(request)
        meta = exports.metadata(
            request,
            self.serializer,
            self.serializer.plural.capitalize(),
            exports.applied_filters(request, filterset),
            paginator.count,
        )
        meta.update(
            page=page.number,
            pages=paginator.num_pages,
            next=self.page_url(request, page.next_page_number())
            if page.has_next()
            else None,
            previous=self.page_url(request, page.previous_page_number())
            if page.has_previous()
            else None,
        )
        return respond({"meta": meta, "data": records.serialize_all(list(page))})

    @staticmethod
    def page_url(request, number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(request.path) + "?" + query.urlencode()


class RecordDetailView(ApiView):
    serializer = Serializer

    def get(self, request, key):
        try:
            obj = self.serializer.queryset().get(**{self.serializer.lookup: key})
        except (self.serializer.model.DoesNotExist, ValueError, OverflowError):
            return not_found()
        records = self.serializer(request)
        meta = exports.metadata(request, self.serializer, str(obj), {})
        return respond({"meta": meta, "data": records.serialize_all([obj])[0]})


class SchemaView(ApiView):
    document = False

    def get(self, request, name):
        serializer = Serializer.registry.get(name)
        if serializer is None:
            return not_found("No such schema.")
        url = request.build_absolute_uri()
        if self.document:
            record_url = request.build_absolute_uri(reverse("api:schema", args=[name]))
            schema = serializer.document_schema(url, record_url)
        else:
            schema = serializer.schema(url)
        response = respond(schema)
        response["Content-Type"] = "application/schema+json"
        return response


class IndexView(ApiView):
    def get(self, request):
        def absolute(name, *args):
            return request.build_absolute_uri(reverse(name, args=args))

        return respond(
            {
                "version": "v1",
                "documentation": absolute("data"),
                "endpoints": {
                    serializer.plural: {
                        "list": absolute(f"api:{serializer.name}-list"),
                        "schema": absolute("api:schema", serializer.name),
                        "document_schema": absolute(
                            "api:document-schema", serializer.name
                        ),
                    }
                    for serializer in Serializer.registry.values()
                },
            }
        )


class UnknownView(ApiView):
    def get(self, request, rest):
        # This pattern takes every address, so APPEND_SLASH never sees a 404 here:
        # an address lacking only its final slash is sent to it the same way.
        if not rest.endswith("/") and resolve(f"{request.path_info}/").url_name != (
            "unknown"
        ):
            return HttpResponsePermanentRedirect(
                request.get_full_path(force_append_slash=True)
            )
        return not_found("No such address in the API: its index is /api/v1/.")


class OpenApiView(ApiView):
    def get(self, request):
        return respond(openapi.description(request, ENDPOINTS))


def serializer_urls(serializer, filterset_class=None, converter="slug"):
    """The list and detail URL patterns of one record type."""
    ENDPOINTS.append((serializer, filterset_class, converter))
    return [
        path(
            f"{serializer.plural}/",
            RecordListView.as_view(
                serializer=serializer, filterset_class=filterset_class
            ),
            name=f"{serializer.name}-list",
        ),
        path(
            f"{serializer.plural}/<{converter}:key>/",
            RecordDetailView.as_view(serializer=serializer),
            name=f"{serializer.name}-detail",
        ),
    ]


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("openapi.json", OpenApiView.as_view(), name="openapi"),
    path(
        "schemas/<slug:name>-document.json",
        SchemaView.as_view(document=True),
        name="document-schema",
    ),
    path("schemas/<slug:name>.json", SchemaView.as_view(), name="schema"),
]


class AnyPathConverter:
    """Any rest of an address, line breaks included (``path`` stops at them)."""

    regex = r"[\s\S]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(AnyPathConverter, "anypath")

# Last of all the API's patterns: an address that matches none answers in JSON too.
fallback = [path("<anypath:rest>", UnknownView.as_view(), name="unknown")]
