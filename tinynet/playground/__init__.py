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

>>> from tinynet.playground import settings
>>> settings.parse_query("dataset=spirals")["dataset"]
'spirals'
"""
