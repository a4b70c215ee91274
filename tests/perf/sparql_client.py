"""One SPARQL timing client for every engine in the performance suite (ldtcat, Virtuoso).

usage: sparql_client.py --endpoint URL --queries QUERIES.json --out RESULT.json
                        [--repeat R] [--warmup W] [--timeout SECONDS]

QUERIES.json is {"name": ["query 1", "query 2", ...], ...}. For each name, in file order, W
warm-up requests and then R timed requests are sent one after the other over one persistent
HTTP/1.1 (keep-alive) connection, cycling through that name's queries. Each request is a POST
of application/x-www-form-urlencoded "query=..." with Accept: application/sparql-results+json;
the whole body is read and parsed. A request counts as an error when the status is not 200,
the body is not SPARQL JSON results, or the connection fails (it is then reopened); errors
are counted and reported, never fatal.

Writes {name: {requests, errors, p50_ms, p99_ms, mean_ms, rows_first, rows_total,
connections, first_error}}: latencies are of the timed requests that succeeded, percentile
p is the sorted latencies' element at index round((n - 1) * p); rows_first is the row count
of the first timed answer, rows_total the sum over the timed answers (an ASK answer is one
row); connections counts the TCP connections opened for that name.
"""

import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse

ACCEPT = "application/sparql-results+json"


class Endpoint:
    """A SPARQL endpoint reached over one kept-alive HTTP/1.1 connection, reopened when lost."""

    def __init__(self, url, timeout=600.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) endpoint: {url}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.path = parts.path or "/"
        if parts.query:
            self.path += "?" + parts.query
        self.timeout = timeout
        self.connection = None
        self.connections = 0

    def _connect(self):
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        self.connection = cls(self.host, self.port, timeout=self.timeout)
        self.connection.connect()
        self.connections += 1

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def post(self, query):
        """Sends one query; returns (status, body bytes). Raises OSError/HTTPException on a
        failed connection, after closing it so the next call opens a new one."""
        if self.connection is None or self.connection.sock is None:
            # A response with "Connection: close" leaves the socket closed: reopen it here so
            # that the count of connections stays right.
            self._connect()
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": ACCEPT,
            "Connection": "keep-alive",
        }
        try:
            self.connection.request("POST", self.path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, data

    def query_json(self, query):
        """Sends one query and returns the parsed SPARQL JSON results; raises on any failure."""
        status, data = self.post(query)
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {data[:300].decode('utf-8', 'replace')}")
        return json.loads(data)


def count_rows(data):
    """Rows in a SPARQL JSON results body (an ASK answer is one row); raises ValueError if the
    body is not SPARQL JSON results."""
    document = json.loads(data)
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    if "boolean" in document:
        return 1
    bindings = document.get("results", {}).get("bindings")
    if not isinstance(bindings, list):
        raise ValueError("no results.bindings")
    return len(bindings)


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    return sorted_values[round((len(sorted_values) - 1) * p)]


def run_one(endpoint, query):
    """Times one request: returns (milliseconds, rows or None, error message or None)."""
    started = time.perf_counter()
    try:
        status, data = endpoint.post(query)
    except (OSError, http.client.HTTPException) as error:
        return (time.perf_counter() - started) * 1000, None, f"connection: {error!r}"
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        return elapsed, None, f"HTTP {status}: {data[:300].decode('utf-8', 'replace')}"
    try:
        return elapsed, count_rows(data), None
    except ValueError as error:
        return elapsed, None, f"unparsable answer: {error}: {data[:200].decode('utf-8', 'replace')}"


def time_name(url, queries, repeat, warmup, timeout=600.0):
    """Warm-up then timed requests for one name's list of queries, over one connection."""
    if not queries:
        raise ValueError("empty list of queries")
    endpoint = Endpoint(url, timeout)
    latencies = []
    errors = 0
    first_error = None
    rows_first = None
    rows_total = 0
    try:
        for i in range(warmup):
            run_one(endpoint, queries[i % len(queries)])
        for i in range(repeat):
            # Cycling goes on from where the warm-up stopped, so every query is timed alike.
            elapsed, rows, error = run_one(endpoint, queries[(warmup + i) % len(queries)])
            if error is not None:
                errors += 1
                first_error = first_error or error
                continue
            latencies.append(elapsed)
            rows_first = rows if rows_first is None else rows_first
            rows_total += rows
    finally:
        endpoint.close()
    latencies.sort()
    rounded = lambda value: None if value is None else round(value, 3)
    return {
        "requests": repeat,
        "errors": errors,
        "p50_ms": rounded(percentile(latencies, 0.5)),
        "p99_ms": rounded(percentile(latencies, 0.99)),
        "mean_ms": rounded(statistics.fmean(latencies)) if latencies else None,
        "rows_first": rows_first,
        "rows_total": rows_total,
        "connections": endpoint.connections,
        "first_error": first_error,
    }


def time_queries(url, queries_by_name, repeat, warmup, timeout=600.0):
    """{name: result of time_name} for every name of a queries.json object, in its order."""
    return {
        name: time_name(url, queries, repeat, warmup, timeout)
        for name, queries in queries_by_name.items()
    }


def load_queries(path):
    with open(path, encoding="utf-8") as source:
        queries = json.load(source)
    if not isinstance(queries, dict) or not all(
        isinstance(v, list) and v and all(isinstance(q, str) for q in v) for v in queries.values()
    ):
        raise ValueError(f"{path}: expected {{\"name\": [\"query\", ...], ...}}")
    return queries


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="SPARQL endpoint URL")
    parser.add_argument("--queries", required=True, help="JSON file {name: [query, ...]}")
    parser.add_argument("--out", required=True, help="where to write the JSON result")
    parser.add_argument("--repeat", type=int, default=100, help="timed requests per name")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per name first")
    parser.add_argument("--timeout", type=float, default=600.0, help="socket timeout, seconds")
    args = parser.parse_args(argv)
    result = time_queries(args.endpoint, load_queries(args.queries), args.repeat, args.warmup,
                          args.timeout)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
