"""Prints pyshacl's validation results as JSON, for comparison with ldtcat-quality's engine.

usage: shacl_results.py SHAPES... -- DATA[=BASE_IRI]...

Validates every data file against every shapes file separately (inference none, the whole
file graph, as ldtcat's agreement test does) and prints one JSON object: for each
"SHAPES_NAME DATA_NAME" pair, null when rdflib cannot parse the data file, else the sorted list of [source shape key, focus node key,
constraint component IRI, number of results]. The keys are stable across tools:

- a named node is "<iri>", a literal is its N-Triples form;
- a blank focus node is "_:" followed by its sorted rdf:type IRIs, joined by ",";
- a blank source shape is the key of the shape that holds it with sh:property, then "/",
  then its path ("<p>", "^<p>", "(<a> / <b>)", "(<a> | <b>)", "<p>*", "<p>+", "<p>?").
"""

import json
import os
import sys
from collections import Counter

import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

SH = Namespace("http://www.w3.org/ns/shacl#")


def node_key(node, data):
    if isinstance(node, URIRef):
        return "<%s>" % node
    if isinstance(node, Literal):
        return node.n3()
    types = sorted("<%s>" % t for t in data.objects(node, RDF.type))
    return "_:" + ",".join(types)


def path_text(path, shapes):
    if isinstance(path, URIRef):
        return "<%s>" % path
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(inverse, shapes)
    alternative = shapes.value(path, SH.alternativePath)
    if alternative is not None:
        parts = [path_text(p, shapes) for p in Collection(shapes, alternative)]
        return "(" + " | ".join(parts) + ")"
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return path_text(inner, shapes) + suffix
    if shapes.value(path, RDF.first) is not None:
        parts = [path_text(p, shapes) for p in Collection(shapes, path)]
        return "(" + " / ".join(parts) + ")"
    return "?"


def shape_key(shape, shapes):
    if isinstance(shape, URIRef):
        return "<%s>" % shape
    parents = sorted(shape_key(p, shapes) for p in shapes.subjects(SH.property, shape))
    parent = parents[0] if parents else "_:"
    path = shapes.value(shape, SH.path)
    return parent + "/" + (path_text(path, shapes) if path is not None else "")


def results(data, shapes):
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False
    )
    counts = Counter()
    # Only the report's own sh:result values: pyshacl also types the nested sh:detail
    # results (of sh:node and the logical constraints) as sh:ValidationResult.
    for result in report.objects(report.value(predicate=RDF.type, object=SH.ValidationReport), SH.result):
        key = (
            shape_key(report.value(result, SH.sourceShape), shapes),
            node_key(report.value(result, SH.focusNode), data),
            str(report.value(result, SH.sourceConstraintComponent)),
        )
        counts[key] += 1
    return sorted([*key, count] for key, count in counts.items())


def parse(argument):
    path, _, base = argument.partition("=")
    try:
        graph = Graph().parse(path, format="turtle", publicID=base or None)
    except Exception:  # noqa: BLE001 - a file rdflib cannot read is reported, not fatal
        graph = None
    return os.path.basename(path), graph


def main(argv):
    split = argv.index("--")
    shapes_files = [parse(a) for a in argv[:split]]
    data_files = [parse(a) for a in argv[split + 1 :]]
    output = {}
    for shapes_name, shapes in shapes_files:
        for data_name, data in data_files:
            key = shapes_name + " " + data_name
            output[key] = None if data is None else results(data, shapes)
    print(json.dumps(output, indent=0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
