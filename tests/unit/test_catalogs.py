"""The catalogs: every message id of the workspace's templates and Python, and every problem
explanation, is translated in Vietnamese and English, keeping its placeholders."""

from __future__ import annotations

import re

from babel.messages.catalog import Catalog

from interfaces.web import catalogs
from interfaces.web.i18n import LANGUAGES, gettext

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _strings(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else (str(value or ""),)


def _ids(catalog: Catalog) -> list[str]:
    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id]


def test_every_message_id_of_the_workspace_is_translated_in_both_catalogs() -> None:
    wanted = _ids(catalogs.template())
    assert "My work" in wanted and "Draft" in wanted  # a template's and a word's
    assert "Portfolio by %(dimension)s in VND" in wanted  # Python's gettext(lang, message)
    for lang in LANGUAGES:
        catalog = catalogs.read(lang)
        missing = [i for i in wanted if not all(s.strip() for s in _strings(
            catalog.get(i).string if catalog.get(i) else ""))]
        assert not missing, f"{lang}: run `make messages` and translate: {missing}"


def test_no_catalog_entry_is_fuzzy_and_each_keeps_the_placeholders_of_its_id() -> None:
    for lang in LANGUAGES:
        for message in catalogs.read(lang):
            if not message.id:
                continue
            assert not message.fuzzy, f"{lang}: fuzzy entry {message.id!r}"
            wanted = set(PLACEHOLDER.findall(" ".join(_strings(message.id))))
            for string in _strings(message.string):
                assert set(PLACEHOLDER.findall(string)) == wanted, (lang, message.id)


def test_the_catalogs_are_read_at_start_and_answer_in_each_language() -> None:
    assert gettext("vi", "My work") == "Việc của tôi"
    assert gettext("en", "My work") == "My work"
    assert gettext("vi", "Under appraisal") == "Đang thẩm định"
