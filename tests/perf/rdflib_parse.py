"""rdflib's parse rate on the performance suite's Turtle pages (what ckanext-dcat's harvester does).

usage: rdflib_parse.py --out RESULT.json [--max-seconds S] FILE...

Each file is parsed into a fresh rdflib Graph, as a harvester parses page by page. Only the
parsing is timed; counting the triples and the dcat:Dataset subjects of each graph is not.
With --max-seconds, no new file is started once S seconds of parsing have passed (a file
already begun is finished), and "complete" says whether every file was parsed.

Writes a JSON object: files, triples, datasets (distinct dcat:Dataset subjects), seconds,
triples_per_second, datasets_per_second, peak_rss_mib (of this process), complete, and the
rdflib version.
"""

import argparse
import json
import resource
import sys
import time

import rdflib
from rdflib import Graph
from rdflib.namespace import DCAT, RDF


def parse_files(paths, max_seconds=None):
    files = 0
    triples = 0
    datasets = set()
    seconds = 0.0
    for path in paths:
        if max_seconds is not None and seconds >= max_seconds:
            break
        graph = Graph()
        started = time.perf_counter()
        graph.parse(path, format="turtle")
        seconds += time.perf_counter() - started
        files += 1
        triples += len(graph)
        datasets.update(graph.subjects(RDF.type, DCAT.Dataset))
    return {
        "files": files,
        "triples": triples,
        "datasets": len(datasets),
        "seconds": round(seconds, 6),
        "triples_per_second": round(triples / seconds, 1) if seconds > 0 else None,
        "datasets_per_second": round(len(datasets) / seconds, 1) if seconds > 0 else None,
        # ru_maxrss is in KiB on Linux.
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "complete": files == len(paths),
        "rdflib": rdflib.__version__,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the JSON result")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="start no new file after this many seconds of parsing")
    parser.add_argument("files", nargs="+", help="Turtle files, parsed in this order")
    args = parser.parse_args(argv)
    result = parse_files(args.files, args.max_seconds)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
