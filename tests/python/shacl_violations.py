"""Lists the DCAT-AP mandatory-cardinality violations of record documents, with pyshacl and
the official DCAT-AP 3.0.0 shapes.

usage: shacl_violations.py SHAPES URL...

Mandatory cardinalities are the sh:minCount results of severity sh:Violation. Prints a JSON
object: for each URL, the sorted list of [focus node classes, path] pairs (the classes of the
focus node joined by commas, the focus node itself when it has none).
"""

import json
import sys
import urllib.request

import pyshacl
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

SH = Namespace("http://www.w3.org/ns/shacl#")


def fetch(url):
    request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return Graph().parse(data=response.read().decode("utf-8"), format="turtle", publicID=url)


def violations(data, shapes):
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        if report.value(result, SH.sourceConstraintComponent) != SH.MinCountConstraintComponent:
            continue
        focus = report.value(result, SH.focusNode)
        types = ",".join(sorted(str(t) for t in data.objects(focus, RDF.type))) or str(focus)
        found.add((types, str(report.value(result, SH.resultPath))))
    return sorted(map(list, found))


def main(argv):
    shapes = Graph().parse(argv[0], format="turtle")
    print(json.dumps({url: violations(fetch(url), shapes) for url in argv[1:]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
