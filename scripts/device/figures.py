"""Gathers what run-gpu-checks.sh measured into one JSON and prints the summary (stdlib only).

Inputs in --work: phases.tsv (name, exit code, seconds of each step), steps.json (brainfm
gpu-check), twin.json (torch_twin.py), runs.json (brainfm runs --json of the pretraining runs);
any of them may be missing, and the figures then say why.
Ratios: brainfm's best step time over PyTorch's best fp32 eager step, and over its bf16
autocast step, per network (goal for fp32: at most 1.10).
"""
import argparse
import json
import os
import sys

GOAL_FP32_RATIO = 1.10
TWIN_NAMES = {"compact-unet": "unet", "vit-b16": "vit"}


def read_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def read_phases(path):
    phases = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                name, code, seconds = line.rstrip("\n").split("\t")
                phases[name] = {"exit": code, "seconds": int(seconds)}
    return phases


def comparisons(steps, twin):
    rows = []
    for s in steps or []:
        net = TWIN_NAMES.get(s["card"])
        # The twin builds the full presets only.
        torch_rows = [t for t in (twin or []) if s["preset"] == "full" and t["network"] == net
                      and t["size"] == s["size"] and t["batch"] == s["batch"]]
        fp32 = next((t for t in torch_rows if not t["bf16_autocast"]), None)
        bf16 = next((t for t in torch_rows if t["bf16_autocast"]), None)
        row = {
            "card": s["card"], "network": net, "preset": s["preset"], "size": s["size"], "batch": s["batch"], "update": s["update"],
            "device": s["parameterDevice"], "parameters_brainfm": s["parameters"],
            "parameters_torch": fp32["parameters"] if fp32 else None,
            "brainfm_best_ms": s["bestMs"], "brainfm_median_ms": s["medianMs"], "brainfm_phase_ms": s["phaseMs"],
            "torch_fp32_best_ms": fp32["best_ms"] if fp32 else None,
            "torch_bf16_best_ms": bf16["best_ms"] if bf16 else None,
        }
        row["parameters_equal"] = fp32 is not None and fp32["parameters"] == s["parameters"]
        row["ratio_vs_torch_fp32"] = s["bestMs"] / fp32["best_ms"] if fp32 else None
        row["ratio_vs_torch_bf16"] = s["bestMs"] / bf16["best_ms"] if bf16 else None
        row["meets_fp32_goal"] = row["ratio_vs_torch_fp32"] <= GOAL_FP32_RATIO if fp32 else None
        rows.append(row)
    return rows


def pretraining(runs):
    out = []
    for r in runs or []:
        if r.get("kind") != "pretrain":
            continue
        seconds = r.get("device_seconds")
        out.append({
            "run": r["id"], "card": r["card"], "objective": r.get("objective"), "status": r["status"],
            "device_type": r.get("device_type"), "device": r.get("device"), "wall_seconds": r.get("wall_seconds"),
            "device_seconds": seconds, "device_hours": seconds / 3600 if seconds is not None else None,
            "gpu_seconds": r.get("gpu_seconds"), "peak_memory_bytes": r.get("peak_memory_bytes"),
            "parameters": r.get("parameters"), "config": r.get("config"), "error": r.get("error"),
        })
    return out


def fmt(v, pattern="{:.1f}"):
    return "-" if v is None else pattern.format(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--mode", default="gpu")
    a = ap.parse_args()
    phases = read_phases(os.path.join(a.work, "phases.tsv"))
    steps = read_json(os.path.join(a.work, "steps.json"))
    twin = read_json(os.path.join(a.work, "twin.json"))
    runs = read_json(os.path.join(a.work, "runs.json"))
    figures = {
        "mode": a.mode, "phases": phases, "goal_fp32_ratio": GOAL_FP32_RATIO,
        "comparisons": comparisons(steps, twin), "pretraining": pretraining(runs),
        "brainfm_steps": steps, "torch_steps": twin,
    }
    if twin is None:
        figures["torch_missing"] = "the twin did not run (exit %s): see log.txt" % phases.get("twin", {}).get("exit", "?")
    with open(a.out, "w") as f:
        json.dump(figures, f, indent=1)

    print("== figures (%s mode)" % a.mode)
    for c in figures["comparisons"]:
        print("%-13s %s^3 x%s %-7s AdamW on %-7s brainfm %s ms | torch fp32 %s ms, bf16 %s ms | ratio fp32 %s, bf16 %s | "
              "parameters %s%s" % (c["card"], c["size"], c["batch"], c["update"], c["device"], fmt(c["brainfm_best_ms"]),
                                   fmt(c["torch_fp32_best_ms"]), fmt(c["torch_bf16_best_ms"]),
                                   fmt(c["ratio_vs_torch_fp32"], "{:.2f}"), fmt(c["ratio_vs_torch_bf16"], "{:.2f}"),
                                   "{:,}".format(c["parameters_brainfm"]),
                                   "" if c["parameters_torch"] is None else
                                   (" = torch" if c["parameters_equal"] else " != torch %s" % "{:,}".format(c["parameters_torch"]))))
    for p in figures["pretraining"]:
        print("pretrain run %s %-13s %-10s %s on %s: %s s wall, %s device-seconds (%s device-hours)" % (
            p["run"], p["card"], p["status"], p["device_type"], p["device"], fmt(p["wall_seconds"]),
            fmt(p["device_seconds"]), fmt(p["device_hours"], "{:.5f}")))
    if twin is None:
        print("torch: " + figures["torch_missing"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
