"""tinynet's fast forms, behind one door.

The core (matrix, activations, optim) holds the plain form of every
operation; this package holds the fast ones and the door that picks between
them (tinynet.fast.door). Each fast module is a set of pure functions on
lists with a FORMS table, op name -> chooser(*shape), registered below; a
new fast module needs one line here.

=====================  ======================================================
module                 what it holds
=====================  ======================================================
tinynet.fast.door      define/register/reference/show: the dispatch
tinynet.fast.kernels   kernels written out for one shape, generated and cached
tinynet.fast.loops     zip + math.sumprod products, inline elementwise loops
tinynet.fast.conv      convolution and pooling: im2col patch lists
tinynet.fast.step      a small Dense network's whole training step, written
                       out (Network.fit asks for it; not an op of the door)
=====================  ======================================================

To run without them: ``with tinynet.reference(): ...``. To read the code
that runs for a shape: ``tinynet.fast.show("matmul", 4, 3, 4)``.
"""

from __future__ import annotations

from . import conv, kernels
from .door import OPS, define, in_reference, ops, reference, register, register_all, show, source

__all__ = ["OPS", "define", "in_reference", "ops", "reference", "register", "register_all",
           "show", "source"]

register_all(kernels.FORMS)
register_all(conv.FORMS)
