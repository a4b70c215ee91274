"""Parses RDF documents with ckanext-dcat's own RDF parser (``ckanext.dcat.processors.RDFParser``
and its DCAT-AP profiles), as CKAN's DCAT harvester does, and reports what it could not read.

ckanext-dcat imports CKAN for its configuration, a few helpers and the licence register; a
CKAN installation (PostgreSQL, Solr, Redis) is not needed to parse RDF, so those imports are
given minimal stand-ins here (an empty configuration, no licence register, no resource
formats). The parsing and the profiles are ckanext-dcat's own code, unchanged.

Usage: ckanext_dcat_parse.py <profiles> <url or file>...  (profiles: space-separated, e.g.
"euro_dcat_ap_3"). A URL's pages are followed along ``hydra:next`` with the parser's own
``next_page``, as the harvester does. Prints JSON: {"documents", "datasets", "titles",
"errors", "warnings"}, where errors are the exceptions a document or a dataset raised and
warnings what was logged at WARNING or above, Python warnings included (rdflib logs every
literal it cannot convert to its datatype).
"""

import json
import logging
import re
import sys
import types
import urllib.request


def _module(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


def _install_ckan_stand_ins():
    class ObjectNotFound(Exception):
        pass

    class HelperError(Exception):
        pass

    class StopOnError(Exception):
        pass

    class Invalid(Exception):
        pass

    def asbool(value):
        return str(value).strip().lower() in ("true", "yes", "on", "y", "t", "1")

    def aslist(value, sep=None):
        if isinstance(value, (list, tuple)):
            return list(value)
        return [] if value is None else str(value).split(sep)

    def get_action(name):
        # As CKAN without ckanext-scheming: no such action.
        raise KeyError(f"Action '{name}' not found")

    class Helpers:
        def __getattr__(self, name):
            raise HelperError(name)

    class LicenseRegister:
        # No licence known: ckanext-dcat then keeps the licence IRI as given.
        def items(self):
            return []

    def munge_tag(tag):
        # CKAN's ckan.lib.munge.munge_tag.
        tag = re.sub(r"[^a-zA-Z0-9\- _.]", "", tag.lower().strip())
        return tag

    toolkit = _module(
        "ckan.plugins.toolkit",
        config={},
        asbool=asbool,
        aslist=aslist,
        get_action=get_action,
        url_for=lambda *a, **k: "",
        ObjectNotFound=ObjectNotFound,
        h=Helpers(),
        _=lambda text: text,
        missing=object(),
        StopOnError=StopOnError,
        Invalid=Invalid,
    )
    _module("ckan", __path__=[])
    plugins = _module(
        "ckan.plugins",
        __path__=[],
        toolkit=toolkit,
        PluginImplementations=lambda interface: [],
        implements=lambda *a, **k: None,
        SingletonPlugin=object,
    )
    plugins.toolkit = toolkit

    class Interface:
        pass

    _module("ckan.plugins.interfaces", Interface=Interface)
    _module("ckan.lib", __path__=[])
    _module("ckan.lib.helpers", resource_formats=lambda: {})
    _module("ckan.lib.munge", munge_tag=munge_tag)
    _module("ckan.model", __path__=[])
    _module("ckan.model.license", LicenseRegister=LicenseRegister)
    _module("ckan.exceptions", HelperError=HelperError)
    _module("ckan.views", __path__=[])
    _module("ckan.views.home", index=lambda *a, **k: None)
    _module("ckan.views.dataset", read=lambda *a, **k: None)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(f"{record.name}: {record.getMessage()}")


def _read(location):
    if re.match(r"^https?://", location):
        request = urllib.request.Request(location, headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read().decode("utf-8")
    with open(location, encoding="utf-8") as handle:
        return handle.read()


def main():
    _install_ckan_stand_ins()
    from ckanext.dcat.processors import RDFParser

    profiles = sys.argv[1].split()
    collect = _Collect()
    logging.getLogger().addHandler(collect)
    logging.captureWarnings(True)
    report = {"documents": 0, "datasets": 0, "titles": [], "errors": [], "warnings": []}
    pending = list(sys.argv[2:])
    seen = set()
    while pending:
        location = pending.pop(0)
        if location in seen:
            continue
        seen.add(location)
        parser = RDFParser(profiles=profiles)
        try:
            parser.parse(_read(location), _format="turtle")
        except Exception as error:  # noqa: BLE001 - the report is the point
            report["errors"].append(f"{location}: {type(error).__name__}: {error}")
            continue
        report["documents"] += 1
        next_page = parser.next_page()
        if next_page and re.match(r"^https?://", location):
            pending.insert(0, next_page)
        for dataset_ref in list(parser._datasets()):
            # One dataset at a time, as the harvester's import stage does.
            single = RDFParser(profiles=profiles)
            single.g = parser.g
            single._datasets = lambda ref=dataset_ref: iter([ref])
            try:
                for dataset in single.datasets():
                    report["datasets"] += 1
                    report["titles"].append(dataset.get("title"))
            except Exception as error:  # noqa: BLE001
                report["errors"].append(f"{dataset_ref}: {type(error).__name__}: {error}")
    report["warnings"] = collect.records
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
