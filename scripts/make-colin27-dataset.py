#!/usr/bin/python3
"""Makes a small nnU-Net raw dataset of real anatomy from Debian's mricron-data.

  scripts/make-colin27-dataset.py OUT [--templates /usr/share/mricron/templates]

The Colin27 T1 at 1 mm (ch2, with scalp; ch2bet, skull-stripped) and at 0.5 mm (ch2better),
stored on four different grids, each with atlas labels resampled (nearest neighbour, through
world coordinates) onto its grid:

  colin_1  ch2 as shipped: 181 x 217 x 181 voxels of 1 mm, RAS
  colin_2  ch2bet cropped to the head and stored left-to-right (x flipped: LAS)
  colin_3  ch2 cropped and stored with permuted axes (voxel axes A, S, R: a sagittal-first order)
  colin_4  ch2better, 0.5 mm, cropped to a central block (it is 301 x 370 x 316 whole)

Labels (uint8): 1 cerebrum (AAL regions 1-90: cortex and deep grey matter), 2 cerebellum (AAL
91-116, vermis included), 3 white matter (JHU white-matter atlas, where AAL has no region);
0 elsewhere. The AAL atlas shares ch2's grid; the JHU atlas is on another (182 x 218 x 182, its
own origin), so every case's labels go through the resampling.

Writes OUT/imagesTr/<case>_0000.nii.gz, OUT/labelsTr/<case>.nii.gz and OUT/dataset.json
(nnU-Net v2), and prints one line per case: name, shape, voxel size, orientation, label counts.
Needs Debian's python3-nibabel and python3-numpy (/usr/bin/python3) and mricron-data.
"""
import argparse
import json
import os
import sys

import nibabel as nib
import numpy as np

CLASSES = ["cerebrum", "cerebellum", "white-matter"]


def load(templates, name):
    path = os.path.join(templates, name)
    if not os.path.isfile(path):
        sys.exit(f"make-colin27-dataset: {path} does not exist; install Debian's mricron-data "
                 "(apt-get install mricron-data) or pass --templates")
    img = nib.load(path)
    return np.asarray(img.dataobj), img.affine


def atlas_labels(templates):
    """The three classes as (labels, affine) pairs to be resampled: AAL's two and JHU's one."""
    aal, aal_affine = load(templates, "aal.nii.gz")
    jhu, jhu_affine = load(templates, "JHU-WhiteMatter-labels-1mm.nii.gz")
    grouped = np.zeros(aal.shape, np.uint8)
    grouped[(aal >= 1) & (aal <= 90)] = 1
    grouped[(aal >= 91) & (aal <= 116)] = 2
    return (grouped, aal_affine), ((jhu > 0).astype(np.uint8) * 3, jhu_affine)


def resample_nearest(labels, labels_affine, shape, affine):
    """labels (on labels_affine's grid) at the centres of the voxels of (shape, affine); 0 outside."""
    to_atlas = np.linalg.inv(labels_affine) @ affine
    out = np.zeros(shape, np.uint8)
    ijk = np.indices(shape[1:]).reshape(2, -1)
    for i in range(shape[0]):
        # one slab at a time keeps memory at a few arrays of one slab
        voxels = np.vstack([np.full(ijk.shape[1], i), ijk, np.ones(ijk.shape[1])])
        at = np.rint(to_atlas @ voxels)[:3].astype(np.int64)
        inside = np.all((at >= 0) & (at < np.array(labels.shape)[:, None]), axis=0)
        slab = np.zeros(ijk.shape[1], np.uint8)
        slab[inside] = labels[at[0, inside], at[1, inside], at[2, inside]]
        out[i] = slab.reshape(shape[1:])
    return out


def case_labels(atlases, shape, affine):
    """AAL's classes, then JHU's white matter where AAL has none."""
    (grouped, grouped_affine), (wm, wm_affine) = atlases
    labels = resample_nearest(grouped, grouped_affine, shape, affine)
    white = resample_nearest(wm, wm_affine, shape, affine)
    labels[(labels == 0) & (white > 0)] = 3
    return labels


def crop(data, affine, lo, hi):
    """data[lo:hi] with the affine of its first voxel."""
    shift = np.eye(4)
    shift[:3, 3] = lo
    return data[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]], affine @ shift


def head_box(data, margin):
    nz = np.argwhere(data > 0)
    return np.maximum(nz.min(0) - margin, 0), np.minimum(nz.max(0) + 1 + margin, data.shape)


def flip(data, affine, axis):
    """The same image stored with voxel axis {axis} reversed: the world stays where it was."""
    f = np.eye(4)
    f[axis, axis] = -1
    f[axis, 3] = data.shape[axis] - 1
    return np.flip(data, axis), affine @ f


def permute(data, affine, order):
    """The same image stored with voxel axis a holding the old axis order[a]."""
    p = np.zeros((4, 4))
    p[3, 3] = 1
    for a, old in enumerate(order):
        p[old, a] = 1
    return np.transpose(data, order), affine @ p


def save(data, affine, path):
    img = nib.Nifti1Image(np.ascontiguousarray(data), affine)
    img.set_qform(affine, code=1)
    img.set_sform(affine, code=1)
    nib.save(img, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the dataset folder to write (made if absent)")
    parser.add_argument("--templates", default="/usr/share/mricron/templates", help="mricron-data's templates folder")
    args = parser.parse_args()
    atlases = atlas_labels(args.templates)

    ch2, ch2_affine = load(args.templates, "ch2.nii.gz")
    bet, bet_affine = load(args.templates, "ch2bet.nii.gz")
    better, better_affine = load(args.templates, "ch2better.nii.gz")
    cases = {"colin_1": (ch2, ch2_affine)}
    lo, hi = head_box(bet, 4)
    cases["colin_2"] = flip(*crop(bet, bet_affine, lo, hi), 0)
    cases["colin_3"] = permute(*crop(ch2, ch2_affine, (10, 12, 8), (171, 205, 178)), (1, 2, 0))
    # 0.5 mm: a 100 x 110 x 95 mm block through the middle of the brain (cerebellum included)
    cases["colin_4"] = crop(better, better_affine, (50, 70, 40), (250, 290, 230))

    for folder in ("imagesTr", "labelsTr"):
        os.makedirs(os.path.join(args.out, folder), exist_ok=True)
    for name, (data, affine) in cases.items():
        labels = case_labels(atlases, data.shape, affine)
        save(data, affine, os.path.join(args.out, "imagesTr", name + "_0000.nii.gz"))
        save(labels, affine, os.path.join(args.out, "labelsTr", name + ".nii.gz"))
        counts = np.bincount(labels.ravel(), minlength=len(CLASSES) + 1)
        print(f"{name}: {'x'.join(map(str, data.shape))} voxels of "
              f"{'x'.join(f'{z:g}' for z in nib.affines.voxel_sizes(affine))} mm, "
              f"{''.join(nib.aff2axcodes(affine))}, labels "
              + ", ".join(f"{c} {n}" for c, n in zip(CLASSES, counts[1:])))
    with open(os.path.join(args.out, "dataset.json"), "w") as f:
        json.dump({
            "name": "Colin27",
            "description": "Colin27 T1 (1 mm and 0.5 mm) from Debian's mricron-data on four grids, "
                           "AAL and JHU atlas labels resampled onto each (scripts/make-colin27-dataset.py)",
            "channel_names": {"0": "T1"},
            "labels": {"background": 0, **{c: i + 1 for i, c in enumerate(CLASSES)}},
            "numTraining": len(cases),
            "file_ending": ".nii.gz",
        }, f, indent=2)


if __name__ == "__main__":
    main()
