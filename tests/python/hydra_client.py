"""A harvester's view of ldtcat: follows Hydra paging links from a /catalog page with rdflib.

usage: hydra_client.py START_URL (next|nextPage)
Prints {"records": N, "datasets": N, "pages": N} as JSON: distinct dcat:record and dcat:dataset
objects over every page reached by following hydra:next (PartialCollectionView) or
hydra:nextPage (the legacy PagedCollection, as ckanext-dcat reads it).
"""

import json
import sys

from rdflib import Graph, Namespace

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


def main(start, link):
    records, datasets, seen_pages = set(), set(), []
    url = start
    while url:
        if url in seen_pages or len(seen_pages) > 10000:
            raise SystemExit(f"paging loops at {url}")
        seen_pages.append(url)
        graph = Graph().parse(url, format="turtle")
        records.update(graph.objects(None, DCAT.record))
        datasets.update(graph.objects(None, DCAT.dataset))
        following = list(graph.objects(None, HYDRA[link]))
        url = str(following[0]) if following else None
    print(json.dumps({"records": len(records), "datasets": len(datasets), "pages": len(seen_pages)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
