"""training.pilots.learned_columns: which words state one presence edit, and the per-class rise it reads."""

import numpy as np

from model.aligned_rerank import PatchEvidence
from model.class_scores import CLASS_ZERO_POINT, sound_classes
from training.pilots.learned_columns import largest_rise, presence_edit, rise_max


def _clip(dog_patch: int | None) -> PatchEvidence:
    classes = np.full((4, 521), CLASS_ZERO_POINT - 40, dtype=np.uint8)
    if dog_patch is not None:
        classes[dog_patch, sound_classes(["dog"])] = 255
    return PatchEvidence(classes, np.zeros(4, dtype=np.float32))


def test_presence_edits_are_one_named_add_or_remove():
    assert presence_edit("add a dog barking") == ("add", "dog")
    assert presence_edit("remove the dog") == ("remove", "dog")
    assert presence_edit("make it louder") is None
    assert presence_edit("add a dog and remove the car horn") is None


def test_the_rise_is_read_where_the_sound_arrives():
    without, with_dog = _clip(None), _clip(2)
    rise = largest_rise(without, with_dog)
    dog = sound_classes(["dog"])
    assert rise[dog].min() > 0.5 and np.delete(rise, dog).max() < 1e-6
    assert rise_max(dog, without, with_dog) > 0.5 > rise_max(dog, with_dog, without)
