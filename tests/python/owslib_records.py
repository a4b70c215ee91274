"""OWSLib's OGC API Records client against a live ldtcat.

Usage: owslib_records.py BASE_URL COLLECTION QUERY BBOX LIMIT

Lists the collections, searches COLLECTION with `q` and with `bbox`, pages through every
record of COLLECTION following the `next` links (each request made by OWSLib, with the
`after` cursor of the link), and fetches one record by id. Prints a JSON report.
"""

import json
import sys
import urllib.parse

from owslib.ogcapi.records import Records


def next_parameters(page):
    for link in page.get("links", []):
        if link.get("rel") == "next":
            query = urllib.parse.urlparse(link["href"]).query
            return dict(urllib.parse.parse_qsl(query))
    return None


def main():
    base, collection, query, bbox, limit = sys.argv[1:6]
    client = Records(base)
    report = {"record_collections": client.records()}
    report["collection_title"] = client.collection(collection).get("title")
    report["queryables"] = sorted(client.collection_queryables(collection).get("properties", {}))
    by_text = client.collection_items(collection, q=query, limit=int(limit))
    report["q_matched"] = by_text.get("numberMatched")
    report["q_titles"] = [f["properties"]["title"] for f in by_text["features"]]
    by_box = client.collection_items(collection, bbox=[float(x) for x in bbox.split(",")], limit=int(limit))
    report["bbox_matched"] = by_box.get("numberMatched")
    seen, pages = [], 0
    parameters = {"limit": int(limit)}
    while parameters is not None:
        page = client.collection_items(collection, **parameters)
        pages += 1
        seen.extend(feature["id"] for feature in page["features"])
        parameters = next_parameters(page)
        if pages > 10000:
            break
    report["paged_ids"] = len(seen)
    report["paged_unique"] = len(set(seen))
    report["pages"] = pages
    report["number_matched"] = page.get("numberMatched")
    one = client.collection_item(collection, seen[0])
    report["fetched_id"] = one["id"]
    report["fetched_has_self"] = any(l.get("rel") == "self" for l in one.get("links", []))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
