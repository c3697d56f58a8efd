"""Every user-facing string in the code and templates has a Simplified Chinese translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
METHODS = [("competition/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _source_messages() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hans_CN")


def test_every_message_is_translated():
    catalogue = _catalogue()
    missing = []
    for msgid in sorted(_source_messages()):
        entry = catalogue.get(msgid)
        text = entry.string if entry else None
        if isinstance(text, tuple):
            text = text[0] if text else ""
        if not text or (entry and entry.fuzzy):
            missing.append(msgid)
    assert missing == [], f"untranslated (run the update in README's i18n section): {missing}"


def test_translations_keep_their_placeholders():
    for entry in _catalogue():
        if not entry.id or not entry.string:
            continue
        # Chinese has one plural form, used for every count: it takes the plural message's placeholders.
        source = entry.id[-1] if isinstance(entry.id, tuple) else entry.id
        target = entry.string[0] if isinstance(entry.string, tuple) else entry.string
        assert sorted(re.findall(r"%\(\w+\)\w", source)) == sorted(re.findall(r"%\(\w+\)\w", target)), source


def test_translated_text_is_chinese():
    entry = _catalogue().get("Log in")
    assert entry is not None and entry.string == "登录"
