"""Pictures of a training run: a line chart for the terminal, and SVG figures.

=============================  ==============================================
name                           draws
=============================  ==============================================
terminal_chart(values)         a line chart as text (Unicode braille or ASCII)
LossPlot(loss, val_loss)       loss per epoch, SVG
DecisionBoundaryPlot(f, x, y)  class regions of a 2-feature classifier, SVG
ConfusionMatrixPlot(m, names)  a confusion matrix as a heatmap, SVG
FilterPlot(conv)               a convolution layer's filters, SVG
FeatureMapPlot(layers, image)  one image and its feature maps, SVG
save_svg(plot, path)           plot.save(path)
=============================  ==============================================

The rooms: tinynet.plot.terminal (the text chart), tinynet.plot.svg (the
figures and the element writer), tinynet.plot.images (the convolution
pictures), tinynet.plot.scales (the data-to-pixel map
and ticks both use). Standard library only; nothing here prints.

>>> LossPlot([1.0, 0.5, 0.3])
LossPlot(epochs=3, val_loss=False, log=False)
>>> len(terminal_chart([3.0, 1.0], width=20, height=5).splitlines())
5
"""

from .images import FeatureMapPlot, FilterPlot
from .svg import PALETTE, ConfusionMatrixPlot, DecisionBoundaryPlot, LossPlot, save_svg
from .terminal import terminal_chart

__all__ = [
    "terminal_chart", "LossPlot", "DecisionBoundaryPlot", "ConfusionMatrixPlot",
    "save_svg", "PALETTE", "FilterPlot", "FeatureMapPlot",
]
