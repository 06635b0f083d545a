#!/usr/bin/env python3
"""Independent check of an `esae dataset` folder with numpy alone (no esae code involved).

  python3 scripts/verify-dataset.py DIR

Checks: images.npy is uint8 [N,64,64] and labels.npy int32 [N,4,2]; labels are in range; an upright
dataset (dataset.json's "orientations", or all labels 0) holds every shape in orientation 0; every
quadrant with the same (shape, orientation) label holds the same 32x32 patch; numpy's clockwise
rot90 of the patch for orientation o is the patch for orientation o+1 (mod the orbit size) where both
occur; each shape's orbit under rot90 has the size its label range says (4, or 2 for the bar and the
diagonal); and rotating a whole image clockwise moves quadrant q to q+1 with its patch turned once.
Prints one line and exits 0 when all hold.
"""
import json
import os
import sys

import numpy as np

ORBIT = [4, 4, 4, 4, 4, 4, 2, 2]            # shape ids 0..7 (see dev.esae.data.ShapeKind)
ORIGIN = [(0, 0), (0, 32), (32, 32), (32, 0)]  # quadrants clockwise from the top-left


def fail(msg):
    print(f"verify-dataset: FAIL: {msg}")
    sys.exit(1)


def main(folder):
    images = np.load(f"{folder}/images.npy")
    labels = np.load(f"{folder}/labels.npy")
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (64, 64):
        fail(f"images.npy is {images.dtype}{list(images.shape)}, expected uint8 [N,64,64]")
    if labels.dtype != np.int32 or labels.shape != (images.shape[0], 4, 2):
        fail(f"labels.npy is {labels.dtype}{list(labels.shape)}, expected int32 [{images.shape[0]},4,2]")
    shapes, orients = labels[..., 0], labels[..., 1]
    if shapes.min() < 0 or shapes.max() > 7:
        fail("shape ids outside 0..7")
    if (orients < 0).any() or (orients >= np.array(ORBIT)[shapes]).any():
        fail("orientation outside the shape's orbit")
    info = f"{folder}/dataset.json"
    mode = json.load(open(info))["orientations"] if os.path.exists(info) else None
    if mode not in (None, "upright", "random"):
        fail(f"dataset.json: orientations is {mode!r}, expected upright or random")
    if mode == "upright" and (orients != 0).any():
        fail("dataset.json says upright, but some shapes are not in orientation 0")

    patches = {}
    for q, (r, c) in enumerate(ORIGIN):
        quad = images[:, r:r + 32, c:c + 32]
        for s in range(8):
            for o in range(ORBIT[s]):
                sel = quad[(shapes[:, q] == s) & (orients[:, q] == o)]
                if len(sel) == 0:
                    continue
                if (sel != sel[0]).any():
                    fail(f"shape {s} orientation {o} is drawn differently in different images")
                if (s, o) in patches and (patches[(s, o)] != sel[0]).any():
                    fail(f"shape {s} orientation {o} differs between quadrants")
                patches[(s, o)] = sel[0]
    for (s, o), p in patches.items():
        nxt = (s, (o + 1) % ORBIT[s])
        if nxt in patches and not np.array_equal(np.rot90(p, k=-1), patches[nxt]):
            fail(f"clockwise rot90 of shape {s} orientation {o} is not orientation {nxt[1]}")
    if len({p.tobytes() for p in patches.values()}) != len(patches):
        fail("two different labels share one patch")
    for (s, o), p in patches.items():
        orbit = {np.rot90(p, k=-t).tobytes() for t in range(4)}
        if len(orbit) != ORBIT[s]:
            fail(f"shape {s} has {len(orbit)} distinct quarter turns, expected {ORBIT[s]}")

    for i in range(min(len(images), 50)):
        turned = np.rot90(images[i], k=-1)
        for q, (r, c) in enumerate(ORIGIN):
            rq, cq = ORIGIN[(q + 1) % 4]
            s, o = labels[i, q]
            if not np.array_equal(turned[rq:rq + 32, cq:cq + 32], np.rot90(patches[(s, o)], k=-1)):
                fail(f"a clockwise turn of image {i} does not move quadrant {q} to {(q + 1) % 4} with one more quarter turn")
    upright = bool((orients == 0).all())
    print(f"verify-dataset: ok: {images.shape[0]} {'upright' if upright else 'randomly oriented'} images, "
          f"{len({im.tobytes() for im in images})} distinct, {len(patches)} of 28 shape/orientation patches seen, rotation consistent")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1])
