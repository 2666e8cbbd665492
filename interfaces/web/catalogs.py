"""The catalogs kept in step with the code (``make messages``): the message ids Babel
extracts from the workspace (``babel.cfg``) and the explanation of every problem code, merged
into the Vietnamese and English catalogs; translations are kept, English ones filled in."""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from interfaces.http.problem_types import EXPLANATIONS, FAMILIES
from interfaces.web.i18n import LANGUAGES, Lang, catalog_path

WEB = Path(__file__).resolve().parent
ROOT = WEB.parents[1]
CONFIG = ROOT / "babel.cfg"
POT = ROOT / "var" / "messages.pot"
PROBLEM_TYPES = "interfaces/http/problem_types.py"
# Python says ``i18n.gettext(lang, message)`` too: with two arguments the message is the second
# (``pybabel extract -k gettext:2,2t``).
KEYWORDS: dict[str, Any] = {**DEFAULT_KEYWORDS, "gettext": {None: None, 2: (2,)}}


def template() -> Catalog:
    """Every message id the workspace and the API's problem bodies may show."""
    with CONFIG.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    pot = Catalog(project="AidTrail", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            WEB, method_map, options_map, keywords=KEYWORDS):
        pot.add(message, None, [(f"interfaces/web/{filename}", lineno)],
                auto_comments=comments, context=context)
    # The problem explanations are data, not gettext calls: added here, one per code.
    for code, text in {**FAMILIES, **EXPLANATIONS}.items():
        pot.add(text, None, [(PROBLEM_TYPES, 0)], auto_comments=[f"problem code {code}"])
    return pot


def read(lang: Lang) -> Catalog:
    with catalog_path(lang).open("rb") as po:
        return read_po(po, locale=lang)


def _header(lang: Lang) -> str:
    plural = "nplurals=1; plural=0;" if lang == "vi" else "nplurals=2; plural=(n != 1);"
    name = "Vietnamese" if lang == "vi" else "English"
    return (f'# AidTrail workspace: {name} catalog.\nmsgid ""\nmsgstr ""\n'
            f'"Project-Id-Version: AidTrail 0.1.0\\n"\n"Language: {lang}\\n"\n'
            '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            f'"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: {plural}\\n"\n\n')


def _write(catalog: Catalog, path: Path, header: str = "") -> None:
    """Sorted, without line numbers or dates: a change elsewhere in a file, or a run on
    another day, leaves the catalog as it was."""
    body = BytesIO()
    write_po(body, catalog, width=100, omit_header=True, sort_output=True,
             ignore_obsolete=True, include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header.encode() + body.getvalue().lstrip(b"\n"))


def update() -> dict[Lang, list[str]]:
    """Writes the template and both catalogs; returns each language's untranslated ids."""
    pot = template()
    _write(pot, POT)
    missing: dict[Lang, list[str]] = {}
    for lang in LANGUAGES:
        catalog = read(lang)
        catalog.update(pot, no_fuzzy_matching=True)
        for message in catalog:
            if not message.id:
                continue
            if lang == "en" and not _translated(message.string):
                message.string = message.id  # the English text is the message id
        missing[lang] = [str(m.id) for m in catalog if m.id and not _translated(m.string)]
        _write(catalog, catalog_path(lang), _header(lang))
    return missing


def _translated(string: object) -> bool:
    strings = string if isinstance(string, tuple) else (string,)
    return all(isinstance(s, str) and s.strip() for s in strings)


def main() -> int:
    for lang, ids in update().items():
        for message_id in ids:
            print(f"{lang}: untranslated: {message_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
