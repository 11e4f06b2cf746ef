#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into Fuzz/Corpus/<target>/ (small valid files only).

.ts and CSV seeds are cut from the bundled Data/ files (header + first samples); safetensors, .npy and checkpoint seeds
are small tensors written with NumPy and the safetensors byte layout (8-byte little-endian header length, JSON header,
raw little-endian data), independently of Phasor's own writers.
"""
import io, json, os, struct, sys
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fuzz", "Corpus")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def safetensors(tensors, metadata=None):
    header, blob = {}, b""
    for name, (dtype, arr) in tensors.items():
        raw = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [len(blob), len(blob) + len(raw)]}
        blob += raw
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + blob


def npy(arr, version=None):
    buf = io.BytesIO()
    if version is None:
        np.save(buf, arr)
    else:
        np.lib.format.write_array(buf, arr, version=version)
    return buf.getvalue()


def cut_ts(path, samples):
    lines = open(path, "rb").read().split(b"\n")
    head = [l for l in lines if l.startswith(b"#") is False and (l.startswith(b"@") or l.strip() == b"")]
    at = next(i for i, l in enumerate(lines) if l.lower().startswith(b"@data"))
    header = [l for l in lines[: at + 1] if not l.startswith(b"#")]
    body = [l for l in lines[at + 1 :] if l.strip()][:samples]
    return b"\n".join(header + body) + b"\n"


def main():
    rng = np.random.default_rng(0)
    # safetensors
    put("safetensors", "f32_f64_i64", safetensors({
        "a": ("F32", rng.standard_normal((2, 3)).astype(np.float32)),
        "b": ("F64", rng.standard_normal(4)),
        "c": ("I64", np.arange(3, dtype=np.int64))}, {"prenorm": "false", "input_mean": "[0.5, -1.0]"}))
    put("safetensors", "f16_bf16_i32", safetensors({
        "h": ("F16", np.array([1, -2.5, 65504], dtype=np.float16)),
        "i": ("I32", np.array([[1, 2], [3, 4]], dtype=np.int32)),
        "s": ("F64", np.array(3.0))}))
    bf = np.array([1.0, -0.5], dtype=np.float32).view(np.uint32) >> 16
    put("safetensors", "bf16", safetensors({"b": ("BF16", bf.astype(np.uint16))}))
    put("safetensors", "empty", safetensors({}))
    put("safetensors", "zero_size", safetensors({"z": ("F32", np.zeros((0, 3), dtype=np.float32))}))
    # .npy
    put("npy", "f8_2d", npy(rng.standard_normal((3, 4))))
    put("npy", "f4_3d", npy(rng.standard_normal((2, 3, 2)).astype(np.float32)))
    put("npy", "i8_1d", npy(np.arange(5, dtype=np.int64)))
    put("npy", "c16", npy(np.array([1 + 2j, -3j])))
    put("npy", "scalar", npy(np.array(2.5)))
    put("npy", "fortran", npy(np.asfortranarray(rng.standard_normal((2, 3)))))
    put("npy", "v2", npy(rng.standard_normal(3), version=(2, 0)))
    put("npy", "big_endian", npy(np.arange(3, dtype=">f8")))
    # .ts (from the bundled UCR/UEA files)
    for name, samples in [("GunPoint", 3), ("ItalyPowerDemand", 6), ("BasicMotions", 2), ("JapaneseVowels", 3)]:
        put("ts", name, cut_ts(os.path.join(ROOT, "Data", "ucr", name, f"{name}_TRAIN.ts"), samples))
    put("ts", "missing_values", b"@problemName t\n@timeStamps false\n@missing true\n@univariate true\n"
        b"@equalLength false\n@classLabel true a b\n@data\n1,?,3:a\n4,5:b\n-1e3,2.5e-2,NaN:a\n")
    # CSV (from the bundled digits)
    rows = open(os.path.join(ROOT, "Data", "digits", "digits.csv"), "rb").read().split(b"\n")
    put("csv", "digits", b"\n".join(rows[:6]) + b"\n")
    put("csv", "header_crlf", b"t0,t1,t2,label\r\n0.5,-1,2e3,cat\r\n1,2,3,dog\r\n")
    # checkpoints: tiny S4Models in the example.py key layout
    for tag, dt, np_t, meta in [("f32_post", "F32", np.float32, {"prenorm": "false"}),
                                 ("f64_pre", "F64", np.float64, {"prenorm": "true", "input_mean": "[0.1]", "input_std": "[2.0]", "discretization": "bilinear", "class_names": "[\"a\", \"b\", \"c\"]"})]:
        h, n2, din, classes, layers = 2, 2, 1, 3, 1 if tag.startswith("f32") else 2
        t = {"encoder.weight": rng.standard_normal((h, din)), "encoder.bias": rng.standard_normal(h)}
        for i in range(layers):
            p = f"s4_layers.{i}."
            t[p + "D"] = rng.standard_normal(h)
            t[p + "kernel.C"] = rng.standard_normal((h, n2, 2))
            t[p + "kernel.log_dt"] = np.log(np.full(h, 0.01))
            t[p + "kernel.log_A_real"] = np.log(np.full((h, n2), 0.5))
            t[p + "kernel.A_imag"] = np.pi * np.tile(np.arange(n2), (h, 1)).astype(float)
            t[p + "output_linear.0.weight"] = rng.standard_normal((2 * h, h, 1))
            t[p + "output_linear.0.bias"] = rng.standard_normal(2 * h)
        for i in range(layers):
            t[f"norms.{i}.weight"] = np.ones(h)
            t[f"norms.{i}.bias"] = np.zeros(h)
        t["decoder.weight"] = rng.standard_normal((classes, h))
        t["decoder.bias"] = rng.standard_normal(classes)
        put("checkpoint", tag, safetensors({k: (dt, v.astype(np_t)) for k, v in t.items()}, meta))


if __name__ == "__main__":
    sys.exit(main())
