"""A SPARQL client's view of ldtcat: SPARQLWrapper (SELECT, ASK, CONSTRUCT) and rdflib.

usage: sparql_client.py ENDPOINT_URL RESOURCE_IRI
Prints a JSON object with what each client got.
"""

import json
import sys

from rdflib import Graph
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

COUNT = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT (COUNT(DISTINCT ?record) AS ?n) WHERE { GRAPH <urn:ldtcat:catalog> { ?record a dcat:CatalogRecord } }"""


def main(endpoint, resource):
    out = {}
    client = SPARQLWrapper(endpoint)
    client.setReturnFormat(JSON)
    client.setQuery(COUNT)
    out["records"] = int(client.query().convert()["results"]["bindings"][0]["n"]["value"])

    client.setQuery(f"ASK {{ <{resource}> ?p ?o }}")
    out["ask"] = client.query().convert()["boolean"]

    client.setMethod("POST")
    client.setQuery(f"SELECT ?title WHERE {{ <{resource}> <http://purl.org/dc/terms/title> ?title }} ORDER BY ?title")
    out["titles"] = [b["title"]["value"] for b in client.query().convert()["results"]["bindings"]]

    construct = SPARQLWrapper(endpoint)
    construct.setQuery(f"CONSTRUCT WHERE {{ <{resource}> ?p ?o }}")
    construct.setReturnFormat(TURTLE)
    body = construct.query().convert()
    graph = Graph().parse(data=body.decode("utf-8") if isinstance(body, bytes) else body, format="turtle")
    out["construct_triples"] = len(graph)

    broken = SPARQLWrapper(endpoint)
    broken.setReturnFormat(JSON)
    broken.setQuery("SELECT * WHERE { ?s ?p }")
    try:
        broken.query()
        out["syntax_error"] = None
    except Exception as error:  # SPARQLWrapper raises QueryBadFormed on a 400
        out["syntax_error"] = type(error).__name__
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
