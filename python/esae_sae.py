"""Load any esae SAE folder (cfg.json + sae_weights.safetensors) and run it as esae does (docs/SAE_FORMAT.md).

    sae = EsaeSae.load("runs/sae-eq-32")   # any of the five kinds; float64 unless dtype= says otherwise
    x_hat = sae(x, p)                      # x [B, d]; p [B] orientation powers (the equivariant kind only)
    scores = metrics(sae, acts)            # acts [N, n, d]: metrics.json's mse, fvu, l0, l1, dead_*, unknown_p

Needs numpy and torch only: the safetensors header is JSON, the data little-endian after it.
"""
import json

import numpy as np
import torch

_DTYPES = {"F32": "<f4", "F64": "<f8", "I32": "<i4", "I64": "<i8", "U8": "u1"}


def read_safetensors(path):
    """Every tensor of a .safetensors file, by name."""
    raw = open(path, "rb").read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    return {name: torch.from_numpy(np.frombuffer(raw, _DTYPES[t["dtype"]], int(np.prod(t["shape"], dtype=np.int64)),
                                                 8 + n + t["data_offsets"][0]).reshape(t["shape"]).copy())
            for name, t in header.items()}


class EsaeSae(torch.nn.Module):
    """pre = E(x - b_dec); z = max(TopK_k(pre), 0); x_hat = z W_dec + b_dec; the equivariant kind outputs M^p x_hat."""

    def __init__(self, cfg, weights, dtype=torch.float64):
        super().__init__()
        self.cfg, self.kind, self.k = cfg, cfg["esae_kind"], cfg["k"]
        self.order = cfg.get("group_order") or 4
        for name, t in weights.items():  # encoder.0.weight -> encoder_0_weight (buffer names have no dots)
            self.register_buffer(name.replace(".", "_"), t.to(dtype))
        self.two_layer = "encoder.0.weight" in weights

    @classmethod
    def load(cls, folder, dtype=torch.float64):
        cfg = json.load(open(f"{folder}/cfg.json"))
        return cls(cfg, read_safetensors(f"{folder}/sae_weights.safetensors"), dtype)

    def encode(self, x):
        """The dense code z [B, d_sae]: the k largest pre-activations, negatives zeroed, every other latent 0."""
        h = x.to(self.b_dec.dtype) - self.b_dec
        if self.two_layer:  # Linear(d, 512) ReLU; encoder.0.weight is [512, d] as in torch.nn.Linear
            h = torch.relu(h @ self.encoder_0_weight.T + self.encoder_0_bias)
        pre = h @ self.W_enc + self.b_enc  # W_enc is [in, d_sae], SAELens's layout
        vals, idx = pre.topk(self.k, dim=-1)
        return torch.zeros_like(pre).scatter_(-1, idx, vals.relu())

    def decode(self, z):
        return z @ self.W_dec + self.b_dec

    def powers(self, x_hat):
        """[n, B, d]: M^q x_hat for q = 0..n-1 (M acts on column vectors, so a row times M^T)."""
        out = [x_hat]
        for _ in range(self.order - 1):
            out.append(out[-1] @ self.M.T)
        return torch.stack(out)

    def forward(self, x, p=None):
        x_hat = self.decode(self.encode(x))
        if self.kind != "equivariant":
            return x_hat
        if p is None:
            raise ValueError("the equivariant kind needs each row's orientation power p")
        return self.powers(x_hat)[torch.as_tensor(p), torch.arange(len(x_hat))]


@torch.no_grad()
def metrics(sae, acts, unknown_p=False):
    """metrics.json's numbers over acts [N, n, d] (row i*n + p is psi(g^p x_i)), as esae's SaeMetrics computes them."""
    acts = torch.as_tensor(acts).to(sae.b_dec.dtype)
    count, n, d = acts.shape
    x = acts.reshape(-1, d)
    rows, p = len(x), torch.arange(n).repeat(count)
    # The invariant kind is scored against the canonical orientation; the others against the row itself.
    target = acts[:, :1].expand(-1, n, -1).reshape(-1, d) if sae.kind == "invariant" else x
    z = sae.encode(x)
    x_hat = sae.decode(z)
    powered = sae.powers(x_hat) if sae.kind == "equivariant" else x_hat[None]
    pred = powered[p, torch.arange(rows)] if sae.kind == "equivariant" else x_hat
    sse = ((target - pred) ** 2).sum().item()
    variance = ((target - target.mean(0)) ** 2).sum().item()
    dead = int((~(z > 0).any(0)).sum())
    out = {"mse": sse / (rows * d), "fvu": sse / variance, "l0": (z > 0).sum().item() / rows, "l1": z.sum().item() / rows,
           "dead_fraction": dead / z.shape[1], "dead_latents": dead, "rows": rows}
    if sae.kind == "equivariant" and unknown_p:
        err = ((target[None] - powered) ** 2).sum(-1)  # [n, rows]; the first smallest wins ties, as in esae
        best = err.argmin(0)
        sse_u = err.min(0).values.sum().item()
        out["unknown_p"] = {"accuracy": (best == p).double().mean().item(), "mse": sse_u / (rows * d), "fvu": sse_u / variance}
    return out
