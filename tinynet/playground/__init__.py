"""The playground: a page that trains tinynet in the browser, on Pyodide.

Like TensorFlow Playground, but the network is tinynet itself: the page's
Web Worker loads Pyodide (CPython on WebAssembly), loads tinynet's own
source files into it, and trains with the public API.

==================  =====================================================
module              what it holds
==================  =====================================================
settings            the URL query: parse, write back, show as Python code
session             the data, the network, and what the page draws
server              the local web server: ``tinynet playground``
index.html, *.js    the page, its script and its Web Worker (static files)
==================  =====================================================

Run it with ``tinynet playground`` (or ``python -m tinynet.playground.server``
from a checkout): it serves the page on 127.0.0.1 and opens a browser. The
page loads Pyodide from its CDN at a pinned version, checked against an
integrity hash; ``--pyodide node_modules/pyodide`` (after ``npm install
pyodide@314.0.7``) serves a local copy instead, for offline use.

To host the page statically (e.g. GitHub Pages), copy the four static files
and a zip of the package into one folder; the page then loads Pyodide from
its CDN::

    mkdir site
    cp tinynet/playground/*.html tinynet/playground/*.js tinynet/playground/*.css site/
    python -m zipfile -c site/tinynet.zip tinynet

An optional ``site/config.json`` such as ``{"pyodide": "/pyodide/",
"integrity": null}`` points the page at another copy of Pyodide.

>>> from tinynet.playground import settings
>>> settings.parse_query("dataset=spirals")["dataset"]
'spirals'
"""
