"""Checks ldtcat's Dataspace Protocol catalog with third-party tools (tests/dsp.rs runs it).

- Every message (each page of a catalog walk, each dataset, each error) is validated with
  `jsonschema` against the DSP 2025-1 JSON schemas, registered by their `$id` (nothing is
  fetched).
- Every dataset is expanded to RDF by `pyld` (the DSP contexts served from local copies) and
  compared with the record's Turtle (`/resources/{id}.ttl`, parsed by rdflib): once what the
  DSP form adds is set aside (the `Dataset`, `Distribution` and `Offer` classes, offers derived
  by the offer rule, the default transfer format, ldtcat's own DataService, `endpointURL`
  strings beside `dcat:endpointURL` IRIs) and what it drops (`odrl:target` and other classes
  of a policy), the served graph and the record's description must be isomorphic.

Usage: dsp_check.py --schemas DIR --contexts DIR --base URL [--token T] [--page-size N]
       [--dataset ID ...] [--bad-requests]
Prints a JSON report.
"""

import argparse
import json
import pathlib
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

import jsonschema
import rdflib
import referencing
from pyld import jsonld
from rdflib.compare import isomorphic, graph_diff, to_isomorphic
from rdflib.namespace import RDF

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
ODRL = rdflib.Namespace("http://www.w3.org/ns/odrl/2/")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
DSP_CONTEXT = "https://w3id.org/dspace/2025/1/context.jsonld"
CONTEXT_FILES = {
    DSP_CONTEXT: "context-dspace-2025-1.jsonld",
    "https://w3id.org/dspace/2025/1/odrl-profile.jsonld": "context-odrl.jsonld",
}


def validators(schema_dir):
    schemas = [json.loads(p.read_text()) for p in pathlib.Path(schema_dir).glob("*-schema.json")]
    registry = referencing.Registry().with_resources(
        (s["$id"], referencing.Resource.from_contents(s)) for s in schemas
    )
    by_title = {s["title"]: s for s in schemas}
    return {
        name: jsonschema.Draft201909Validator(by_title[title], registry=registry)
        for name, title in [
            ("catalog", "CatalogSchema"),
            ("dataset", "DatasetSchema"),
            ("error", "CatalogErrorSchema"),
            ("request", "CatalogRequestMessageSchema"),
        ]
    }


def loader_for(context_dir):
    def load(url, options=None):
        name = CONTEXT_FILES.get(url)
        if name is None:
            raise jsonld.JsonLdError("unknown context", "loading document failed", {"url": url})
        document = json.loads((pathlib.Path(context_dir) / name).read_text())
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def http(method, url, body=None, token=None):
    request = urllib.request.Request(url, method=method, data=body)
    request.add_header("Accept", "application/json")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def next_link(headers):
    for value in headers.get_all("Link") or []:
        for target, params in re.findall(r"<([^>]*)>([^,]*)", value):
            if re.search(r'rel="?next"?', params):
                return target
    return None


def schema_errors(validator, message, where):
    return [f"{where}: {e.json_path}: {e.message}" for e in validator.iter_errors(message)]


def expand(message, loader):
    nquads = jsonld.to_rdf(
        message, {"format": "application/n-quads", "documentLoader": loader}
    )
    graph = rdflib.Graph()
    graph.parse(data=nquads, format="nt")
    return graph


def reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, _, o in graph.triples((node, None, None)):
            if not isinstance(o, rdflib.Literal):
                todo.append(o)
    return seen


def compare(served, record, resource, base):
    """Served dataset graph against the record's description (see the module doc)."""
    service = rdflib.URIRef(f"{base}/catalog#dataspace-protocol")
    # The record document's metadata quality (DQV) is ldtcat's, not the description's.
    record = rdflib.Graph() + record
    for link in (DQV.hasQualityMeasurement, DQV.hasQualityAnnotation):
        for node in list(record.objects(resource, link)):
            record.remove((node, None, None))
            record.remove((resource, link, node))
    expected = rdflib.Graph()
    for node in reachable(record, resource):
        for triple in record.triples((node, None, None)):
            expected.add(triple)
    got = rdflib.Graph()
    for triple in served:
        got.add(triple)
    # Derived offers, and ldtcat's own service.
    for offer in list(got.objects(resource, ODRL.hasPolicy)):
        if str(offer).startswith("urn:ldtcat:offer:"):
            for node in reachable(got, offer):
                got.remove((node, None, None))
            got.remove((resource, ODRL.hasPolicy, offer))
    got.remove((service, None, None))
    for distribution in list(got.objects(resource, DCAT.distribution)):
        got.remove((distribution, DCAT.accessService, service))
        if not list(record.objects(resource, DCAT.distribution)):
            got.remove((distribution, None, None))
            got.remove((resource, DCAT.distribution, distribution))
    # Formats that are not the record's: the default transfer format.
    for distribution, form in list(got.subject_objects(DCT["format"])):
        if isinstance(form, rdflib.URIRef) and not any(
            o == form for o in expected.objects(None, DCT["format"])
        ):
            got.remove((distribution, DCT["format"], form))
    # endpointURL strings (DSP's form) beside the record's IRIs, or of services described in
    # their own records.
    for node, endpoint in list(got.subject_objects(DCAT.endpointURL)):
        if isinstance(endpoint, rdflib.Literal) and (node, DCAT.endpointURL, endpoint) not in expected:
            got.remove((node, DCAT.endpointURL, endpoint))
            if (node, None, None) not in expected:
                got.remove((node, RDF.type, DCAT.DataService))
    # Classes DSP adds, and classes and targets of policies it drops.
    for graph in (got, expected):
        graph.remove((resource, RDF.type, DCAT.Dataset))
        graph.remove((None, RDF.type, DCAT.Distribution))
        for policy in list(graph.objects(resource, ODRL.hasPolicy)):
            graph.remove((policy, RDF.type, None))
            graph.remove((policy, ODRL.target, None))
    if isomorphic(got, expected):
        return None
    _, only_served, only_record = graph_diff(to_isomorphic(got), to_isomorphic(expected))
    return {
        "only_served": sorted(str(t) for t in only_served)[:10],
        "only_record": sorted(str(t) for t in only_record)[:10],
    }


def walk_catalog(args, checks, loader, report):
    message = {"@context": [DSP_CONTEXT], "@type": "CatalogRequestMessage", "filter": []}
    report["schema_errors"] += schema_errors(checks["request"], message, "request")
    url = f"{args.base}/catalog/request?page_size={args.page_size}"
    seen = []
    while url and report["catalog_pages"] < 10_000:
        status, headers, body = http("POST", url, json.dumps(message).encode(), args.token)
        if status != 200:
            report["failures"].append(f"{url}: HTTP {status}: {body[:300]!r}")
            return
        page = json.loads(body)
        report["catalog_pages"] += 1
        report["schema_errors"] += schema_errors(checks["catalog"], page, url)
        # The catalog page expands too (the processor reads every dataset in it).
        expand(page, loader)
        seen += [d["@id"] for d in page.get("dataset", [])]
        url = next_link(headers)
    report["datasets_in_catalog"] = len(seen)
    report["distinct_datasets_in_catalog"] = len(set(seen))


def check_datasets(args, checks, loader, report):
    for record_id in args.dataset:
        url = f"{args.base}/catalog/datasets/{record_id}"
        status, _, body = http("GET", url, token=args.token)
        if status != 200:
            report["failures"].append(f"{url}: HTTP {status}")
            continue
        message = json.loads(body)
        report["schema_errors"] += schema_errors(checks["dataset"], message, url)
        served = expand(message, loader)
        status, _, turtle = http("GET", f"{args.base}/resources/{record_id}.ttl")
        record = rdflib.Graph()
        record.parse(data=turtle.decode(), format="turtle")
        difference = compare(served, record, rdflib.URIRef(message["@id"]), args.base)
        report["datasets_checked"] += 1
        report["served_statements"] += len(served)
        if difference:
            report["graph_mismatches"].append({"dataset": message["@id"], **difference})


def check_bad_requests(args, checks, report):
    cases = [
        ("POST", "/catalog/request", b"{not json", 400),
        ("POST", "/catalog/request", b'{"@context": ["' + DSP_CONTEXT.encode() + b'"], "@type": "DatasetRequestMessage", "dataset": "x"}', 400),
        ("GET", "/catalog/datasets/urn:uuid:nothing-here", None, 404),
    ]
    for method, path, body, expected in cases:
        status, _, answer = http(method, args.base + path, body, args.token)
        error = json.loads(answer)
        report["errors_checked"] += 1
        report["schema_errors"] += schema_errors(checks["error"], error, f"{method} {path}")
        if status != expected:
            report["failures"].append(f"{method} {path}: HTTP {status}, expected {expected}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--contexts", required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--token")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--dataset", nargs="*", default=[])
    parser.add_argument("--bad-requests", action="store_true")
    args = parser.parse_args()
    checks = validators(args.schemas)
    loader = loader_for(args.contexts)
    report = {
        "catalog_pages": 0,
        "datasets_in_catalog": 0,
        "datasets_checked": 0,
        "served_statements": 0,
        "errors_checked": 0,
        "schema_errors": [],
        "graph_mismatches": [],
        "failures": [],
    }
    walk_catalog(args, checks, loader, report)
    check_datasets(args, checks, loader, report)
    if args.bad_requests:
        check_bad_requests(args, checks, report)
    json.dump(report, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
