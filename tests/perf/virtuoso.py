"""A private Virtuoso 7 on loopback for the performance suite: bulk load, then SPARQL timings.

usage:
  virtuoso.py bench --data DIR [--glob '*.ttl'] --graph IRI --work WORKDIR --queries QUERIES.json
                    --out RESULT.json [--repeat R] [--warmup W] [--loaders N] [--memory-gib G]
                    [--keep-running]
  virtuoso.py stop --work WORKDIR

bench writes WORKDIR/virtuoso.ini (database, transaction log, temporary database and log all
in WORKDIR, which is emptied of an earlier run's database first; SQL and HTTP ports free
loopback ports picked now; DirsAllowed holding DIR and WORKDIR; buffers from Virtuoso's table
for the memory given, 8 GiB by default; SPARQL row and time limits out of the way), starts
`virtuoso-t +foreground +configfile virtuoso.ini`, waits until isql and /sparql answer, and
bulk loads DIR with Virtuoso's bulk loader: ld_dir(DIR, GLOB, GRAPH), two rdf_loader_run()
in parallel (one per core of the suite's 2-core machine), then checkpoint. load_seconds runs
from ld_dir to the end of the checkpoint. It then counts the graph's triples and times the
queries with sparql_client.py's code against http://127.0.0.1:PORT/sparql. The queries are
written against the default graph, as for ldtcat, whose default graph is the union of its
graphs: Virtuoso's /sparql, given no default-graph-uri, queries all graphs likewise.

It writes a JSON object: version, load_seconds, triples, triples_per_second, files_loaded
(without error), load_errors (the load_list rows with an ll_error), queries ({name: as
sparql_client.py}), db_size_mib (virtuoso.db and virtuoso.trx; Virtuoso grows virtuoso.db in
steps, so small loads show its first extent), server_peak_rss_mib (VmHWM of virtuoso-t just
before it is stopped) and the endpoint and ports. The server is then stopped (isql shutdown,
then SIGTERM, then SIGKILL) unless --keep-running, in which case `stop --work WORKDIR` stops
it later; otherwise it also gets SIGTERM should this script die. On any failure the server
is stopped too and the exit code is 1; when virtuoso-t is not installed the exit code is 3.
"""

import argparse
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree by the import below
import sparql_client  # noqa: E402

NOT_INSTALLED = 3
DBA_USER = "dba"
DBA_PASSWORD = "dba"  # a new database's; the instance listens on loopback only
# The files of one instance, all in WORKDIR; an earlier run's are removed before starting.
DB_FILES = ("virtuoso.db", "virtuoso.trx", "virtuoso.lck", "virtuoso.log", "virtuoso.pxa",
            "virtuoso-temp.db", "virtuoso-temp.trx")
# Virtuoso's table of NumberOfBuffers and MaxDirtyBuffers by the memory given to it (GiB).
BUFFERS = {2: (170000, 130000), 4: (340000, 250000), 8: (680000, 500000),
           16: (1360000, 1000000), 32: (2720000, 2000000), 48: (4000000, 3000000),
           64: (5450000, 4000000)}


class Failure(Exception):
    """A failed step, reported as its message."""


def find_binaries():
    """(virtuoso-t, isql) paths, or None when Virtuoso is not installed."""
    server = shutil.which("virtuoso-t") or (
        "/usr/bin/virtuoso-t" if os.access("/usr/bin/virtuoso-t", os.X_OK) else None)
    if server is None:
        return None
    # Debian names Virtuoso's isql isql-vt (plain isql is unixODBC's); a build from source
    # installs isql beside virtuoso-t.
    isql = shutil.which("isql-vt")
    if isql is None:
        beside = os.path.join(os.path.dirname(server), "isql")
        isql = beside if os.access(beside, os.X_OK) else None
    if isql is None:
        return None
    return server, isql


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def buffers_for(memory_gib):
    if memory_gib in BUFFERS:
        return BUFFERS[memory_gib]
    # The table's rule: about two thirds of the memory in 8 KiB pages, three quarters of
    # them allowed dirty.
    buffers = int(memory_gib * 85000)
    return buffers, buffers * 3 // 4


def write_ini(work, data_dir, sql_port, http_port, memory_gib):
    buffers, dirty = buffers_for(memory_gib)
    vsp = os.path.join(work, "vsp")
    os.makedirs(vsp, exist_ok=True)
    ini = f"""; Written by tests/perf/virtuoso.py for one private benchmark instance.
[Database]
DatabaseFile       = {work}/virtuoso.db
ErrorLogFile       = {work}/virtuoso.log
LockFile           = {work}/virtuoso.lck
TransactionFile    = {work}/virtuoso.trx
xa_persistent_file = {work}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {work}/virtuoso-temp.db
TransactionFile    = {work}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort            = 127.0.0.1:{sql_port}
LiteMode              = 0
DisableUnixSocket     = 1
DisableTcpSocket      = 0
ServerThreads         = 20
MaxClientConnections  = 20
CheckpointInterval    = 60
O_DIRECT              = 0
CaseMode              = 2
MaxStaticCursorRows   = 5000
CheckpointAuditTrail  = 0
AllowOSCalls          = 0
SchedulerInterval     = 10
DirsAllowed           = ., {data_dir}, {work}
ThreadCleanupInterval = 0
ThreadThreshold       = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize     = 100000
SingleCPU             = 0
PrefixResultNames     = 0
RdfFreeTextRulesSize  = 100
IndexTreeMaps         = 64
MaxMemPoolSize        = 200000000
MaxQueryMem           = 2G
VectorSize            = 1000
MaxVectorSize         = 1000000
AdjustVectorSize      = 0
ThreadsPerQuery       = 2
AsyncQueueMaxThreads  = 10
NumberOfBuffers       = {buffers}
MaxDirtyBuffers       = {dirty}

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {vsp}
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 60
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
MaxSortedTopRows           = 100000000
DeferInferenceRulesInit    = 0
"""
    path = os.path.join(work, "virtuoso.ini")
    with open(path, "w", encoding="utf-8") as out:
        out.write(ini)
    return path


def sql_string(value):
    return "'" + value.replace("'", "''") + "'"


class Server:
    """One virtuoso-t process started on a WORKDIR's virtuoso.ini."""

    def __init__(self, binary, isql, work, sql_port, http_port):
        self.binary = binary
        self.isql_binary = isql
        self.work = work
        self.sql_port = sql_port
        self.http_port = http_port
        self.process = None
        self.pid = None
        self.endpoint = f"http://127.0.0.1:{http_port}/sparql"

    def start(self, die_with_parent):
        log = open(os.path.join(self.work, "virtuoso-t.out"), "wb")
        preexec = None
        if die_with_parent:
            def preexec():
                # If this script is killed, the kernel sends the server SIGTERM.
                ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        self.process = subprocess.Popen(
            [self.binary, "+foreground", "+configfile", "virtuoso.ini"],
            cwd=self.work, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=preexec)
        log.close()
        self.pid = self.process.pid
        with open(os.path.join(self.work, "virtuoso-t.pid"), "w") as out:
            out.write(f"{self.pid}\n")

    def alive(self):
        if self.process is not None:
            return self.process.poll() is None
        return self.pid is not None and pid_alive(self.pid)

    def log_tail(self, lines=20):
        text = ""
        for name in ("virtuoso.log", "virtuoso-t.out"):
            path = os.path.join(self.work, name)
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as source:
                    text += f"--- {name}\n" + "".join(source.readlines()[-lines:])
        return text

    def isql(self, sql, timeout=None, check=True):
        """Runs SQL statements through isql; returns its output. With check, an isql exit code
        other than 0 or an "*** Error" in the output raises Failure."""
        command = [self.isql_binary, f"127.0.0.1:{self.sql_port}", DBA_USER, DBA_PASSWORD,
                   "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF"]
        try:
            done = subprocess.run(command, input=sql, capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise Failure(f"isql timed out after {timeout} s on: {sql.strip()[:200]}") from error
        output = done.stdout + done.stderr
        if check and (done.returncode != 0 or "*** Error" in output):
            raise Failure(f"isql failed (exit {done.returncode}) on: {sql.strip()[:200]}\n"
                          f"{output.strip()[:2000]}")
        return output

    def isql_value(self, sql):
        """The single value a one-row, one-column SELECT prints."""
        output = self.isql(sql.rstrip().rstrip(";") + ";\n")
        values = [line.strip() for line in output.splitlines() if line.strip()]
        if not values:
            raise Failure(f"no value from: {sql}")
        return values[-1]

    def wait_ready(self, timeout=300):
        deadline = time.monotonic() + timeout
        while True:
            if not self.alive():
                raise Failure("virtuoso-t exited while starting\n" + self.log_tail())
            try:
                output = self.isql("select 1;\n", timeout=30, check=False)
                if "*** Error" not in output and output.strip().endswith("1"):
                    break
            except Failure:
                pass
            if time.monotonic() > deadline:
                raise Failure(f"isql got no answer in {timeout} s\n" + self.log_tail())
            time.sleep(0.5)
        endpoint = sparql_client.Endpoint(self.endpoint, timeout=30)
        try:
            while True:
                try:
                    endpoint.query_json("ASK { ?s ?p ?o }")
                    return
                except (OSError, RuntimeError, ValueError):
                    endpoint.close()
                if time.monotonic() > deadline:
                    raise Failure(f"{self.endpoint} gave no answer in {timeout} s\n"
                                  + self.log_tail())
                time.sleep(0.5)
        finally:
            endpoint.close()

    def peak_rss_mib(self):
        try:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            return None
        return None

    def stop(self, timeout=120):
        """Stops the server: isql shutdown, then SIGTERM, then SIGKILL; waits for it to exit."""
        if self.pid is None or not self.alive():
            self.reap()
            return
        try:
            self.isql("shutdown;\n", timeout=timeout, check=False)
        except Failure:
            pass
        if self.wait_exit(timeout):
            return
        print(f"virtuoso-t {self.pid} still running after shutdown: SIGTERM", file=sys.stderr)
        self.signal(signal.SIGTERM)
        if self.wait_exit(60):
            return
        print(f"virtuoso-t {self.pid} still running after SIGTERM: SIGKILL", file=sys.stderr)
        self.signal(signal.SIGKILL)
        self.wait_exit(30)

    def signal(self, signum):
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def wait_exit(self, timeout):
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        self.reap()
        return True

    def reap(self):
        if self.process is not None:
            try:
                self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        pid_file = os.path.join(self.work, "virtuoso-t.pid")
        if not self.alive() and os.path.exists(pid_file):
            os.remove(pid_file)


def pid_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # A zombie (state Z) has exited.
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def bulk_load(server, data_dir, pattern, graph, loaders):
    """ld_dir, `loaders` rdf_loader_run() in parallel, checkpoint; returns seconds taken."""
    started = time.perf_counter()
    server.isql(f"ld_dir({sql_string(data_dir)}, {sql_string(pattern)}, {sql_string(graph)});\n")
    failures = []

    def run_loader():
        try:
            server.isql("rdf_loader_run();\n")
        except Failure as error:
            failures.append(str(error))

    threads = [threading.Thread(target=run_loader) for _ in range(loaders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise Failure("rdf_loader_run failed: " + failures[0])
    server.isql("checkpoint;\n")
    return time.perf_counter() - started


def load_report(server):
    """(files loaded without error, [{file, error}]) from DB.DBA.load_list."""
    loaded = int(server.isql_value(
        "select count(*) from DB.DBA.load_list where ll_state = 2 and ll_error is null"))
    output = server.isql(
        "select ll_file || ' :: ' || ll_error from DB.DBA.load_list where ll_error is not null;\n")
    errors = []
    for line in output.splitlines():
        if " :: " in line:
            file, error = line.strip().split(" :: ", 1)
            errors.append({"file": file, "error": error})
    return loaded, errors


def bench(args, binaries):
    data_dir = os.path.realpath(args.data)
    work = os.path.realpath(args.work)
    if not os.path.isdir(data_dir):
        raise Failure(f"no such directory: {data_dir}")
    queries = sparql_client.load_queries(args.queries)
    os.makedirs(work, exist_ok=True)
    for name in DB_FILES:
        path = os.path.join(work, name)
        if os.path.exists(path):
            os.remove(path)
    sql_port = free_port()
    http_port = free_port()
    while http_port == sql_port:
        http_port = free_port()
    write_ini(work, data_dir, sql_port, http_port, args.memory_gib)
    server = Server(binaries[0], binaries[1], work, sql_port, http_port)
    probe = subprocess.run([binaries[0], "-?"], capture_output=True, text=True)
    version = probe.stdout + probe.stderr
    version = next((line.strip() for line in (version or "").splitlines()
                    if line.startswith("Version")), "unknown")
    keep = False
    try:
        server.start(die_with_parent=not args.keep_running)
        server.wait_ready()
        load_seconds = bulk_load(server, data_dir, args.glob, args.graph, args.loaders)
        files_loaded, load_errors = load_report(server)
        count = sparql_client.Endpoint(server.endpoint, timeout=3600)
        try:
            answer = count.query_json(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{args.graph}> {{ ?s ?p ?o }} }}")
        finally:
            count.close()
        triples = int(answer["results"]["bindings"][0]["n"]["value"])
        db_bytes = sum(os.path.getsize(os.path.join(work, name))
                       for name in ("virtuoso.db", "virtuoso.trx")
                       if os.path.exists(os.path.join(work, name)))
        timings = sparql_client.time_queries(server.endpoint, queries, args.repeat, args.warmup)
        result = {
            "version": version,
            "load_seconds": round(load_seconds, 3),
            "triples": triples,
            "triples_per_second": round(triples / load_seconds, 1) if load_seconds > 0 else None,
            "files_loaded": files_loaded,
            "load_errors": load_errors,
            "loaders": args.loaders,
            "queries": timings,
            "db_size_mib": round(db_bytes / 2**20, 1),
            "server_peak_rss_mib": server.peak_rss_mib(),
            "endpoint": server.endpoint,
            "sql_port": sql_port,
            "http_port": http_port,
        }
        if args.keep_running:
            result["pid"] = server.pid
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=2)
            out.write("\n")
        print(json.dumps(result))
        keep = args.keep_running
    finally:
        if not keep:
            server.stop()
    if keep:
        print(f"virtuoso-t {server.pid} left running: {server.endpoint}; "
              f"stop it with: {sys.argv[0]} stop --work {work}", file=sys.stderr)
    return 0


def stop(args, binaries):
    work = os.path.realpath(args.work)
    pid_file = os.path.join(work, "virtuoso-t.pid")
    if not os.path.exists(pid_file):
        print(f"no virtuoso-t.pid in {work}: nothing to stop", file=sys.stderr)
        return 0
    with open(pid_file) as source:
        pid = int(source.read().strip())
    sql_port = None
    with open(os.path.join(work, "virtuoso.ini"), encoding="utf-8") as ini:
        for line in ini:
            if line.startswith("ServerPort") and sql_port is None:
                sql_port = int(line.split("=", 1)[1].strip().rsplit(":", 1)[-1])
    server = Server(binaries[0], binaries[1], work, sql_port, 0)
    server.pid = pid
    server.stop()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("bench", help="start, bulk load, count, time queries, stop")
    run.add_argument("--data", required=True, help="directory of the files to load")
    run.add_argument("--glob", default="*.ttl", help="ld_dir's file pattern (default *.ttl)")
    run.add_argument("--graph", required=True, help="graph IRI to load into")
    run.add_argument("--work", required=True, help="directory for the instance's files")
    run.add_argument("--queries", required=True, help="JSON file {name: [query, ...]}")
    run.add_argument("--out", required=True, help="where to write the JSON result")
    run.add_argument("--repeat", type=int, default=100, help="timed requests per name")
    run.add_argument("--warmup", type=int, default=10, help="untimed requests per name first")
    run.add_argument("--loaders", type=int, default=2, help="rdf_loader_run() run in parallel")
    run.add_argument("--memory-gib", type=int, default=8, help="memory given to Virtuoso")
    run.add_argument("--keep-running", action="store_true", help="leave the server running")
    halt = commands.add_parser("stop", help="stop a server left by bench --keep-running")
    halt.add_argument("--work", required=True)
    args = parser.parse_args(argv)

    binaries = find_binaries()
    if binaries is None:
        print("Virtuoso is not available: no virtuoso-t and isql-vt "
              "(install it with scripts/setup.sh --perf)", file=sys.stderr)
        return NOT_INSTALLED
    # A SIGTERM to this script stops the server as a failure does.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"virtuoso.py: signal {signum}"))
    try:
        return bench(args, binaries) if args.command == "bench" else stop(args, binaries)
    except (Failure, OSError, ValueError, KeyError, RuntimeError) as error:
        print(f"virtuoso.py {args.command} failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
