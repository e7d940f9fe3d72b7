#!/usr/bin/python3
"""Writes a small hand-weighted ONNX model for a brainfm entry, built with onnx.helper only.

It proves that brainfm accepts models it did not make (harness/src/test/.../EntryCorpus.java
runs it), and its variants are the broken models the entry corpus needs (submissions/corpus.md).

usage: make-onnx-entry.py TYPE OUT.onnx [--channels C] [--patch X Y Z] [--variant VARIANT]

  TYPE     segmentation: logits (N, 2, z, y, x) of a 1^3 Conv; lesion = 4 * (channel 0 - 3), background 0
           classification: logits (N, 2) of a linear layer on the channels' means
  --channels  input channels C (default 1); the input is `input` (N, C, z, y, x) float32, N symbolic
  --patch     the patch X Y Z in voxels (default 16 16 16)
  --variant   plain (default), or a broken model:
                wrong-channels  three output channels (segmentation) or three logits (classification)
                custom-op       one node in the custom domain com.example
                external-data   a weight whose data lies in ../secret.bin, outside the entry
                opset9          opset 9, older than brainfm accepts (13 to 21)
                slow            a Loop of 10^15 steps before the output: it never ends
                crash           passes every check but fails when run (a Reshape to 7 values)

Needs Debian's python3-onnx (1.12) and nothing else: no torch, no onnxruntime. Opset 17, IR 8.
"""
import argparse

import onnx
from onnx import TensorProto, helper

OPSET = 17
IR_VERSION = 8
FLOAT = TensorProto.FLOAT


def const(name, values, dims):
    return helper.make_tensor(name, FLOAT, dims, values)


def model(kind, channels, patch, variant):
    x, y, z = patch
    classes = 3 if variant == "wrong-channels" else 2
    nodes, inits = [], []
    if kind == "segmentation":
        # A 1^3 convolution: lesion where channel 0 (flair, z-scored) is over 3 standard deviations.
        gain, threshold = 4.0, 3.0
        weight = [0.0] * (classes * channels)
        weight[1 * channels + 0] = gain
        bias = [0.0, -gain * threshold] + [0.0] * (classes - 2)
        inits += [const("w", weight, [classes, channels, 1, 1, 1]), const("b", bias, [classes])]
        nodes.append(helper.make_node("Conv", ["input", "w", "b"], ["logits"], name="lesion_conv"))
        out_shape = ["N", classes, z, y, x]
    else:
        # The channels' means, then one linear layer: a fixed, plausible answer for every case.
        nodes.append(helper.make_node("GlobalAveragePool", ["input"], ["pooled"], name="pool"))
        nodes.append(helper.make_node("Flatten", ["pooled"], ["flat"], axis=1, name="flatten"))
        weight = [0.5] * (channels * classes)
        bias = [0.0, 0.2] + [0.0] * (classes - 2)
        inits += [const("w", weight, [channels, classes]), const("b", bias, [classes])]
        nodes.append(helper.make_node("Gemm", ["flat", "w", "b"], ["logits"], name="head"))
        out_shape = ["N", classes]

    domains = [helper.make_opsetid("", 9 if variant == "opset9" else OPSET)]
    result = "logits"
    if variant == "custom-op":
        domains.append(helper.make_opsetid("com.example", 1))
        nodes.append(helper.make_node("Sharpen", [result], ["sharpened"], domain="com.example", name="sharpen"))
        result = "sharpened"
    elif variant == "external-data":
        w = inits[0]
        w.ClearField("float_data")
        w.data_location = TensorProto.EXTERNAL
        for key, value in (("location", "../secret.bin"), ("offset", "0"), ("length", str(4 * len(weight)))):
            w.external_data.add(key=key, value=value)
    elif variant == "slow":
        # A scalar counted up 10^15 times from a value of the input (nothing to fold away), added as 0.
        nodes.append(helper.make_node("ReduceMean", ["input"], ["start"], keepdims=0, name="start"))
        body = helper.make_graph(
            [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
             helper.make_node("Add", ["count_in", "one"], ["count_out"])],
            "count",
            [helper.make_tensor_value_info("i", TensorProto.INT64, []),
             helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
             helper.make_tensor_value_info("count_in", FLOAT, [])],
            [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
             helper.make_tensor_value_info("count_out", FLOAT, [])],
            [const("one", [1.0], [])])
        inits += [helper.make_tensor("trips", TensorProto.INT64, [], [10 ** 15]),
                  helper.make_tensor("go", TensorProto.BOOL, [], [True]), const("zero", [0.0], [])]
        nodes.append(helper.make_node("Loop", ["trips", "go", "start"], ["counted"], body=body, name="count"))
        nodes.append(helper.make_node("Mul", ["counted", "zero"], ["nothing"], name="times_zero"))
        nodes.append(helper.make_node("Add", [result, "nothing"], ["slow"], name="add_nothing"))
        result = "slow"
    elif variant == "crash":
        inits.append(helper.make_tensor("seven", TensorProto.INT64, [1], [7]))
        nodes.append(helper.make_node("Reshape", [result, "seven"], ["crashed"], name="reshape_to_seven"))
        result = "crashed"
    nodes.append(helper.make_node("Identity", [result], ["output"], name="output"))

    graph = helper.make_graph(nodes, f"hand-weighted-{kind}",
                              [helper.make_tensor_value_info("input", FLOAT, ["N", channels, z, y, x])],
                              [helper.make_tensor_value_info("output", FLOAT, out_shape)], inits)
    m = helper.make_model(graph, opset_imports=domains, producer_name="make-onnx-entry.py")
    m.ir_version = IR_VERSION
    return m


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["segmentation", "classification"])
    p.add_argument("out")
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--patch", type=int, nargs=3, default=[16, 16, 16], metavar=("X", "Y", "Z"))
    p.add_argument("--variant", default="plain",
                   choices=["plain", "wrong-channels", "custom-op", "external-data", "opset9", "slow", "crash"])
    a = p.parse_args()
    m = model(a.kind, a.channels, a.patch, a.variant)
    if a.variant not in ("custom-op", "external-data", "crash"):
        onnx.checker.check_model(m, full_check=True)   # what we did not break on purpose is a valid model
    onnx.save(m, a.out)
    print(a.out)


if __name__ == "__main__":
    main()
