"""A CKAN client's view of ldtcat: ckanapi's RemoteCKAN and its `dump` command against the
CKAN-compatible Action API.

usage: ckanapi_client.py BASE_URL ROWS
Prints, as JSON: the package ids collected by paging package_search with rows/start (and how
many pages and duplicates), whether package_show by name and by id gives the same package,
organization_list, group_list and tag_list, the count of `ckanapi dump datasets --all`, and
`/api/search`'s total, and the exceptions ckanapi raises for an unknown package and a write action.
"""

import json
import os
import subprocess
import sys
import tempfile

import ckanapi
import requests


def page_through(ckan, rows):
    ids, pages, start, count = [], 0, 0, None
    while True:
        answer = ckan.action.package_search(q="*:*", rows=rows, start=start, sort="id asc")
        count = answer["count"]
        pages += 1
        if not answer["results"]:
            break
        ids.extend(package["id"] for package in answer["results"])
        start += rows
        if pages > 100000:
            raise SystemExit("paging does not end")
    return ids, pages, count


def dump_count(base):
    # `ckanapi dump` starts its workers as `ckanapi` found on PATH: put this Python's
    # scripts first, as an activated virtual environment would.
    scripts = os.path.dirname(sys.executable)
    ckanapi_cli = os.path.join(scripts, "ckanapi")
    env = dict(os.environ, PATH=scripts + os.pathsep + os.environ.get("PATH", ""))
    with tempfile.TemporaryDirectory() as folder:
        output = os.path.join(folder, "datasets.jsonl")
        done = subprocess.run(
            [ckanapi_cli, "dump", "datasets", "--all", "-q", "-p", "2", "-O", output, "-r", base],
            capture_output=True,
            text=True,
            env=env,
        )
        if done.returncode != 0:
            raise SystemExit(
                f"ckanapi dump exited with {done.returncode}:\n{done.stdout}\n{done.stderr}"
            )
        with open(output, encoding="utf-8") as lines:
            packages = [json.loads(line) for line in lines if line.strip()]
    return len(packages), len({package["id"] for package in packages})


def main(base, rows):
    ckan = ckanapi.RemoteCKAN(base)
    ids, pages, count = page_through(ckan, rows)
    first = ckan.action.package_show(id=ids[0])
    by_name = ckan.action.package_show(id=first["name"])
    errors = {}
    try:
        ckan.action.package_show(id="no-such-package")
    except ckanapi.NotFound as error:
        errors["package_show"] = "NotFound"
    try:
        ckan.action.package_create(name="x")
    except ckanapi.NotAuthorized:
        errors["package_create"] = "NotAuthorized"
    dumped, dumped_distinct = dump_count(base)
    print(json.dumps({
        "count": count,
        "collected": len(ids),
        "distinct": len(set(ids)),
        "pages": pages,
        "show_by_name_equals_by_id": by_name == first,
        "name": first["name"],
        "organizations": ckan.action.organization_list(),
        "groups": ckan.action.group_list(),
        "tags": len(ckan.action.tag_list()),
        "dumped": dumped,
        "api_search_total": requests.get(base + "/api/search", timeout=60).json()["total"],
        "dumped_distinct": dumped_distinct,
        "errors": errors,
    }))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
