"""Pure statistics shared by every layer: effect sizes, meta-analysis, Bayesian updating,
standardised-score arithmetic and decision rules on progress data.

It sits at the ground of the layers (beside ``core``) because the catalogue's pooling, the
matcher and the school's own results all use it; it never imports Django or another app.
"""
