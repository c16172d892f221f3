"""The edition's settings (teipipe.toml, --config, the command line's overrides): read,
checked, and shown on the site's pages; without a settings file nothing changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.render import Renderer
from pipeline.settings import Editor, Settings, load_settings, settings_from_mapping
from pipeline.xmlsafe import parse
from tests.fixtures.render.corpus import FIXTURE, ROOT, seed_tei

EXAMPLE = """\
[edition]
title = "Telegrams of the Korean War"
subtitle = "Moscow, Beijing, Pyongyang"
editors = [{ name = "A. Editor", email = "editor@example.org" }, "B. Second"]
publisher = "Example Library"
licence = { name = "CC BY 4.0", url = "https://creativecommons.org/licenses/by/4.0/" }
base-url = "https://example.org/kwt/"
date = "2026-01-15"
languages = ["en"]
"""


def test_the_example_file_reads(tmp_path: Path) -> None:
    (tmp_path / "teipipe.toml").write_text(EXAMPLE, encoding="utf-8")
    s = load_settings(folder=tmp_path)
    assert s.title == "Telegrams of the Korean War"
    assert s.editors == (Editor("A. Editor", "editor@example.org"), Editor("B. Second"))
    assert (s.licence, s.licence_url) == ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    assert s.base_url == "https://example.org/kwt/" and s.date == "2026-01-15"
    assert s.languages == ("en",)
    params = s.xslt_params()
    assert params["edition-editors"] == "A. Editor\nB. Second"
    assert params["edition-editor-emails"] == "editor@example.org\n"


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(folder=tmp_path) == Settings()
    assert all(v == "" for v in Settings().xslt_params().values())


@pytest.mark.parametrize("text, words", [
    ("title = 'x'", "unknown table or key 'title'"),
    ("[edition]\ntitel = 'x'", "unknown key 'titel'"),
    ("[edition]\ndate = '15.1.2026'", "is not YYYY"),
    ("[edition]\nbase-url = 'example.org'", "not an absolute address"),
    ("[edition]\neditors = [{ name = 'A', email = 'not-an-address' }]", "e-mail address"),
    ("[edition]\nlanguages = 'ru en ;'", "not a language code"),
    ("[edition]\ntitle = ", "not valid TOML"),
])
def test_bad_settings_are_one_clear_problem(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "edition.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_settings(path)
    assert e.value.problem.code == "config" and words in e.value.problem.message
    assert e.value.problem.path == str(path)


def test_overrides_replace_what_is_given_only() -> None:
    base = settings_from_mapping({"edition": {"title": "T", "publisher": "P"}})
    s = base.with_overrides(title=None, editors=("C. Third <c@example.org>",), base_url=None)
    assert (s.title, s.publisher) == ("T", "P")
    assert s.editors == (Editor("C. Third", "c@example.org"),)
    assert base.key() != s.key()


def test_pages_show_the_settings() -> None:
    s = settings_from_mapping({"edition": {
        "title": "Telegrams of the Korean War", "editors": ["A. Editor <editor@example.org>"],
        "licence": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        "base-url": "https://example.org/kwt/", "date": "2026-01-15"}})
    page = Renderer(settings=s).html(parse(FIXTURE))
    assert 'class="brand" href="index.html">Telegrams of the Korean War<' in page
    footer = re.search(r"<footer.*?</footer>", page, re.S).group(0)
    assert '<a href="mailto:editor@example.org">A. Editor</a>' in footer
    assert ('<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
            'CC BY 4.0</a>') in footer
    assert "15 January 2026" in footer
    cite = re.search(r'<p class="cite-line">(.*?)</p>', page).group(1)
    assert "In: Telegrams of the Korean War, ed. by A. Editor" in cite
    assert "https://example.org/kwt/wcda-900001.html" in cite


def test_without_settings_the_pages_keep_the_archive_title() -> None:
    page = Renderer().html(parse(FIXTURE))
    assert 'class="brand" href="index.html">Korean War Telegrams<' in page
    assert '<p class="edition">' not in page and " In: " not in page


def test_languages_are_those_of_the_text_not_of_the_names() -> None:
    """Every page listed "Korean, Chinese": the standOff's names in those scripts."""
    for path in seed_tei():
        page = Renderer().html(parse(path))
        langs = re.search(r"<h3>Languages</h3><p>([^<]*)", page).group(1)
        assert "Korean" not in langs and "Chinese" not in langs, (path.name, langs)
        assert "English" in langs and "Russian" in langs, (path.name, langs)
    only = Renderer(settings=Settings(languages=("ru",))).html(parse(seed_tei()[0]))
    assert re.search(r"<h3>Languages</h3><p>Russian[^,<]*</p>", only)


FOREIGN = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>A letter of 1820</title></titleStmt><publicationStmt><p>x</p></publicationStmt>
<seriesStmt><title>Letters of the Brothers Grimm</title></seriesStmt>
<sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>Lieber Bruder</p></body></text></TEI>"""


def test_a_foreign_file_is_called_by_its_own_edition(tmp_path: Path) -> None:
    path = tmp_path / "letter.xml"
    path.write_text(FOREIGN, encoding="utf-8")
    page = Renderer().html(parse(path), name=str(path))
    assert "Korean War Telegrams" not in page
    assert 'class="brand" href="index.html">Letters of the Brothers Grimm<' in page
    assert "<title>A letter of 1820 — Letters of the Brothers Grimm</title>" in page
    # the settings' title wins over the file's
    page = Renderer(settings=Settings(title="Mine")).html(parse(path), name=str(path))
    assert 'class="brand" href="index.html">Mine<' in page


def test_render_and_build_read_teipipe_toml_and_the_options(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "teipipe.toml").write_text(EXAMPLE, encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["render", "--to", "html", str(FIXTURE), "-o", "out", "-q",
                             "--editor", "C. Third <c@example.org>"])
    assert r.exit_code == 0, r.output
    index = (tmp_path / "out/html/index.html").read_text(encoding="utf-8")
    assert ">Telegrams of the Korean War<" in index and "C. Third" in index
    assert "A. Editor" not in index  # --editor replaces the file's editors
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    r = runner.invoke(main, ["build", str(seed), "-o", "site", "-j", "1", "--no-progress",
                             "--formats", "html", "--title", "Another title"])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "site/html/index.html").read_text(encoding="utf-8")
    assert ">Another title<" in page and "editor@example.org" in page
    # a new setting renders again (the build's render key holds the settings)
    r = runner.invoke(main, ["build", str(seed), "-o", "site", "-j", "1", "--no-progress",
                             "--formats", "html", "--title", "A third title"])
    assert r.exit_code == 0, r.output
    assert ">A third title<" in (tmp_path / "site/html/index.html").read_text("utf-8")


def test_a_bad_config_option_is_a_usage_error(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["render", "--to", "html", str(FIXTURE), "-o",
                                  str(tmp_path / "out"), "--config", str(tmp_path / "none.toml")])
    assert r.exit_code == 2
    assert "error [config] the settings file does not exist" in r.output
    assert "Traceback" not in r.output


def test_a_foreign_corpus_index_is_called_by_its_edition(tmp_path: Path) -> None:
    from pipeline.render.site import build_site

    path = tmp_path / "letter.xml"
    path.write_text(FOREIGN, encoding="utf-8")
    build_site([(str(path), parse(path))], tmp_path / "site")
    index = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert ">Letters of the Brothers Grimm<" in index and "Korean War Telegrams" not in index
