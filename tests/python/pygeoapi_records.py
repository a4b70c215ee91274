"""Runs pygeoapi with one OGC API Records collection (its TinyDB catalogue provider) filled
from fixture records, on 127.0.0.1:PORT, until killed.

Usage: pygeoapi_records.py RECORDS_JSON WORK_DIR PORT

The collection is `city-records`; its `datetime` filter applies to the records' `updated`
property (`time_field: updated`), which is what incremental harvests ask for.
"""

import json
import os
import pathlib
import sys


def main():
    records_path, work_dir, port = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
    work_dir.mkdir(parents=True, exist_ok=True)
    records = json.loads(pathlib.Path(records_path).read_text())

    from tinydb import TinyDB

    database_path = work_dir / "records.tinydb"
    if database_path.exists():
        database_path.unlink()
    database = TinyDB(database_path)
    for record in records:
        database.insert(record)
    database.close()

    base = f"http://127.0.0.1:{port}"
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": base,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": 50},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "City catalogue", "description": "Fixture records",
                "keywords": ["catalogue"], "keywords_type": "theme",
                "terms_of_service": "https://creativecommons.org/licenses/by/4.0/",
                "url": "https://example.org",
            },
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "City", "url": "https://example.org"},
            "contact": {
                "name": "Data team", "position": "Team", "address": "Town hall", "city": "Antibes",
                "stateorprovince": "PACA", "postalcode": "06600", "country": "France",
                "phone": "+33400000000", "fax": "+33400000000", "email": "data@example.org",
                "url": "https://example.org", "hours": "9-17", "instructions": "Email us",
                "role": "pointOfContact",
            },
        },
        "resources": {
            "city-records": {
                "type": "collection",
                "title": "City records",
                "description": "Metadata records of the city's resources",
                "keywords": ["records"],
                "links": [],
                "extents": {"spatial": {"bbox": [-180, -90, 180, 90], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
                "providers": [{
                    "type": "record",
                    "name": "TinyDBCatalogue",
                    "data": str(database_path),
                    "id_field": "id",
                    "time_field": "updated",
                    "title_field": "title",
                }],
            }
        },
    }
    import yaml

    config_path = work_dir / "pygeoapi-config.yml"
    config_path.write_text(yaml.safe_dump(config))
    openapi_path = work_dir / "pygeoapi-openapi.yml"
    os.environ["PYGEOAPI_CONFIG"] = str(config_path)
    from pygeoapi.openapi import generate_openapi_document

    openapi_path.write_text(generate_openapi_document(config_path, "yaml"))
    os.environ["PYGEOAPI_OPENAPI"] = str(openapi_path)

    from pygeoapi.flask_app import APP
    from werkzeug.serving import run_simple

    print("ready", flush=True)
    run_simple("127.0.0.1", port, APP, threaded=True)


if __name__ == "__main__":
    main()
