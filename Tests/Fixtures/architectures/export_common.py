"""Shared helpers of the export recipes in this folder (export_s5.py, export_linoss.py, export_lru.py, export_s6.py).

Nothing here is reference-model code: these functions only name, write, read and compare tensors.

Key-name rules (docs/architectures-reference.md, "Key names"):
- Flax (lindermanlab/S5, NicolasZucchet/minimal-LRU): the whole variables dict {"params": …, "batch_stats": …}
  flattened with "." — exactly `flax.traverse_util.flatten_dict(variables, sep=".")`, e.g.
  `params.encoder.encoder.kernel`, `batch_stats.encoder.layers_0.norm.mean`.
- Equinox (tk-rusch/linoss, Benjamin-Walker/log-neural-cdes): the module's attribute path, "." between attribute
  names and list indices, over the floating-point array leaves (`eqx.filter(model, eqx.is_inexact_array)`), e.g.
  `blocks.0.ssm.A_diag`, `linear_encoder.weight`. Running statistics of every `eqx.nn.BatchNorm` at path p (kept in
  an `eqx.nn.State`, not in the module) are written as `state.p.mean` and `state.p.var`: the values inference uses.
- PyTorch (log-neural-cdes torch_experiments): `model.state_dict()` names unchanged.
All tensors are written as float64 (F64), C order; metadata values are strings.
"""

import json
import os
import struct
import sys

import numpy as np
from safetensors import safe_open

PERTURBATION = 0.1


def as_f64(tree):
    """Every array in a flat dict as a C-contiguous float64 NumPy array."""
    return {k: np.ascontiguousarray(np.asarray(v, dtype=np.float64)) for k, v in tree.items()}


def write_safetensors(path, tensors, metadata):
    """safetensors with tensors in sorted name order and a sorted JSON header, so that a re-run writes the same
    bytes (the `safetensors` package orders the metadata by a hash map). Read back with `safetensors.safe_open`."""
    tensors = as_f64(tensors)
    header, offset = {}, 0
    for name in sorted(tensors):
        size = tensors[name].nbytes
        header[name] = {"dtype": "F64", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + size]}
        offset += size
    header["__metadata__"] = {k: str(v) for k, v in sorted(metadata.items())}
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for name in sorted(tensors):
            f.write(tensors[name].astype("<f8").tobytes())
    os.replace(tmp, path)


def read_safetensors(path):
    with safe_open(path, framework="numpy") as f:
        return {k: f.get_tensor(k) for k in f.keys()}, dict(f.metadata() or {})


def write_npy(path, array):
    np.save(path, np.ascontiguousarray(np.asarray(array, dtype=np.float64)))


def perturb(flat, seed, scale=PERTURBATION):
    """p ← p + scale·N(0, 1), key by key in sorted order, so that no bias is zero, no scale is one and no two S5
    modes share Lambda_re: a fixture that only holds initial values cannot tell a missing bias from a present one."""
    rng = np.random.default_rng(seed)
    return {k: np.asarray(flat[k], dtype=np.float64) + scale * rng.standard_normal(np.shape(flat[k]))
            for k in sorted(flat)}


def max_abs(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def check_close(name, a, b, tol=1e-12):
    d = max_abs(a, b)
    if not d <= tol:
        raise SystemExit(f"{name}: max |Δ| = {d:.3e} > {tol:g}")
    return d


def log_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


# ----------------------------------------------------------------------------------------------------------- Flax

def flatten_flax(variables):
    from flax.traverse_util import flatten_dict
    try:
        from flax.core import unfreeze
        variables = unfreeze(variables)
    except ImportError:
        pass
    return {k: np.asarray(v) for k, v in flatten_dict(dict(variables), sep=".").items()}


def unflatten_flax(flat):
    import jax.numpy as jnp
    from flax.traverse_util import unflatten_dict
    return unflatten_dict({k: jnp.asarray(v) for k, v in flat.items()}, sep=".")


def flax_intermediates(intermediates):
    """`capture_intermediates=True` output → {"<module path>": array} (the path without "__call__"; the top-level
    module's own output is "model"). Flax keeps each call's output in a tuple; a module called n > 1 times (S5's
    dropout) gives "<path>[0]", …, "<path>[n−1]"."""
    from flax.traverse_util import flatten_dict
    try:
        from flax.core import unfreeze
        intermediates = unfreeze(intermediates)
    except ImportError:
        pass
    out = {}
    for path, v in flatten_dict(dict(intermediates)).items():
        path = [p for p in path if p != "intermediates"]
        if not path or path[-1] != "__call__":
            continue
        name = ".".join(path[:-1]) or "model"
        calls = list(v) if isinstance(v, (tuple, list)) else [v]
        for i, c in enumerate(calls):
            out[name if len(calls) == 1 else f"{name}[{i}]"] = np.asarray(c)
    return out


# -------------------------------------------------------------------------------------------------------- Equinox

def _key_name(k):
    for attr in ("name", "idx", "key"):
        if hasattr(k, attr):
            return str(getattr(k, attr))
    raise ValueError(f"unexpected pytree key {k!r}")


def _path_name(path):
    return ".".join(_key_name(k) for k in path)


def _is_state_index(x):
    import equinox as eqx
    return isinstance(x, eqx.nn.StateIndex)


def _batch_norms(model):
    """(path, module) for every eqx.nn.BatchNorm in the model."""
    import equinox as eqx
    import jax
    nodes = jax.tree_util.tree_flatten_with_path(model, is_leaf=lambda x: isinstance(x, eqx.nn.BatchNorm))[0]
    return [(_path_name(p), m) for p, m in nodes if isinstance(m, eqx.nn.BatchNorm)]


def _bn_stats(bn, state):
    """The (mean, var) that BatchNorm inference normalises with, for every Equinox version: legacy/"ema" mode keeps
    them directly (`state_index` before 0.12, `ema_state_index` after); "batch" mode keeps zero-debiased sums."""
    if getattr(bn, "ema_state_index", None) is not None:
        return state.get(bn.ema_state_index)
    if getattr(bn, "batch_state_index", None) is not None:
        counter = int(state.get(bn.batch_counter))
        mean, var = state.get(bn.batch_state_index)
        scale = 1.0 if counter == 0 else 1.0 - bn.momentum ** counter
        return mean / scale, var / scale
    return state.get(bn.state_index)


def _bn_set(bn, state, mean, var):
    import jax.numpy as jnp
    mean, var = jnp.asarray(mean), jnp.asarray(var)
    if getattr(bn, "ema_state_index", None) is not None:
        return state.set(bn.ema_state_index, (mean, var))
    if getattr(bn, "batch_state_index", None) is not None:
        state = state.set(bn.batch_counter, jnp.array(0))
        return state.set(bn.batch_state_index, (mean, var))
    return state.set(bn.state_index, (mean, var))


def flatten_equinox(model, state=None):
    import equinox as eqx
    import jax
    params = eqx.filter(model, eqx.is_inexact_array)
    leaves = jax.tree_util.tree_flatten_with_path(params, is_leaf=_is_state_index)[0]
    flat = {_path_name(p): np.asarray(v) for p, v in leaves if not _is_state_index(v)}
    if state is not None:
        for path, bn in _batch_norms(model):
            mean, var = _bn_stats(bn, state)
            flat[f"state.{path}.mean"] = np.asarray(mean)
            flat[f"state.{path}.var"] = np.asarray(var)
    return flat


def load_equinox(model, state, flat, with_state=True):
    """A copy of (model, state) whose parameters (and, with_state, BatchNorm statistics) are taken from `flat` by
    name; every name must be used exactly once."""
    import equinox as eqx
    import jax
    import jax.numpy as jnp
    used = set()
    params, static = eqx.partition(model, eqx.is_inexact_array)

    def take(path, leaf):
        if _is_state_index(leaf) or leaf is None:
            return leaf
        name = _path_name(path)
        if name not in flat:
            raise KeyError(f"missing tensor {name}")
        if tuple(np.shape(flat[name])) != tuple(np.shape(leaf)):
            raise ValueError(f"{name}: shape {np.shape(flat[name])}, expected {np.shape(leaf)}")
        used.add(name)
        return jnp.asarray(flat[name], dtype=leaf.dtype)

    params = jax.tree_util.tree_map_with_path(take, params, is_leaf=_is_state_index)
    model = eqx.combine(params, static)
    for path, bn in _batch_norms(model) if with_state else []:
        state = _bn_set(bn, state, flat[f"state.{path}.mean"], flat[f"state.{path}.var"])
        used |= {f"state.{path}.mean", f"state.{path}.var"}
    unused = set(flat) - used
    if unused:
        raise KeyError(f"tensors not used by the model: {sorted(unused)}")
    return model, state


def inference(model):
    import equinox as eqx
    return eqx.nn.inference_mode(model) if hasattr(eqx.nn, "inference_mode") else eqx.tree_inference(model, True)


def equinox_batch_call(model, x, state, key):
    """The reference training script's batched call (train.py `calc_output`): vmap over the batch with
    axis_name="batch" (BatchNorm's axis), state and key shared."""
    import jax
    return jax.vmap(model, axis_name="batch", in_axes=(0, None, None), out_axes=(0, None))(x, state, key)


def equinox_trace(model, x, state, key):
    """Logits and per-block outputs of the LinOSS-repo classifiers (LinOSS, S5, LRU share `__call__`): the model's
    own submodules called in its own order — linear_encoder, blocks, mean over time, linear_layer. The caller checks
    that softmax of these logits equals the model's own output, so this tracing cannot drift from the reference."""
    import jax
    import jax.numpy as jnp

    def one(xs, st, k):
        trace = {}
        h = jax.vmap(model.linear_encoder)(xs)
        trace["encoder.output"] = h
        for i, (block, bk) in enumerate(zip(model.blocks, jax.random.split(k, len(model.blocks)))):
            h, st = block(h, st, key=bk)
            trace[f"blocks.{i}.output"] = h
        pooled = jnp.mean(h, axis=0)
        trace["pooled"] = pooled
        trace["logits"] = model.linear_layer(pooled)
        return trace

    return jax.vmap(one, axis_name="batch", in_axes=(0, None, None))(x, state, key)


def linoss_repo_metadata(model, family, state_size, codebase):
    """Metadata of a classifier in the `linoss-repo` skeleton (LinOSS, S5, LRU of tk-rusch/linoss = log-neural-cdes):
    everything but the core's own flags, which the family adds."""
    norm = model.blocks[0].norm
    return {
        "family": family,
        "codebase": codebase,
        "framework": "equinox",
        "key_rule": "equinox-path",
        "block": "linoss-repo",
        "activation": "full_glu",
        "gelu": "tanh",
        "prenorm": "true",
        "norm": "batch",
        "norm_affine": str(bool(norm.channelwise_affine)).lower(),
        "norm_eps": repr(float(norm.eps)),
        "pooling": "mean",
        "output": "softmax",
        "d_input": str(model.linear_encoder.in_features),
        "d_model": str(model.linear_encoder.out_features),
        "n_layers": str(len(model.blocks)),
        "classes": str(model.linear_layer.out_features),
        "state_size": str(state_size),
        "dropout": repr(float(model.blocks[0].drop.p)),
    }


def export_linoss_repo(model, state, path, metadata, tool):
    """Write a trained LinOSS-repo classifier (inference mode; BatchNorm statistics from `state`)."""
    if not model.classification:
        raise SystemExit(f"{tool}: the model was built with classification=False (a regression head); "
                         "Phasor's classifier needs classification=True")
    write_safetensors(path, flatten_equinox(inference(model), state), metadata)


def load_equinox_checkpoint(build, path):
    """(model, state) from an `eqx.tree_serialise_leaves(path, (model, state))` file; `build(key)` makes the
    skeleton with the same hyper-parameters."""
    import equinox as eqx
    import jax
    model = build(jax.random.PRNGKey(0))
    return eqx.tree_deserialise_leaves(path, (model, eqx.nn.State(model)))


def require(args, names, tool):
    missing = [n for n in names if getattr(args, n) is None]
    if missing:
        raise SystemExit(f"{tool}: export needs --" + ", --".join(m.replace("_", "-") for m in missing))


def fixture_metadata(seed, batchnorm=True):
    m = {"fixture_seed": str(seed), "perturbation": f"{PERTURBATION}*N(0,1) on every parameter"}
    if batchnorm:
        m["bn_warmup"] = "3 training-mode batches of 4"
    return m


def start(args, name):
    """Common start of a JAX recipe: float64 for fixtures (and for exports unless --float32), the reference
    checkout first on sys.path; returns the provenance string "name@commit"."""
    import jax
    jax.config.update("jax_enable_x64", args.command == "fixture" or not args.float32)
    sys.path.insert(0, os.path.abspath(args.repo))
    return name + "@" + git_commit(args.repo)


def git_commit(repo):
    import subprocess
    try:
        return subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def fixture_input(seed, batch, length, d_input):
    return np.random.default_rng(seed).standard_normal((batch, length, d_input))


def equinox_fixture(build, metadata, out_prefix, seed, shape, adjust=None, warmup_batches=3):
    """The fixture procedure shared by the LinOSS-repo classifiers (LinOSS, S5, LRU; docs/architectures-reference.md
    "Fixtures"): build(key) with the reference init → every parameter += 0.1·N(0,1) → BatchNorm statistics from
    `warmup_batches` training-mode batches → inference-mode probabilities and traced logits on the fixture input →
    write → read back into a model built from another key and check the output again. `adjust(flat)` may set
    chosen parameters after the perturbation (edge cases the reference handles: a clipped eigenvalue, relu(A) = 0)."""
    import equinox as eqx
    import jax
    import jax.numpy as jnp

    batch, length, d_input = shape
    model = build(jax.random.PRNGKey(seed))
    state = eqx.nn.State(model)
    flat = perturb(flatten_equinox(model), seed + 1)
    if adjust is not None:
        adjust(flat)
    model, state = load_equinox(model, state, flat, with_state=False)
    for i in range(warmup_batches):
        xw = jnp.asarray(fixture_input(seed + 10 + i, 4, length, d_input))
        _, state = equinox_batch_call(model, xw, state, jax.random.PRNGKey(seed + 20 + i))
    model = inference(model)
    x = jnp.asarray(fixture_input(seed + 2, batch, length, d_input))
    key = jax.random.PRNGKey(0)
    probs, _ = equinox_batch_call(model, x, state, key)
    trace = {k: np.asarray(v) for k, v in equinox_trace(model, x, state, key).items()}
    check_close("softmax(traced logits) vs model output", np.exp(log_softmax(trace["logits"])), probs, 1e-14)
    trace["output"] = np.asarray(probs)

    flat = flatten_equinox(model, state)
    write_safetensors(out_prefix + ".safetensors", flat, metadata)
    write_npy(out_prefix + ".input.npy", x)
    write_npy(out_prefix + ".logits.npy", trace["logits"])
    write_safetensors(out_prefix + ".trace.safetensors", trace, {"input": "input.npy of the same prefix"})

    loaded, meta = read_safetensors(out_prefix + ".safetensors")
    fresh = build(jax.random.PRNGKey(seed + 1000))
    fresh, fresh_state = load_equinox(inference(fresh), eqx.nn.State(fresh), loaded)
    probs2, _ = equinox_batch_call(fresh, jnp.asarray(np.load(out_prefix + ".input.npy")), fresh_state, key)
    logits2 = equinox_trace(fresh, x, fresh_state, key)["logits"]
    d = max(check_close("reloaded output", probs2, probs), check_close("reloaded logits", logits2, trace["logits"]))
    assert meta == {k: str(v) for k, v in metadata.items()}
    return flat, trace, d


def flax_fixture(model_cls, single_cls, extra_args, metadata, out_prefix, seed, shape, adjust=None,
                 warmup_batches=3):
    """The fixture procedure of the Flax classifiers (lindermanlab/S5, minimal-LRU): `model_cls(training=…)`
    initialised by the reference init → every "params" entry += 0.1·N(0,1) (then `adjust(flat)`) → BatchNorm
    statistics from `warmup_batches` training-mode batches → inference-mode output with every module's output
    captured → write → read back and apply again. `extra_args(x)` gives the arguments after x (S5's
    integration_timesteps). `metadata` may be a function of the flat variables (shapes come from the init).
    `single_cls` is the same classifier before the reference's nn.vmap over the batch (same variables): Flax's
    nn.vmap drops the "intermediates" collection, so the per-module outputs are captured by jax.vmap of the single
    model (in inference mode BatchNorm needs no batch axis) and its logits are checked against the batched output."""
    import jax
    import jax.numpy as jnp

    batch, length, d_input = shape
    x = jnp.asarray(fixture_input(seed + 2, batch, length, d_input))
    k_params, k_drop = jax.random.split(jax.random.PRNGKey(seed))
    flat = flatten_flax(model_cls(training=True).init({"params": k_params, "dropout": k_drop}, x, *extra_args(x)))
    if callable(metadata):
        metadata = metadata(flat)
    flat.update(perturb({k: v for k, v in flat.items() if k.startswith("params.")}, seed + 1))
    if adjust is not None:
        adjust(flat)
    variables = unflatten_flax(flat)
    if "batch_stats" in variables:
        for i in range(warmup_batches):
            xw = jnp.asarray(fixture_input(seed + 10 + i, 4, length, d_input))
            _, updates = model_cls(training=True).apply(variables, xw, *extra_args(xw), mutable=["batch_stats"],
                                                        rngs={"dropout": jax.random.PRNGKey(seed + 20 + i)})
            variables = {**variables, "batch_stats": updates["batch_stats"]}

    def traced(variables, x):
        def one(*a):
            return single_cls(training=False).apply(variables, *a, capture_intermediates=True,
                                                    mutable=["intermediates"])
        out, inter = jax.vmap(one)(x, *extra_args(x))
        # Dropout is the identity in inference: its captured outputs repeat their inputs.
        trace = {k: v for k, v in flax_intermediates(inter).items() if not k.split(".")[-1].startswith("drop")}
        trace["logits"] = trace.pop("decoder")
        check_close("traced output vs traced decoder", log_softmax(trace["logits"]), out, 1e-13)
        trace.pop("model", None)
        return trace

    out = model_cls(training=False).apply(variables, x, *extra_args(x))
    trace = traced(variables, x)
    trace["output"] = np.asarray(out)
    check_close("log_softmax(decoder output) vs model output", log_softmax(trace["logits"]), out, 1e-13)

    flat = flatten_flax(variables)
    write_safetensors(out_prefix + ".safetensors", flat, metadata)
    write_npy(out_prefix + ".input.npy", x)
    write_npy(out_prefix + ".logits.npy", trace["logits"])
    write_safetensors(out_prefix + ".trace.safetensors", trace, {"input": "input.npy of the same prefix"})

    loaded, meta = read_safetensors(out_prefix + ".safetensors")
    x2 = jnp.asarray(np.load(out_prefix + ".input.npy"))
    out2 = model_cls(training=False).apply(unflatten_flax(loaded), x2, *extra_args(x2))
    d = max(check_close("reloaded output", out2, out),
            check_close("reloaded logits", traced(unflatten_flax(loaded), x2)["logits"], trace["logits"]))
    assert meta == {k: str(v) for k, v in metadata.items()}
    return flat, trace, d
