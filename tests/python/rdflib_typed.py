"""What a type-checking RDF client (rdflib, as CKAN's DCAT harvester uses it) finds ill-typed.

usage: rdflib_typed.py (URL | FILE)...
Parses each document with rdflib (the syntax from the media type or the file extension; a
/catalog page is followed along hydra:next) and prints, as JSON:
{"documents": N, "literals": N, "ill_typed": ["<literal> in <document>", ...],
 "warnings": ["what rdflib logged", ...]}.
"""

import json
import logging
import sys

from rdflib import Graph, Literal, Namespace

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def main(locations):
    handler = Collect()
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.WARNING)
    documents, literals, ill_typed = 0, 0, []
    queue, seen = list(locations), set()
    while queue:
        location = queue.pop(0)
        if location in seen or len(seen) > 10000:
            continue
        seen.add(location)
        graph = Graph()
        if location.endswith(".ttl") or "/catalog" in location:
            graph.parse(location, format="turtle")
        else:
            graph.parse(location)
        documents += 1
        for _, _, value in graph:
            if isinstance(value, Literal):
                literals += 1
                if value.ill_typed:
                    ill_typed.append(f"{value.n3()} in {location}")
        queue.extend(str(following) for following in graph.objects(None, HYDRA.next))
    print(json.dumps({
        "documents": documents,
        "literals": literals,
        "ill_typed": ill_typed,
        "warnings": handler.messages,
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
