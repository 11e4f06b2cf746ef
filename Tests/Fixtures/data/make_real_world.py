"""Small dataset files written the way other programs write them, for Phasor's acceptance tests.

Run from this folder:  python3 make_real_world.py   (pandas 3.1.1, numpy 2.4.6 when these were made)

Each file is read by Phasor's CSV/TSV/.ts readers (Tests/PhasorDataTests/RealWorldFileTests.swift and the CLI
acceptance table in Tests/PhasorCLITests/BadInputTableTests.swift). `expected.json` holds, per file, what a correct
reader must find — computed here with numpy/pandas, independently of Phasor:
  samples, classes (in Phasor's documented order), lengths (after trailing missing values are dropped), filled (missing
  values inside a sequence), trailing (missing values after a case's last present value), header_skipped,
  and every case's values after filling (time-major; last value carried forward, a leading gap takes the first).
"""
import csv
import json

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261206)
expected = {}


def fill(row, length=None):
    """Phasor's documented rule, written independently: drop trailing NaNs (or keep `length` steps: a case's length
    is set by its longest channel); each NaN takes the nearest present value before it, or after it if there is none
    before."""
    row = np.asarray(row, dtype=float)
    present = np.flatnonzero(~np.isnan(row))
    length = present[-1] + 1 if length is None else length
    out = []
    for t in range(length):
        if not np.isnan(row[t]):
            out.append(row[t])
            continue
        before = present[present < t]
        out.append(row[before[-1]] if len(before) else row[present[present > t][0]])
    return out, length


def univariate_summary(rows, labels, classes, header):
    lengths, filled, trailing, values = [], 0, 0, []
    for row in rows:
        filled_row, length = fill(row)
        lengths.append(int(length))
        filled += int(np.isnan(np.asarray(row[:length], dtype=float)).sum())
        trailing += int(len(row) - length)
        values.append([float(v) for v in filled_row])
    return {"samples": len(rows), "classes": classes, "class_counts": [int(sum(1 for l in labels if l == c)) for c in classes],
            "lengths": lengths, "filled": filled, "trailing": trailing, "header_skipped": header, "values": values}


# 1. pandas, a named label column: header 0,1,…,7,label (the "label" class of issue 14).
X = np.round(rng.normal(size=(10, 8)), 4)
y = np.array(["cat", "dog"] * 5)
df = pd.DataFrame(X)
df["label"] = y
df.to_csv("pandas_named_label.csv", index=False)
expected["pandas_named_label.csv"] = univariate_summary(X.tolist(), y.tolist(), ["cat", "dog"], True)

# 2. pandas, an unnamed frame: np.column_stack([X, y]) — header 0,1,…,8, labels written as 0.0 / 1.0.
y2 = np.array([0, 1] * 5, dtype=float)
pd.DataFrame(np.column_stack([X, y2])).to_csv("pandas_unnamed.csv", index=False)
expected["pandas_unnamed.csv"] = univariate_summary(X.tolist(), ["0.0", "1.0"] * 5, ["0.0", "1.0"], True)

# 3. pandas, variable length padded with NaN (written as empty cells), one inner gap and one leading gap.
V = np.round(rng.normal(size=(8, 6)), 3)
V[1, 4:] = np.nan      # length 4
V[2, 3:] = np.nan      # length 3
V[3, 2] = np.nan       # inner gap
V[4, 0] = np.nan       # leading gap
V[5, 5:] = np.nan      # length 5
yv = np.array(["a", "b", "c", "a", "b", "c", "a", "b"])
dv = pd.DataFrame(V)
dv["label"] = yv
dv.to_csv("pandas_nan_padded.csv", index=False)
expected["pandas_nan_padded.csv"] = univariate_summary(V.tolist(), yv.tolist(), ["a", "b", "c"], True)

# 4. Excel "CSV UTF-8": byte-order mark, CR LF line ends, every field quoted, a text header row.
E = np.round(rng.normal(size=(6, 5)), 3)
ye = ["up", "down", "up", "down", "up", "down"]
with open("excel_utf8.csv", "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(["t1", "t2", "t3", "t4", "t5", "class"])
    for row, label in zip(E, ye):
        w.writerow([f"{v}" for v in row] + [label])
expected["excel_utf8.csv"] = univariate_summary(E.tolist(), ye, ["down", "up"], True)

# 5. Classic Mac OS line ends (a lone CR), no header.
with open("lone_cr.csv", "w", newline="") as f:
    for row, label in zip(E, ye):
        f.write(",".join(f"{v}" for v in row) + f",{label}\r")
expected["lone_cr.csv"] = univariate_summary(E.tolist(), ye, ["down", "up"], False)

# 6. UCR 2018 archive layout: NAME_TRAIN.tsv / NAME_TEST.tsv, label FIRST, tab-separated, NaN-padded.
U = np.round(rng.normal(size=(9, 7)), 4)
U[0, 5:] = np.nan
U[3, 4:] = np.nan
U[6, 6:] = np.nan
yu = np.array([1, 2, 3] * 3)
for part, rows in (("TRAIN", slice(0, 6)), ("TEST", slice(6, 9))):
    with open(f"UcrToy_{part}.tsv", "w", newline="") as f:
        for row, label in zip(U[rows], yu[rows]):
            f.write("\t".join([str(label)] + ["NaN" if np.isnan(v) else f"{v}" for v in row]) + "\n")
expected["UcrToy_TRAIN.tsv"] = univariate_summary(U[0:6].tolist(), [str(l) for l in yu[0:6]], ["1", "2", "3"], False)
expected["UcrToy_TEST.tsv"] = univariate_summary(U[6:9].tolist(), [str(l) for l in yu[6:9]], ["1", "2", "3"], False)

# 7. UEA .ts, multivariate, @missing true: '?' inside, NaN padding with a different trailing length per channel.
#    Length of a case = the longest valid prefix over its channels; a shorter channel holds its last value.
C = 2
cases = []
for i in range(6):
    length = 6 - (i % 3)                      # 6, 5, 4, …
    case = np.round(rng.normal(size=(C, 6)), 3)
    case[:, length:] = np.nan
    if i == 1:
        case[1, length - 2:] = np.nan         # channel 2 ends two steps before channel 1
    if i == 2:
        case[0, 1] = np.nan                   # an inner gap, written '?'
    cases.append(case)
yt = ["walk", "run", "walk", "run", "walk", "run"]


def ts_value(v, inner):
    return ("?" if inner else "NaN") if np.isnan(v) else f"{v}"


header = ("#Toy UEA-style file with missing values\n@problemName UeaToy\n@timeStamps false\n@missing true\n"
          "@univariate false\n@dimensions 2\n@equalLength false\n@classLabel true walk run\n@data\n")
for part, idx in (("TRAIN", range(0, 4)), ("TEST", range(4, 6))):
    with open(f"UeaToy_{part}.ts", "w", newline="") as f:
        f.write(header)
        for i in idx:
            case = cases[i]
            last = max(int(np.flatnonzero(~np.isnan(ch))[-1]) for ch in case)
            f.write(":".join(",".join(ts_value(v, t <= last) for t, v in enumerate(ch)) for ch in case) + f":{yt[i]}\n")
    lengths, filled, trailing, values = [], 0, 0, []
    for i in idx:
        case = cases[i]
        length = max(int(np.flatnonzero(~np.isnan(ch))[-1]) + 1 for ch in case)
        lengths.append(length)
        filled += int(np.isnan(case[:, :length]).sum())
        trailing += int(case.shape[1] - length) * C
        channels = [fill(case[c], length)[0] for c in range(C)]
        values.append([float(channels[c][t]) for t in range(length) for c in range(C)])   # time-major
    expected[f"UeaToy_{part}.ts"] = {
        "samples": len(idx), "classes": ["walk", "run"],
        "class_counts": [sum(1 for i in idx if yt[i] == c) for c in ["walk", "run"]],
        "lengths": lengths, "filled": filled, "trailing": trailing, "header_skipped": False, "values": values,
    }

with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
