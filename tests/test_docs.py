"""The docs: the figure script runs and writes SVG, and the tutorials' links,
images and code blocks are sound.

The tutorials' doctests themselves run through pytest's --doctest-glob=*.md
(see setup.cfg); these tests check what doctest cannot see: that every code
block is a doctest at all, that every relative link and image resolves, and
that docs/make_figures.py regenerates exactly the committed figures.
"""

import glob
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")
IMG = os.path.join(DOCS, "img")
SCRIPT = os.path.join(DOCS, "make_figures.py")
TUTORIAL = os.path.join(DOCS, "tutorial.md")
TRANSLATION = os.path.join(DOCS, "tutorial.pt-BR.md")
SVG = "{http://www.w3.org/2000/svg}svg"

# [text](target) and ![alt](target); the target ends at the first ")" or space
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```(.*)$")
SECTION = re.compile(r"^## (\d+)\. ", re.M)


def markdown_files():
    return sorted(glob.glob(os.path.join(DOCS, "*.md")))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def code_blocks(text):
    """Return (info string, lines) of each fenced block, in order."""
    blocks, info, lines = [], None, []
    for line in text.splitlines():
        match = FENCE.match(line)
        if match and info is None:
            info, lines = match.group(1).strip(), []
        elif match:
            blocks.append((info, lines))
            info = None
        elif info is not None:
            lines.append(line)
    assert info is None, "a code block is not closed"
    return blocks


def relative_links(text):
    return [t for t in LINK.findall(text)
            if not re.match(r"[a-z][a-z0-9+.-]*:", t, re.I)]  # skip https:, mailto:


def figures_in_script():
    """FIGURES of docs/make_figures.py, read from its source, not imported."""
    names = re.findall(r'^\s+"([\w-]+\.svg)": \w+,$', read(SCRIPT), re.M)
    assert names, "no FIGURES entries found in make_figures.py"
    return names


def check_svg(path):
    root = ET.parse(path).getroot()  # raises on malformed XML
    assert root.tag == SVG, path
    assert float(root.get("width")) > 0 and float(root.get("height")) > 0, path
    return root


# --- the figure script -------------------------------------------------------

@pytest.mark.subprocess
def test_make_figures_writes_every_figure_as_well_formed_svg(tmp_path):
    out = tmp_path / "figures"
    result = subprocess.run([sys.executable, SCRIPT, "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    written = sorted(os.listdir(out))
    assert written == sorted(figures_in_script())
    for name in written:
        root = check_svg(out / name)
        assert len(list(root.iter())) > 5, f"{name} is nearly empty"
    assert len(result.stdout.splitlines()) == len(written)  # one "wrote ..." line each


@pytest.mark.subprocess
def test_make_figures_writes_only_the_figures_named(tmp_path):
    result = subprocess.run([sys.executable, SCRIPT, "--out", str(tmp_path), "network.svg"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert os.listdir(tmp_path) == ["network.svg"]


@pytest.mark.subprocess
def test_make_figures_rejects_an_unknown_figure(tmp_path):
    result = subprocess.run([sys.executable, SCRIPT, "--out", str(tmp_path), "nope.svg"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "unknown figure 'nope.svg'" in result.stderr
    assert os.listdir(tmp_path) == []


def test_committed_figures_are_the_scripts_figures():
    committed = sorted(os.path.basename(p) for p in glob.glob(os.path.join(IMG, "*.svg")))
    assert committed == sorted(figures_in_script())
    for name in committed:
        check_svg(os.path.join(IMG, name))


# --- the tutorials -----------------------------------------------------------

@pytest.mark.parametrize("path", markdown_files(), ids=os.path.basename)
def test_every_code_block_is_a_doctest(path):
    blocks = code_blocks(read(path))
    assert blocks, "no code blocks"
    for k, (info, lines) in enumerate(blocks):
        assert info == "python", f"block {k} is ```{info}, not ```python"
        assert lines and lines[0].startswith(">>> "), f"block {k} does not start with >>>"
        # doctest reads expected output up to a blank line: without one, the
        # closing fence would count as output
        assert lines[-1] == "", f"block {k} needs a blank line before its closing fence"


@pytest.mark.parametrize("path", markdown_files(), ids=os.path.basename)
def test_every_relative_link_points_to_a_file(path):
    links = relative_links(read(path))
    assert links, "no relative links"
    for target in links:
        assert "#" not in target, f"{target}: anchors change with the text; link the file"
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), target))
        assert os.path.isfile(resolved), f"{target} does not exist"


def test_tutorial_shows_every_figure_and_says_how_to_regenerate_them():
    text = read(TUTORIAL)
    shown = [t for t in relative_links(text) if t.startswith("img/")]
    assert sorted(shown) == sorted("img/" + name for name in figures_in_script())
    assert "`python docs/make_figures.py`" in text


def test_tutorial_sections_are_numbered_in_order():
    numbers = [int(n) for n in SECTION.findall(read(TUTORIAL))]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 8


def test_translation_keeps_the_structure():
    if not os.path.exists(TRANSLATION):
        pytest.skip("docs/tutorial.pt-BR.md is not written yet")
    english, translated = read(TUTORIAL), read(TRANSLATION)
    assert SECTION.findall(translated) == SECTION.findall(english)
    figures = [t for t in relative_links(english) if t.startswith("img/")]
    assert [t for t in relative_links(translated) if t.startswith("img/")] == figures
