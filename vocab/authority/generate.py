#!/usr/bin/env python3
"""Regenerates languages.tsv and countries.tsv from pycountry's ISO data.

pycountry (PyPI, LGPL-2.1) ships Debian's iso-codes: the ISO 639-3 and ISO 3166-1 tables as
JSON and their translations as gettext catalogues. This script reads both and writes the
names in the five interface languages (en, fr, nl, de, it). Usage:

    python3 -m venv /tmp/pyc && /tmp/pyc/bin/pip install pycountry==26.2.16
    /tmp/pyc/bin/python vocab/authority/generate.py

It is run by hand when the tables are refreshed; nothing runs it at build or run time.
"""

import gettext
import json
import os
import sys

import pycountry

LANGUAGES = ["fr", "nl", "de", "it"]
HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.dirname(pycountry.__file__)


def translations(domain):
    found = {}
    for lang in LANGUAGES:
        path = os.path.join(BASE, "locales", lang, "LC_MESSAGES", domain + ".mo")
        with open(path, "rb") as handle:
            found[lang] = gettext.GNUTranslations(handle)
    return found


def clean(text):
    return text.replace("\t", " ").replace("\n", " ").strip()


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as out:
        out.write("\t".join(header) + "\n")
        for row in rows:
            out.write("\t".join(clean(cell) for cell in row) + "\n")


def languages():
    with open(os.path.join(BASE, "databases", "iso639-3.json"), encoding="utf-8") as handle:
        entries = json.load(handle)["639-3"]
    translated = translations("iso639-3")
    rows = []
    for entry in entries:
        # The EU language authority uses the three-letter ISO 639-3 code in capitals; only
        # languages with a two-letter ISO 639-1 code are kept (the ones catalogues tag).
        if "alpha_2" not in entry:
            continue
        name = entry["name"]
        row = [entry["alpha_3"].upper(), entry["alpha_2"], name]
        row += [translated[lang].gettext(name) for lang in LANGUAGES]
        rows.append(row)
    write("languages.tsv", ["code", "alpha2", "en"] + LANGUAGES, rows)


def countries():
    with open(os.path.join(BASE, "databases", "iso3166-1.json"), encoding="utf-8") as handle:
        entries = json.load(handle)["3166-1"]
    translated = translations("iso3166-1")
    rows = []
    for entry in entries:
        name = entry.get("common_name", entry["name"])
        # Catalogues are read in the five languages under their usual short names.
        row = [entry["alpha_3"], entry["alpha_2"], entry["numeric"], name]
        row += [translated[lang].gettext(name) for lang in LANGUAGES]
        rows.append(row)
    write("countries.tsv", ["code", "alpha2", "numeric", "en"] + LANGUAGES, rows)


if __name__ == "__main__":
    languages()
    countries()
    sys.exit(0)
