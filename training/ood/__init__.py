"""The project's own out-of-distribution evaluation set (issue 12, item 5): ood-split sources only,
its own mixer (render.py) and a hand-written phrasing bank (phrasings.json). Never used for training,
tuning or model selection; build it with `python -m training.ood.build`."""
