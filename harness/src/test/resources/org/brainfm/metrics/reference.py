"""Independent reference for brainfm's metrics, built on scipy and sklearn.

  reference.py score REQUEST.json RESPONSE.json   scores every case of the request
  reference.py bench PRED.raw REF.raw NX NY NZ SX SY SZ TOL REPEATS
                                                  times Dice + NSD + HD95, prints seconds per pair

Masks and label maps are raw uint8 files, x fastest (NIfTI order). Boundary: mask & ~binary_erosion(mask)
with the 6-connected cross and border_value=0. Distances: distance_transform_edt with
sampling=spacing. HD95: numpy's default (linear) percentile.
"""
import json
import sys
import time

import numpy as np
from scipy import ndimage, stats
from sklearn import metrics as skm

CROSS = ndimage.generate_binary_structure(3, 1)


def load(path, shape):
    return np.fromfile(path, dtype=np.uint8).reshape(shape, order="F").astype(bool)


def boundary(mask):
    return mask & ~ndimage.binary_erosion(mask, structure=CROSS, border_value=0)


def segmentation(pred, ref, spacing, tolerance):
    dice = 2.0 * np.count_nonzero(pred & ref) / (np.count_nonzero(pred) + np.count_nonzero(ref))
    bp = boundary(pred)
    br = boundary(ref)
    d_pr = ndimage.distance_transform_edt(~br, sampling=spacing)[bp]
    d_rp = ndimage.distance_transform_edt(~bp, sampling=spacing)[br]
    within = np.count_nonzero(d_pr <= tolerance) + np.count_nonzero(d_rp <= tolerance)
    return {
        "dice": dice,
        "nsd": within / (d_pr.size + d_rp.size),
        "hd95": max(np.percentile(d_pr, 95), np.percentile(d_rp, 95)),
        "hausdorff": max(d_pr.max(), d_rp.max()),
        "pred_boundary": int(bp.sum()),
        "ref_boundary": int(br.sum()),
    }


def multiclass(pred, ref, classes, spacing, tolerance):
    """Per class k = 1..classes: None when absent from both (left out of the mean), the worst
    values when absent from one (HD95: the grid's diagonal), else the binary metrics; then the
    mean over the defined classes (Dice 1, NSD 1, HD95 0 when none is)."""
    diagonal = float(np.sqrt(np.sum((np.array(pred.shape) * np.array(spacing)) ** 2)))
    per = []
    for k in range(1, classes + 1):
        p, r = pred == k, ref == k
        if not p.any() and not r.any():
            per.append(None)
        elif not p.any() or not r.any():
            per.append({"dice": 0.0, "nsd": 0.0, "hd95": diagonal})
        else:
            s = segmentation(p, r, spacing, tolerance)
            per.append({m: float(s[m]) for m in ("dice", "nsd", "hd95")})
    defined = [c for c in per if c is not None]
    mean = ({m: float(np.mean([c[m] for c in defined])) for m in ("dice", "nsd", "hd95")}
            if defined else {"dice": 1.0, "nsd": 1.0, "hd95": 0.0})
    return {"classes": per, "mean": mean}


def classification(scores, labels):
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=int)
    predicted = (s >= 0.5).astype(int)
    return {
        "auroc": skm.roc_auc_score(y, s),
        "ap": skm.average_precision_score(y, s),
        "accuracy": skm.accuracy_score(y, predicted),
        "balanced_accuracy": skm.balanced_accuracy_score(y, predicted),
        "f1": skm.f1_score(y, predicted),
    }


def regression(predicted, truth):
    p = np.asarray(predicted, dtype=float)
    t = np.asarray(truth, dtype=float)
    return {"mae": float(np.mean(np.abs(p - t))), "pearson_r": float(stats.pearsonr(p, t)[0])}


def score(request_path, response_path):
    with open(request_path) as f:
        request = json.load(f)
    out = {"segmentation": [], "multiclass": [], "classification": [], "regression": []}
    for c in request.get("segmentation", []):
        shape = tuple(c["shape"])
        out["segmentation"].append(segmentation(load(c["pred"], shape), load(c["ref"], shape),
                                                c["spacing"], c["tolerance"]))
    for c in request.get("multiclass", []):
        shape = tuple(c["shape"])
        labels = [np.fromfile(c[f], dtype=np.uint8).reshape(shape, order="F") for f in ("pred", "ref")]
        out["multiclass"].append(multiclass(labels[0], labels[1], c["classes"], c["spacing"], c["tolerance"]))
    for c in request.get("classification", []):
        out["classification"].append(classification(c["scores"], c["labels"]))
    for c in request.get("regression", []):
        out["regression"].append(regression(c["predicted"], c["truth"]))
    with open(response_path, "w") as f:
        json.dump(out, f)


def bench(pred, ref, nx, ny, nz, sx, sy, sz, tolerance, repeats):
    shape = (int(nx), int(ny), int(nz))
    p = load(pred, shape)
    r = load(ref, shape)
    spacing = [float(sx), float(sy), float(sz)]
    times = []
    for _ in range(int(repeats)):
        start = time.perf_counter()
        result = segmentation(p, r, spacing, float(tolerance))
        times.append(time.perf_counter() - start)
    print(json.dumps({"seconds": sorted(times)[len(times) // 2], "all": times, "result": result}))


if __name__ == "__main__":
    if sys.argv[1] == "score":
        score(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "bench":
        bench(*sys.argv[2:])
    else:
        sys.exit("usage: reference.py score REQUEST RESPONSE | bench PRED REF NX NY NZ SX SY SZ TOL REPEATS")
