"""Validates what a live ldtcat publishes with pyshacl and the official DCAT-AP 3.0.0 shapes.

usage: shacl_check.py SHAPES [--catalog URL]... [--record SOURCE_FILE URL]...

--catalog URL          a /catalog page: no mandatory-cardinality violation is allowed but those
                       the --record sources have themselves (ldtcat's own Catalog and
                       CatalogRecords, and records valid at their source, must be clean).
--record SOURCE URL    a record document republished from SOURCE: it may have no
                       mandatory-cardinality violation that SOURCE does not have itself.

Mandatory cardinalities are the sh:minCount results of severity sh:Violation. Prints a JSON
report; exits 1 when a check fails.
"""

import json
import sys
import urllib.request

import pyshacl
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF

SH = Namespace("http://www.w3.org/ns/shacl#")


def fetch(url):
    request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return Graph().parse(data=response.read().decode("utf-8"), format="turtle", publicID=url)


def read(path):
    fmt = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "nt": "nt"}[path.rsplit(".", 1)[-1]]
    return Graph().parse(path, format=fmt)


def cardinality_violations(data, shapes):
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        if report.value(result, SH.sourceConstraintComponent) != SH.MinCountConstraintComponent:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        if isinstance(focus, BNode):
            types = sorted(str(t) for t in data.objects(focus, RDF.type))
            focus = "_:(" + ",".join(types) + ")"
        found.add((str(focus), str(path)))
    return found


def main(argv):
    shapes = Graph().parse(argv[0], format="turtle")
    catalogs, records = [], []
    rest = argv[1:]
    while rest:
        option = rest.pop(0)
        if option == "--catalog":
            catalogs.append(rest.pop(0))
        elif option == "--record":
            records.append((rest.pop(0), rest.pop(0)))
        else:
            raise SystemExit(f"unknown option {option}")
    documents = []
    ok = True
    at_source = {}
    for source in sorted({source for source, _ in records}):
        at_source[source] = cardinality_violations(read(source), shapes)
    known = set().union(*at_source.values()) if at_source else set()
    for source, url in records:
        new = cardinality_violations(fetch(url), shapes) - at_source[source]
        documents.append({"url": url, "source": source, "source_violations": len(at_source[source]), "new": sorted(map(list, new))})
        ok = ok and not new
    for url in catalogs:
        violations = cardinality_violations(fetch(url), shapes)
        new = violations - known
        documents.append({"url": url, "violations": len(violations), "new": sorted(map(list, new))})
        ok = ok and not new
    print(json.dumps({"ok": ok, "documents": documents}, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
