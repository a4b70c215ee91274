"""Starts a real pycsw (CSW 2.0.2, with its OAI-PMH mode) on 127.0.0.1 for the harvest tests.

usage: pycsw_server.py WORKDIR RECORDS_DIR...

Creates an SQLite repository in WORKDIR, loads every *.xml of each RECORDS_DIR with pycsw's
own loader (pycsw.core.admin.load_records, as `pycsw-admin.py -c load_records` does), writes a
configuration with the ISO application profile (apiso) enabled, and serves pycsw's WSGI
application on a free loopback port. Prints one JSON line {"port": N, "records": N} when
ready, then serves until its standard input closes.
"""

import json
import os
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

CONFIG = """[server]
home={home}
url=http://127.0.0.1:{port}/csw
mimetype=application/xml; charset=UTF-8
encoding=UTF-8
language=en-US
maxrecords=1000
loglevel=ERROR
logfile={home}/pycsw.log
pretty_print=false
domainquerytype=list
domaincounts=false
profiles=apiso

[manager]
transactions=false
allowed_ips=127.0.0.1

[metadata:main]
identification_title=ldtcat test catalogue
identification_abstract=pycsw serving the shared CSW samples for ldtcat's harvest tests
identification_keywords=test
identification_keywords_type=theme
identification_fees=None
identification_accessconstraints=None
provider_name=ldtcat
provider_url=http://127.0.0.1/
contact_name=ldtcat
contact_position=tester
contact_address=none
contact_city=none
contact_stateorprovince=none
contact_postalcode=0
contact_country=none
contact_phone=none
contact_fax=none
contact_email=test@example.org
contact_url=http://127.0.0.1/
contact_hours=always
contact_instructions=none
contact_role=pointOfContact

[repository]
database=sqlite:///{home}/records.db
table=records

[metadata:inspire]
enabled=false
languages_supported=eng
default_language=eng
date=2024-01-01
gemet_keywords=Utility and governmental services
conformity_service=notEvaluated
contact_name=ldtcat
contact_email=test@example.org
temp_extent=2024-01-01/2024-12-31
"""


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(argv):
    home = os.path.abspath(argv[0])
    os.makedirs(home, exist_ok=True)
    from pycsw.core import admin, config

    database = "sqlite:///%s/records.db" % home
    context = config.StaticContext()
    admin.setup_db(database, "records", home)
    for folder in argv[1:]:
        admin.load_records(context, database, "records", folder)
    import sqlite3

    with sqlite3.connect(os.path.join(home, "records.db")) as connection:
        records = connection.execute("select count(*) from records").fetchone()[0]

    from pycsw import wsgi

    server = make_server("127.0.0.1", 0, wsgi.application, handler_class=QuietHandler)
    port = server.server_address[1]
    path = os.path.join(home, "pycsw.cfg")
    with open(path, "w") as handle:
        handle.write(CONFIG.format(home=home, port=port))
    os.environ["PYCSW_CONFIG"] = path
    print(json.dumps({"port": port, "records": records}), flush=True)
    # pycsw's WSGI wrapper prints every request path: keep stdout for the line above only.
    sys.stdout = open(os.devnull, "w")

    def watch_stdin():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
