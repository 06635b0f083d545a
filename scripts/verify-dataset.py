#!/usr/bin/env python3
"""Independent check of an `esae dataset` folder with numpy alone (no esae code involved).

  python3 scripts/verify-dataset.py DIR

Checks: images.npy is uint8 [N,64,64] and labels.npy int32 [N,4,2]; labels are in range; every
quadrant with the same (shape, orientation) label holds the same 32x32 patch; numpy's clockwise
rot90 of the patch for orientation o is the patch for orientation o+1 (mod the orbit size); and
rotating a whole image clockwise moves quadrant q to q+1. Prints one line and exits 0 when all hold.
"""
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

    turned = np.rot90(images[0], k=-1)
    for q, (r, c) in enumerate(ORIGIN):
        rq, cq = ORIGIN[(q + 1) % 4]
        s, o = labels[0, q]
        if not np.array_equal(turned[rq:rq + 32, cq:cq + 32], patches[(s, (o + 1) % ORBIT[s])]):
            fail(f"a clockwise turn of image 0 does not move quadrant {q} to {(q + 1) % 4} with one more quarter turn")
    print(f"verify-dataset: ok: {images.shape[0]} images, {len(patches)} of 28 shape/orientation patches seen, "
          f"rotation consistent")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1])
