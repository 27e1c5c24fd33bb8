"""Fill the French and Arabic catalogs from the translations kept in `locale/source/*.py`.

Run after `manage.py makemessages` (`make messages` does both): makemessages merges new msgids into the .po
files, this script writes every msgstr from the source dictionaries (which are the truth), clears fuzzy flags and
lists the msgids that still need a translation. Exit status 1 when some are missing.

Each `locale/source/*.py` module defines `T = {msgid: (french, arabic)}` and, for plural entries,
`P = {msgid: ((french_one, french_many), (arabic_zero, one, two, few, many, other))}`.
A msgid with a context is written as "context\x04msgid".
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent
ARABIC_PLURALS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;"
)
LANGS = {"fr": (0, "nplurals=2; plural=(n > 1);", "French"), "ar": (1, ARABIC_PLURALS, "Arabic")}


def load_sources() -> tuple[dict, dict]:
    singles: dict[str, tuple[str, str]] = {}
    plurals: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for path in sorted((LOCALE / "source").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"accord_locale_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        singles.update(getattr(module, "T", {}))
        plurals.update(getattr(module, "P", {}))
    return singles, plurals


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def fill(po_path: Path, index: int, plural_forms: str, language: str, singles, plurals) -> list[str]:
    po = polib.pofile(str(po_path))
    po.header = f"{language} translation of Accord (filled by locale/fill_catalogs.py from locale/source/)."
    po.metadata.update(
        {
            "Project-Id-Version": "Accord",
            "PO-Revision-Date": po.metadata.get("POT-Creation-Date", ""),
            "Language": po_path.parts[-3],
            "Language-Team": language,
            "Last-Translator": "Accord <accord@example.org>",
            "Plural-Forms": plural_forms,
        }
    )
    po.metadata_is_fuzzy = False
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        k = key(entry)
        if entry.msgid_plural:
            forms = plurals.get(k, (None, None))[index]
            if forms:
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr_plural = {i: "" for i in range(len(entry.msgstr_plural) or 2)}
                missing.append(k)
        else:
            text = singles.get(k, (None, None))[index]
            if text:
                entry.msgstr = text
            else:
                entry.msgstr = ""
                missing.append(k)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    po.save(str(po_path))
    return missing


def main() -> int:
    singles, plurals = load_sources()
    status = 0
    for code, (index, plural_forms, language) in LANGS.items():
        for domain in ("django", "djangojs"):
            path = LOCALE / code / "LC_MESSAGES" / f"{domain}.po"
            if not path.exists():
                continue
            missing = fill(path, index, plural_forms, language, singles, plurals)
            print(f"{path.relative_to(LOCALE.parent)}: {len(missing)} missing")
            for msgid in missing:
                print(f"  {msgid!r}")
            status = status or int(bool(missing))
    return status


if __name__ == "__main__":
    sys.exit(main())
