"""PyTorch twin of the networks `brainfm gpu-check` times, for the yardstick in docs/gpu.md.

The same networks as org.brainfm.model builds from baselines/*.yaml, layer for layer and
parameter for parameter:
  unet: compact-unet full, 2-class segmentation head: 5 stages 32-64-128-256-512, per stage
        MaxPool3d(2) (not the first) and 2 x [Conv3d 3^3 + bias, InstanceNorm3d(affine, eps 1e-5),
        LeakyReLU(0.01)]; decoder per stage ConvTranspose3d(k2, s2) (brainfm: 1^3 conv + 3D pixel
        shuffle, the same map), concat [upsampled, skip], one conv block; 1^3 conv to 2 classes;
        loss: voxel-wise cross-entropy against (x > 0).
  vit:  vit-b16 full, 2-class classification head: Conv3d patch embedding (16^3, bias), learned
        position embedding on the token grid, 12 pre-norm blocks (LayerNorm eps 1e-6, 12-head
        attention with q/k/v/out biases, MLP 3072 with exact GELU), final LayerNorm, mean over
        tokens, Linear-LeakyReLU(0.01)-Linear; loss: cross-entropy against class 0.
Timed like brainfm: random N(0, 1) input, AdamW (lr 1e-4, weight decay 1e-2), warm-up steps,
then each step from its start until the loss is read back. Variants: fp32 eager, and bf16
autocast (with channels_last_3d for the U-Net, the speed nnU-Net users get).

usage: python3 torch_twin.py [--size 128] [--batch 2] [--steps 5] [--warmup 2] [--json FILE]
Prints one line per variant; with --json writes them as a JSON array. Without torch it says so
and exits 3 (the CPU rehearsal of scripts/device/run-gpu-checks.sh relies on that).
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print("torch_twin: skipped: python3 has no torch here (it runs on the GPU machine)", file=sys.stderr)
    sys.exit(3)

WIDTHS = (32, 64, 128, 256, 512)


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, 1, 1, bias=True), nn.InstanceNorm3d(cout, eps=1e-5, affine=True),
                         nn.LeakyReLU(0.01))


class UNet(nn.Module):
    def __init__(self, widths=WIDTHS, classes=2):
        super().__init__()
        self.stages = nn.ModuleList()
        previous = 1
        for s, w in enumerate(widths):
            layers = ([nn.MaxPool3d(2)] if s > 0 else []) + [conv_block(previous, w), conv_block(w, w)]
            self.stages.append(nn.Sequential(*layers))
            previous = w
        self.ups = nn.ModuleList()
        self.blocks = nn.ModuleList()
        below = widths[-1]
        for w in reversed(widths[:-1]):
            self.ups.append(nn.ConvTranspose3d(below, w, 2, 2))
            self.blocks.append(conv_block(2 * w, w))
            below = w
        self.output = nn.Conv3d(widths[0], classes, 1)

    def forward(self, x):
        features = []
        for stage in self.stages:
            x = stage(x)
            features.append(x)
        y = features[-1]
        for i, (up, block) in enumerate(zip(self.ups, self.blocks)):
            y = block(torch.cat([up(y), features[-2 - i]], 1))
        return self.output(y)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)  # brainfm: three Linear(dim, dim); the same parameters
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v)
        return self.proj(y.transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    def __init__(self, size, patch=16, dim=768, depth=12, heads=12, classes=2):
        super().__init__()
        g = size // patch
        self.embed = nn.Conv3d(1, dim, patch, patch)
        self.position = nn.Parameter(torch.randn(1, dim, g, g, g) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim, heads, 4 * dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Sequential(nn.Linear(dim, dim), nn.LeakyReLU(0.01), nn.Linear(dim, classes))

    def forward(self, x):
        tokens = (self.embed(x) + self.position).flatten(2).transpose(1, 2)
        return self.head(self.norm(self.blocks(tokens)).mean(1))


def time_variant(which, size, batch, steps, warmup, bf16, channels_last, device):
    torch.manual_seed(0)
    model = (UNet() if which == "unet" else ViT(size)).to(device)
    x = torch.randn(batch, 1, size, size, size, device=device)
    y = (x > 0).long()[:, 0] if which == "unet" else torch.zeros(batch, dtype=torch.long, device=device)
    if channels_last:
        model = model.to(memory_format=torch.channels_last_3d)
        x = x.to(memory_format=torch.channels_last_3d)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-2)
    cuda = device == "cuda"
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    times = []
    for i in range(warmup + steps):
        if cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        with torch.autocast(device, dtype=torch.bfloat16, enabled=bf16):
            loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        value = loss.item()
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1e3)
    result = {
        "network": which, "size": size, "batch": batch, "bf16_autocast": bf16, "channels_last_3d": channels_last,
        "parameters": sum(p.numel() for p in model.parameters()),
        "step_ms": times, "best_ms": min(times), "median_ms": statistics.median(times), "last_loss": value,
        "peak_memory_bytes": torch.cuda.max_memory_allocated() if cuda else 0,
    }
    del model, opt
    if cuda:
        torch.cuda.empty_cache()
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--networks", default="unet,vit")
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    ap.add_argument("--json")
    a = ap.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        print("torch_twin: torch sees no CUDA device", file=sys.stderr)
        return 1
    torch.backends.cudnn.benchmark = True
    print(f"torch {torch.__version__}, cuda {torch.version.cuda}, cudnn {torch.backends.cudnn.version()}, "
          f"device {torch.cuda.get_device_name() if a.device == 'cuda' else 'cpu'}, "
          f"tf32 matmul {torch.backends.cuda.matmul.allow_tf32} conv {torch.backends.cudnn.allow_tf32}", flush=True)
    results = []
    for which in a.networks.split(","):
        for bf16 in (False, True):
            r = time_variant(which, a.size, a.batch, a.steps, a.warmup, bf16, bf16 and which == "unet", a.device)
            r["torch"] = torch.__version__
            results.append(r)
            print(f"torch {which} {a.size}^3 x{a.batch} {'bf16 autocast' if bf16 else 'fp32 eager'}"
                  f"{' channels_last_3d' if r['channels_last_3d'] else ''}: {r['parameters']:,} parameters; "
                  f"step best {r['best_ms']:.1f} ms, median {r['median_ms']:.1f} ms; "
                  f"peak {r['peak_memory_bytes'] / 2**30:.1f} GiB", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
