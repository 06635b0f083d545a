#!/usr/bin/env python3
"""Activations of any PyTorch model, in every orientation, in esae's layout.

Runs each image x_i of a batch source through a PyTorch module at every power p of a cyclic
group of order n, hooks one layer, and writes psi(g^p x_i) as float32 [N, n, d] .npy: the input
of `esae fit-m`, `esae train-sae` and `esae probe`. g is a clockwise quarter turn for n = 4 (a
half turn for n = 2), as in esae's own datasets, or your own transform for any n.

    python3 python/esae_acts.py --model my_net.py:build --weights my_net.pt --layer encoder.4 \\
        --images images.npy --order 4 --out acts.npy

Only the standard library, numpy and torch are needed.
"""
import argparse
import importlib
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch


def fail(message):
    """One line naming the input and what was expected, exit 2 (as esae does)."""
    print("esae_acts: " + message, file=sys.stderr)
    sys.exit(2)


def load_object(spec, what):
    """'path/to/file.py:name' or 'package.module:name' -> the named object."""
    if ":" not in spec:
        fail(f"{what} '{spec}': expected FILE.py:NAME or MODULE:NAME")
    where, name = spec.rsplit(":", 1)
    if where.endswith(".py"):
        if not os.path.isfile(where):
            fail(f"{what} '{spec}': {where} not found")
        mod_spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(where))[0], where)
        module = importlib.util.module_from_spec(mod_spec)
        sys.path.insert(0, os.path.dirname(os.path.abspath(where)))
        mod_spec.loader.exec_module(module)
    else:
        try:
            module = importlib.import_module(where)
        except ImportError as e:
            fail(f"{what} '{spec}': cannot import {where} ({e})")
    if not hasattr(module, name):
        fail(f"{what} '{spec}': {where} has no '{name}'")
    return getattr(module, name)


def load_images(spec):
    """A .npy of images ([N, H, W] or [N, C, H, W]; uint8 scaled to [0, 1]), or MODULE:NAME returning such an array."""
    if spec.endswith(".npy"):
        if not os.path.isfile(spec):
            fail(f"--images {spec}: file not found (expected a .npy of images [N, H, W] or [N, C, H, W])")
        try:
            a = np.load(spec, allow_pickle=False)
        except ValueError as e:
            fail(f"--images {spec}: not a readable .npy array ({e})")
    else:
        source = load_object(spec, "--images")
        a = source() if callable(source) else source
        a = a.numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
    if a.ndim == 3:
        a = a[:, None]
    if a.ndim != 4 or a.shape[0] == 0:
        fail(f"--images {spec}: expected images [N, H, W] or [N, C, H, W], found shape {list(a.shape)}")
    x = torch.from_numpy(a.astype(np.float32) / 255.0 if a.dtype == np.uint8 else a.astype(np.float32))
    if not torch.isfinite(x).all():
        fail(f"--images {spec}: holds NaN or Inf; images must be finite")
    return x


def quarter_turns(order):
    """g^p as clockwise quarter turns (esae's CyclicGroup): n = 4 one per power, n = 2 two, n = 1 none."""
    if order not in (1, 2, 4):
        return None
    return 4 // order


def rotate(batch, p, order):
    """g^p on a batch [B, C, H, W]: clockwise by p * 360/n degrees (torch.rot90 turns counter-clockwise for k > 0)."""
    return torch.rot90(batch, k=-p * quarter_turns(order), dims=(-2, -1))


class Progress:
    """A bar on stderr with the rate and the time left; a line per tenth when stderr is not a terminal."""

    def __init__(self, total):
        self.total, self.start, self.last = total, time.time(), -1
        self.tty = sys.stderr.isatty()

    def update(self, done):
        elapsed = max(time.time() - self.start, 1e-9)
        rate = done / elapsed
        eta = (self.total - done) / rate if rate > 0 else 0
        tenth = done * 10 // self.total
        if not self.tty and tenth == self.last and done < self.total:
            return
        self.last = tenth
        bar = "#" * (done * 30 // self.total)
        line = f"esae_acts [{bar:<30}] {done}/{self.total} images  {rate:,.0f} images/s  ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        print(("\r" + line) if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)
        if self.tty and done == self.total:
            print(file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="FILE.py:NAME or MODULE:NAME: an nn.Module, or a function returning one")
    ap.add_argument("--weights", help="a state_dict saved with torch.save, loaded into the model")
    ap.add_argument("--layer", required=True, help="the module whose output is psi, by its name in model.named_modules()")
    ap.add_argument("--images", required=True, help="a .npy of images, or MODULE:NAME returning them")
    ap.add_argument("--order", type=int, default=4, help="group order n (default 4: quarter turns)")
    ap.add_argument("--transform", help="FILE.py:NAME of a function (batch [B, C, H, W], p) -> g^p batch, for your own group")
    ap.add_argument("--batch", type=int, default=64, help="images per forward pass (default 64)")
    ap.add_argument("--seed", type=int, default=0, help="torch's seed, for a model that draws its weights (default 0)")
    ap.add_argument("--out", required=True, help="the .npy to write, float32 [N, n, d]")
    args = ap.parse_args(argv)
    if args.order < 1:
        fail(f"--order {args.order}: expected a group order of 1 or more")
    if args.batch < 1:
        fail(f"--batch {args.batch}: expected 1 or more")
    if args.transform is None and quarter_turns(args.order) is None:
        fail(f"--order {args.order}: image rotations by 360/n without resampling exist for n = 1, 2, 4; give --transform for others")
    transform = load_object(args.transform, "--transform") if args.transform else (lambda b, p: rotate(b, p, args.order))

    torch.manual_seed(args.seed)
    model = load_object(args.model, "--model")
    if not isinstance(model, torch.nn.Module):
        model = model()
    if not isinstance(model, torch.nn.Module):
        fail(f"--model {args.model}: expected an nn.Module or a function returning one, got {type(model).__name__}")
    if args.weights:
        if not os.path.isfile(args.weights):
            fail(f"--weights {args.weights}: file not found (expected a state_dict saved with torch.save)")
        model.load_state_dict(torch.load(args.weights, map_location="cpu"))
    layers = dict(model.named_modules())
    if args.layer not in layers:
        names = [n for n in layers if n]
        fail(f"--layer {args.layer}: the model has no such module (it has {', '.join(names[:20])}{' ...' if len(names) > 20 else ''})")
    images = load_images(args.images)
    count, order = images.shape[0], args.order

    captured = []
    hook = layers[args.layer].register_forward_hook(lambda m, i, o: captured.append(o.detach().reshape(o.shape[0], -1)))
    model.eval()
    acts = None
    progress = Progress(count)
    with torch.no_grad():
        for start in range(0, count, args.batch):
            x = images[start:start + args.batch]
            for p in range(order):
                captured.clear()
                model(transform(x, p))
                if len(captured) != 1:
                    fail(f"--layer {args.layer}: ran {len(captured)} times in one forward pass (expected once)")
                psi = captured[0].float().numpy()
                if acts is None:
                    acts = np.empty((count, order, psi.shape[1]), dtype=np.float32)
                acts[start:start + x.shape[0], p] = psi
            progress.update(start + x.shape[0])
    hook.remove()
    if not np.isfinite(acts).all():
        fail(f"--layer {args.layer}: produced NaN or Inf; esae needs finite activations")

    # A temporary name and a rename: a crash never leaves half a file.
    out = args.out
    tmp = os.path.join(os.path.dirname(os.path.abspath(out)), "." + os.path.basename(out) + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        np.save(f, acts)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, out)
    print(json.dumps({"wrote": out, "shape": list(acts.shape), "layer": args.layer, "order": order}))


if __name__ == "__main__":
    main()
