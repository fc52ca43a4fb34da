"""The playground's Python side: the query settings, the Session, the server.

The page itself is tested in a real browser by .ci/browser_test.mjs. Here:
the settings parse and round-trip and turn bad values into messages that
name the setting; a Session trains moons to the accuracy the README claims,
and its Python code panel, run as a script, builds the same network and gets
the same accuracy; the server serves the page and tinynet's sources on
127.0.0.1 and nothing outside its roots.
"""

import base64
import contextlib
import hashlib
import io
import json
import math
import pathlib
import sys
import threading
import urllib.error
import urllib.request
import zipfile

import pytest

from tinynet import TinynetError
from tinynet.playground import settings as query
from tinynet.data import gaussians
from tinynet.playground.session import Session, xor

ROOT = pathlib.Path(__file__).resolve().parents[1]
PLAYGROUND = ROOT / "tinynet" / "playground"
MOONS = "dataset=moons&hidden=8,8&activation=tanh&lr=0.03&epochs=200&seed=0&autorun=1"
no_sockets = pytest.mark.skipif(sys.platform == "emscripten",
                                reason="no listening sockets on emscripten (Pyodide)")


# --- settings ----------------------------------------------------------------

def test_the_issue_link_parses_to_its_values():
    s = query.parse_query("?" + MOONS)
    assert (s["dataset"], s["hidden"], s["activation"], s["lr"], s["epochs"], s["seed"],
            s["autorun"]) == ("moons", [8, 8], "tanh", 0.03, 200, 0, 1)
    assert query.parse_query("") == query.DEFAULTS


@pytest.mark.parametrize("text", [
    MOONS, "hidden=&added=0.25,-1,1;2,3.5,0", "dataset=spirals&l2=0.001&optimizer=adam&batch=1",
])
def test_to_query_round_trips(text):
    s = query.parse_query(text)
    assert query.parse_query(query.to_query(s)) == s


@pytest.mark.parametrize("text, fragments", [
    ("lr=fast", ["lr", "number", "'fast'"]),
    ("lr=0", ["lr", "> 0.0"]),
    ("lr=nan", ["lr", "'nan'"]),
    ("dataset=iris", ["dataset", "one of xor, moons", "'iris'"]),
    ("hidden=8,0", ["hidden", "from 1 to 32", "'0'"]),
    ("hidden=1,1,1,1,1,1,1", ["hidden", "at most 6"]),
    ("epochs=2.5", ["epochs", "integer", "'2.5'"]),
    ("added=1,2", ["added", "x,y,class"]),
    ("added=1,2,3", ["added", "from 0 to 1", "'3'"]),
    ("learning_rate=0.1", ["unknown setting 'learning_rate'", "lr"]),
])
def test_bad_values_name_the_setting_the_need_and_the_value(text, fragments):
    with pytest.raises(TinynetError) as caught:
        query.parse_query(text)
    message = str(caught.value)
    assert message.startswith("playground: ")
    for fragment in fragments:
        assert fragment in message, message


# --- data and session -----------------------------------------------------------

@pytest.mark.parametrize("maker", [xor, gaussians])
def test_the_playgrounds_own_data_sets_are_seeded_and_balanced(maker):
    x, labels = maker(200, noise=0.1, seed=3)
    assert (x, labels) == maker(200, noise=0.1, seed=3)
    assert x != maker(200, noise=0.1, seed=4)[0]
    assert len(x) == 200 and all(len(row) == 2 for row in x)
    assert 60 <= labels.count(1) <= 140  # both classes, roughly half each


def test_xor_labels_are_the_xor_of_the_signs_without_noise():
    x, labels = xor(100, noise=0.0, seed=0)
    assert labels == [int((a < 0) != (b < 0)) for a, b in x]


def test_the_issue_link_trains_moons_to_at_least_0_9():
    s = Session(MOONS)
    assert s.net.sizes == [2, 8, 8, 1] and s.epoch == 0
    first = s.train(5)
    assert first["epoch"] == 5 and len(first["loss"]) == len(first["test_loss"]) == 5
    while s.epoch < 200:
        last = s.train(5)  # as the page's worker does, 5 epochs at a time
    assert last["loss"][-1] < first["loss"][0] and last["test_loss"][-1] < first["test_loss"][0]
    assert last["accuracy"] >= 0.9
    assert last["accuracy_text"] == f"{last['accuracy']:.3f}"


def test_progress_is_a_heat_map_of_probabilities_and_the_weights():
    s = Session("hidden=3&output=softmax")
    p = s.progress()
    assert len(p["boundary"]) == 40 and all(len(row) == 40 for row in p["boundary"])
    assert all(0.0 <= v <= 1.0 for row in p["boundary"] for v in row)
    assert [(len(w), len(w[0])) for w in p["weights"]] == [(2, 3), (3, 2)]
    json.dumps(p)  # the worker sends it as JSON


def test_added_points_join_the_training_set_and_the_query():
    s = Session("n=20&test=0.5")
    n = len(s.x_train)
    described = s.add_point(0.5, -0.25, 1)
    assert len(s.x_train) == n + 1 and [0.5, -0.25, 1] in described["train"]
    assert "added=0.5,-0.25,1" in described["query"]
    with pytest.raises(TinynetError, match="label must be 0 or 1"):
        s.add_point(0.0, 0.0, 2)
    with pytest.raises(TinynetError, match="x must be finite"):
        s.add_point(math.inf, 0.0, 0)


@pytest.mark.parametrize("text", [
    "dataset=circles&batch=2000&epochs=20",
    "dataset=xor&output=softmax&optimizer=adam&batch=2000&epochs=20&added=0.5,0.5,1",
])
def test_the_code_panel_repeats_a_full_batch_run_exactly(text):
    # With full batches there is no shuffling, so the script and the page's
    # 5-epoch chunks must meet at the same weights and the same accuracy.
    s = Session(text)
    for _ in range(4):
        s.train(5)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(s.describe()["code"], "<code panel>", "exec"), {})
    assert float(out.getvalue()) == s.accuracy()


# --- the static files -----------------------------------------------------------

def test_the_page_has_what_the_browser_test_and_the_issue_need():
    html = (PLAYGROUND / "index.html").read_text()
    for element in ('id="accuracy"', 'id="error"', 'id="train"', 'id="pause"', 'id="step"',
                    'id="reset"', 'id="map"', 'id="curves"', 'id="weights"', 'id="code"'):
        assert element in html, element
    for setting in query.PARSERS:
        if setting not in ("hidden", "added", "autorun"):
            assert f'data-setting="{setting}"' in html, setting


def test_the_pinned_pyodide_is_the_one_in_package_json_and_its_hash_matches():
    from tinynet.playground.server import PYODIDE_CDN, PYODIDE_VERSION
    script = (PLAYGROUND / "playground.js").read_text()
    assert PYODIDE_CDN in script
    package = json.loads((ROOT / "package.json").read_text())
    assert package["devDependencies"]["pyodide"] == PYODIDE_VERSION
    npm_copy = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"
    if not npm_copy.exists():
        pytest.skip("node_modules/pyodide not installed (npm ci)")
    digest = base64.b64encode(hashlib.sha384(npm_copy.read_bytes()).digest()).decode()
    assert f'integrity: "sha384-{digest}"' in script


# --- the server -------------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    from tinynet.playground.server import make_server
    httpd = make_server(0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def get(url):
    """Return (status, content type, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, None, b""


@no_sockets
def test_the_server_serves_the_page_and_tinynets_sources(server):
    status, kind, body = get(server + "/")
    assert status == 200 and kind == "text/html" and body == (PLAYGROUND / "index.html").read_bytes()
    status, kind, body = get(server + "/worker.js")
    assert status == 200 and kind == "text/javascript"
    status, _, body = get(server + "/tinynet/network.py")
    assert status == 200 and body == (ROOT / "tinynet" / "network.py").read_bytes()
    status, kind, body = get(server + "/tinynet.zip")
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert status == 200 and kind == "application/zip"
    assert "tinynet/playground/session.py" in names and not any("__pycache__" in n for n in names)
    assert get(server + "/config.json")[0] == 404  # no --pyodide: the page's CDN default


@no_sockets
@pytest.mark.parametrize("path", [
    "/../setup.cfg", "/tinynet/../docs/make_figures.py", "/tinynet/..%2fdocs%2fmake_figures.py",
    "/tinynet/%2e%2e/tests/conftest.py", "/tinynet/../../../../etc/passwd.py",
    "/tinynet//etc/hostname.py", "/setup.cfg", "/tinynet/datasets/README.md",
    "/server.py", "/pyodide/pyodide.js", "/index.html/../setup.cfg",
])
def test_the_server_refuses_paths_outside_its_roots(server, path):
    assert get(server + path)[0] == 404


@no_sockets
def test_a_local_pyodide_is_served_and_announced(tmp_path):
    from tinynet.playground.server import make_server
    local = tmp_path / "pyodide"
    local.mkdir()
    (local / "pyodide.js").write_text("// stand-in")
    (local / "pyodide.asm.wasm").write_bytes(b"\0asm")
    (tmp_path / "secret.txt").write_text("not for the browser")
    httpd = make_server(0, str(local))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        assert json.loads(get(url + "/config.json")[2]) == {"pyodide": "/pyodide/", "integrity": None}
        assert get(url + "/pyodide/pyodide.asm.wasm")[:2] == (200, "application/wasm")
        assert get(url + "/pyodide/../secret.txt")[0] == 404
        assert get(url + "/pyodide/%2e%2e/secret.txt")[0] == 404
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_a_folder_without_pyodide_is_refused_with_a_message(tmp_path):
    from tinynet.playground.server import make_server
    with pytest.raises(TinynetError, match="--pyodide needs a URL or a folder with pyodide.js"):
        make_server(0, str(tmp_path))


@pytest.mark.parametrize("port", [-1, 65536, "8000", True])
def test_a_bad_port_is_refused_with_a_message(port):
    from tinynet.playground.server import make_server
    with pytest.raises(TinynetError, match="port must be an integer from 0 to 65535"):
        make_server(port)


def test_the_cli_hooks_parse_the_documented_options():
    import argparse
    from tinynet.playground.server import add_parser, run
    parser = argparse.ArgumentParser(prog="tinynet")
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["playground", "--port", "0", "--pyodide", "node_modules/pyodide",
                              "--no-browser"])
    assert (args.port, args.pyodide, args.open_browser) == (0, "node_modules/pyodide", False)
    args = parser.parse_args(["playground"])
    assert (args.port, args.pyodide, args.open_browser) == (8000, None, True)
    assert args.run is run
