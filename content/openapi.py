"""The OpenAPI 3.1 description of the JSON API (content.api), served at
``/api/v1/openapi.json``.

Made from what the API already has, so it cannot drift from it: each record type's
published JSON Schema and document schema (content.serializers), each list's filter
set (its form fields say what each parameter takes) and the URL patterns'
converters. OpenAPI 3.1 schemas are JSON Schema 2020-12, the dialect of the
published ones, so they are used as they are.
"""

from django import forms
from django.conf import settings
from django.urls import reverse

from .serializers import SCHEMA_DIALECT

ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "What was wrong, in a sentence."},
        "errors": {
            "type": "object",
            "description": "For each filter that could not be used, its errors.",
        },
    },
    "required": ["error"],
}
INDEX = {
    "type": "object",
    "properties": {
        "version": {"const": "v1"},
        "documentation": {"type": "string", "format": "uri"},
        "endpoints": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    name: {"type": "string", "format": "uri"}
                    for name in ("list", "schema", "document_schema")
                },
                "required": ["list", "schema", "document_schema"],
            },
        },
    },
    "required": ["version", "documentation", "endpoints"],
}
SLUG = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"}
PATH_PARAMETERS = {
    "slug": SLUG,
    "int": {"type": "integer", "minimum": 0},
}
PAGE = {
    "name": "page",
    "in": "query",
    "description": "The page of 100 records, from 1.",
    # At most nine digits, as content.api accepts.
    "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
}

LANG = {
    "name": "lang",
    "in": "query",
    "description": "The language of the texts; English fills in where a text has"
    " no translation yet.",
    "schema": {"enum": [code for code, _name in settings.LANGUAGES]},
}


def json_content(schema, media_type="application/json"):
    return {media_type: {"schema": schema}}


def answer(description, schema):
    return {"description": description, "content": json_content(schema)}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def embedded(schema):
    """A published schema inside the description: its own $schema and $id would
    move the base that "#/components/..." references resolve against."""
    return {k: v for k, v in schema.items() if k not in ("$schema", "$id")}


def parameter_schema(field):
    """What a filter form field accepts, as JSON Schema."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        item = {**SLUG, "description": "A slug, as in the page addresses."}
        return {"type": "array", "items": item}
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": "array", "items": {"enum": [k for k, _ in field.choices]}}
    if isinstance(field, forms.ChoiceField):
        return {"enum": [k for k, _ in field.choices if k != ""]}
    if isinstance(field.widget, forms.CheckboxInput):
        # As a form's checkbox: on for any value but an empty one or "false".
        return {"type": "string", "examples": ["true"]}
    if isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        for validator in field.validators:
            if (limit := getattr(validator, "limit_value", None)) is not None:
                name = {"min_value": "minimum", "max_value": "maximum"}.get(
                    validator.code
                )
                if name:
                    schema[name] = limit
        return schema
    schema = {"type": "string"}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema


def filter_parameters(filterset_class):
    if filterset_class is None:
        return []
    form = filterset_class().form
    parameters = []
    for name, field in form.fields.items():
        schema = parameter_schema(field)
        if schema.get("type") not in ("array", "string"):
            # A form sends the fields left empty: empty is no filter.
            schema = {"anyOf": [schema, {"const": ""}]}
        parameter = {
            "name": name,
            "in": "query",
            "description": str(field.label or name),
            "schema": schema,
        }
        if schema.get("type") == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters


def list_operation(serializer, filterset_class):
    document = f"{serializer.title.replace(' ', '')}Document"
    return {
        "get": {
            "operationId": f"list_{serializer.plural}",
            "summary": f"{serializer.plural.capitalize()}, 100 a page",
            "parameters": [PAGE, LANG, *filter_parameters(filterset_class)],
            "responses": {
                "200": answer("A page of records, with its provenance.", ref(document)),
                "400": answer("A filter or the page could not be used.", ref("Error")),
                "404": answer("No such page.", ref("Error")),
            },
        }
    }


def detail_operation(serializer, converter):
    document = f"{serializer.title.replace(' ', '')}Document"
    return {
        "get": {
            "operationId": f"get_{serializer.name}",
            "summary": f"One {serializer.title.lower()}",
            "parameters": [
                {
                    "name": "key",
                    "in": "path",
                    "required": True,
                    "description": f"The record's {serializer.lookup}.",
                    "schema": PATH_PARAMETERS[converter],
                },
                LANG,
            ],
            "responses": {
                "200": answer("The record, with its provenance.", ref(document)),
                "400": answer("The language could not be used.", ref("Error")),
                "404": answer("No public record has this key.", ref("Error")),
            },
        }
    }


def schema_operation(names, document):
    kind = "whole document" if document else "record"
    return {
        "get": {
            "operationId": "get_document_schema" if document else "get_schema",
            "summary": f"The JSON Schema of a {kind} type",
            "parameters": [
                {
                    "name": "name",
                    "in": "path",
                    "required": True,
                    "schema": {"enum": names},
                }
            ],
            "responses": {
                "200": {
                    "description": "A JSON Schema (draft 2020-12).",
                    "content": json_content(
                        {"type": "object"}, "application/schema+json"
                    ),
                },
                "404": answer("No such schema.", ref("Error")),
            },
        }
    }


def description(request, endpoints):
    """The OpenAPI document of the API whose record types are `endpoints`:
    (serializer, filterset class, path converter) triples."""
    base = reverse("api:index")
    schemas = {"Error": ERROR, "Index": INDEX}
    paths = {"/": {"get": {
        "operationId": "index",
        "summary": "Every endpoint and schema",
        "responses": {"200": answer("The endpoints.", ref("Index"))},
    }}}  # fmt: skip
    for serializer, filterset_class, converter in endpoints:
        record = serializer.title.replace(" ", "")
        schemas[record] = embedded(serializer.schema())
        schemas[f"{record}Document"] = embedded(
            serializer.document_schema("", f"#/components/schemas/{record}")
        )
        paths[f"/{serializer.plural}/"] = list_operation(serializer, filterset_class)
        paths[f"/{serializer.plural}/{{key}}/"] = detail_operation(
            serializer, converter
        )
    names = [serializer.name for serializer, _, _ in endpoints]
    paths["/schemas/{name}.json"] = schema_operation(names, document=False)
    paths["/schemas/{name}-document.json"] = schema_operation(names, document=True)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": SCHEMA_DIALECT,
        "info": {
            "title": "ICI Reference API",
            "version": "1",
            "description": "Read-only public data: partners, cooperation areas, "
            "activities, milestones and the sources they cite. No key is needed.",
        },
        "externalDocs": {"url": request.build_absolute_uri(reverse("data"))},
        "servers": [{"url": request.build_absolute_uri(base).rstrip("/")}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
