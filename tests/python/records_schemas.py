"""Validates ldtcat's OGC API Records responses with the official OGC schemas.

Usage: records_schemas.py SCHEMA_DIR BASE_URL PATH [PATH ...]

SCHEMA_DIR is ogcapi-records/core/openapi. Each PATH (relative to BASE_URL, with its query
string) is fetched and validated against the schema of its resource: the landing page,
conformance, collections, a collection, a record collection (items), a record, an
exception (paths prefixed with `!` must fail with 4xx), the queryables and sortables (JSON
Schema documents). /ogc/api is validated as OpenAPI 3.0 with openapi-spec-validator.

The schemas are YAML files with relative `$ref`s between them and `$ref`s to the OGC API
Features Part 1 schemas on schemas.opengis.net. Nothing is fetched: the files are
registered under their file URIs, and each Features URL is registered as the copy that the
standard's all-in-one example carries (its description says `See: <that URL>`).

Two adaptations, both about `null`, stated in the report:
1. The schemas write "an object or null" as `oneOf: [{type: object, nullable: true}, X]`
   (OpenAPI 3.0 has no null type). Read literally, every non-null object matches both
   branches and `oneOf` fails, so even the standard's example record (examples/json/
   record.json) would be invalid; the branch is read as `null`. The report shows that the
   example fails without the adaptation and passes with it.
2. A record collection is also an OGC API Features 1.0 feature collection (`allOf`), whose
   feature schema requires a geometry object, while a record's geometry may be `null`
   (recordGeoJSON.yaml, and RFC 7946 section 3.2 for any GeoJSON feature): the Features
   feature's geometry is read as "a geometry or null", as the record's is.

Prints a JSON report: {"ok": bool, "checked": [...], "failures": [...]}.
"""

import copy
import json
import pathlib
import sys
import urllib.error
import urllib.request

import yaml
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

FEATURES = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/schemas/"


def nullable_object_is_null(node):
    """The adaptation: a oneOf branch `{type: object, nullable: true}` means null."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "oneOf" and isinstance(value, list):
                out[key] = [
                    {"enum": [None]}
                    if branch == {"type": "object", "nullable": True}
                    else nullable_object_is_null(branch)
                    for branch in value
                ]
            else:
                out[key] = nullable_object_is_null(value)
        return out
    if isinstance(node, list):
        return [nullable_object_is_null(item) for item in node]
    return node


def registry(schema_dir, adapt):
    resources = []
    schemas = schema_dir / "schemas"
    for path in sorted(schemas.glob("*.yaml")):
        contents = yaml.safe_load(path.read_text())
        if adapt:
            contents = nullable_object_is_null(contents)
        resources.append((path.as_uri(), Resource.from_contents(contents, default_specification=DRAFT4)))
    all_in_one_path = schema_dir / "ogcapi-records-1-example-all-in-one.yaml"
    all_in_one = yaml.safe_load(all_in_one_path.read_text())
    if adapt:
        all_in_one = nullable_object_is_null(all_in_one)
    if adapt:
        feature = all_in_one["components"]["schemas"]["featureGeoJSON"]["properties"]
        feature["geometry"] = {"oneOf": [{"enum": [None]}, feature["geometry"]]}
    base = all_in_one_path.as_uri()
    resources.append((base, Resource.from_contents(all_in_one, default_specification=DRAFT4)))
    # The conformance declaration's copy does not say where it comes from: named here.
    unmarked = {"confClasses": FEATURES + "confClasses.yaml"}
    for name, schema in all_in_one["components"]["schemas"].items():
        description = schema.get("description", "")
        url = unmarked.get(name)
        if "See: " + FEATURES in description:
            url = description.split("See: ", 1)[1].split()[0].strip("'")
        if url:
            pointer = {"$ref": f"{base}#/components/schemas/{name}"}
            resources.append((url, Resource.from_contents(pointer, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


def validator(schema_dir, registry_, schema_ref):
    schema = {"$ref": schema_ref}
    return OAS30Validator(schema, registry=registry_, format_checker=FormatChecker())


def errors_of(schema_dir, registry_, schema_ref, document):
    found = validator(schema_dir, registry_, schema_ref).iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in found]


def schema_for(path):
    """The schema file (or Features URL) of a response, from its path."""
    bare = path.split("?")[0].rstrip("/")
    if bare.endswith("/ogc"):
        return "landingPage.yaml"
    if bare.endswith("/conformance"):
        return FEATURES + "confClasses.yaml"
    if bare.endswith("/collections"):
        return "catalogs.yaml"
    if bare.endswith("/items"):
        return "recordCollectionGeoJSON.yaml"
    if "/items/" in bare:
        return "recordGeoJSON.yaml"
    if bare.endswith("/queryables") or bare.endswith("/sortables"):
        return "json-schema"
    return "collection.yaml"


def fetch(url):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def main():
    schema_dir = pathlib.Path(sys.argv[1]).resolve()
    base = sys.argv[2].rstrip("/")
    paths = sys.argv[3:]
    schemas_uri = (schema_dir / "schemas").as_uri() + "/"
    strict = registry(schema_dir, adapt=False)
    adapted = registry(schema_dir, adapt=True)
    report = {"ok": True, "checked": [], "failures": [], "adaptation": {}}

    example = json.loads((schema_dir.parent / "examples/json/record.json").read_text())
    record_schema = schemas_uri + "recordGeoJSON.yaml"
    report["adaptation"] = {
        "example_errors_literal": len(errors_of(schema_dir, strict, record_schema, example)),
        "example_errors_adapted": errors_of(schema_dir, adapted, record_schema, example),
    }
    if report["adaptation"]["example_errors_adapted"]:
        report["ok"] = False

    for path in paths:
        expect_error = path.startswith("!")
        path = path.lstrip("!")
        status, document = fetch(base + path)
        if expect_error:
            target = FEATURES + "exception.yaml"
            problems = [] if 400 <= status < 500 else [f"status {status}, expected 4xx"]
        else:
            target = schema_for(path)
            problems = [] if status == 200 else [f"status {status}: {document}"]
        if target == "json-schema":
            try:
                from jsonschema import Draft202012Validator
                Draft202012Validator.check_schema(document)
            except Exception as error:  # noqa: BLE001 - reported
                problems.append(str(error)[:300])
        else:
            ref = target if target.startswith("https://") else schemas_uri + target
            problems += errors_of(schema_dir, adapted, ref, document)
        report["checked"].append({"path": path, "schema": target, "status": status})
        if problems:
            report["ok"] = False
            report["failures"].append({"path": path, "schema": target, "errors": problems[:10]})

    status, api = fetch(base + "/ogc/api")
    try:
        validate_openapi(api)
        report["checked"].append({"path": "/ogc/api", "schema": "OpenAPI 3.0", "status": status})
    except Exception as error:  # noqa: BLE001 - reported
        report["ok"] = False
        report["failures"].append({"path": "/ogc/api", "schema": "OpenAPI 3.0", "errors": [str(error)[:500]]})
    print(json.dumps(report))


if __name__ == "__main__":
    main()
