"""Every interface string of the theme is wrapped for gettext and translated into 简体."""

import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from build_helpers import ROOT

THEME = ROOT / "theme"
METHOD_MAP = [("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}


def template_msgids():
    ids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(str(THEME), METHOD_MAP, OPTIONS):
        ids.add(message if isinstance(message, str) else tuple(message))
    return ids


def catalog(name):
    with open(THEME / "translations" / name / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def test_every_template_string_has_a_simplified_translation():
    zh = catalog("zh_Hans")
    translated = {m.id if isinstance(m.id, str) else tuple(m.id): m.string for m in zh if m.id}
    missing = [msgid for msgid in template_msgids() if not translated.get(msgid)]
    assert not missing, f"untranslated in zh_Hans (run `make translations-update`): {missing}"


def test_no_cjk_text_outside_gettext_in_templates():
    """Chinese belongs in catalogs and content, never hard-coded in a template."""
    cjk = re.compile(r"[\u3400-\u9fff]")
    for template in (THEME / "templates").rglob("*.html"):
        for number, line in enumerate(template.read_text("utf-8").splitlines(), 1):
            assert not cjk.search(line), f"{template.relative_to(ROOT)}:{number}: hard-coded Chinese text"


def test_pot_template_is_up_to_date():
    with open(THEME / "translations" / "messages.pot", "rb") as handle:
        pot = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}
    assert template_msgids() == pot, "run `make translations-update`"


def test_remembered_gettext_gives_jinjas_strings():
    """plugins/languages/catalogs keeps ``_``'s result per string: the same values as Jinja's own
    (Markup when autoescaping, ``%`` formatting, variables), and a template's own ``gettext`` wins."""
    import sys

    import jinja2

    sys.path.insert(0, str(ROOT / "plugins"))
    from languages.catalogs import _remembering, install

    sources = ['{{ _("Published") }}|{{ _("Published") }}', '{{ _("Page %(n)s", n=3) }}',
               '{{ _("<b>x</b>") }}', "{% set gettext = other %}{{ _('Published') }}|{{ _('Published') }}",
               '{{ _("Published") }}']
    for autoescape in (False, True):
        plain, ours = (jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape) for _ in "ab")
        for env in (plain, ours):
            env.install_gettext_translations(_catalog(), newstyle=True)
        ours.globals["_"] = _remembering(ours.globals["_"])
        for source in sources:
            for _ in range(2):  # the second time from the memo
                expected = plain.from_string(source).render(other=lambda s: "自己的")
                assert ours.from_string(source).render(other=lambda s: "自己的") == expected
        assert ours.from_string(sources[0]).render() == "发布时间|发布时间"
        assert ours.from_string(sources[3]).render(other=lambda s: "自己的") == "自己的|自己的"
    site = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    install(site, str(ROOT / "theme" / "translations"), "zh_Hans")
    assert site.from_string('{{ _("Published") }}').render() != "Published"  # the catalog, remembered


def _catalog():
    import gettext

    class Catalog(gettext.NullTranslations):
        def gettext(self, message):
            return {"Published": "发布时间", "Page %(n)s": "第 %(n)s 页", "<b>x</b>": "<b>粗</b>"}.get(message, message)

    return Catalog()
