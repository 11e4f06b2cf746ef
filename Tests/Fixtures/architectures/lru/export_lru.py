"""Export an LRU classifier to safetensors for Phasor. The LRU paper (Orvieto et al., ICML 2023) has no official
code; two JAX references are supported:

- tk-rusch/linoss = Benjamin-Walker/log-neural-cdes (Equinox; `models/LRU.py`) — the LRU baseline of the LinOSS and
  Log-NCDE UEA tables, sharing its block with LinOSS and S5 there (the default, --codebase linoss);
- NicolasZucchet/minimal-LRU (Flax; `lru/model.py`) — the most used stand-alone JAX LRU (--codebase minimal).

The reference code is imported from --repo; nothing of it is copied here.

User export, LinOSS/Log-NCDE (saved with `eqx.tree_serialise_leaves("model.eqx", (model, state))`):

    python export_lru.py export --repo ~/linoss --checkpoint model.eqx --out model.safetensors \
        --data-dim 4 --label-dim 2 --num-blocks 6 --hidden-dim 128 --ssm-dim 16

or `export_lru.export_equinox(model, state, "model.safetensors")` in Python.

User export, minimal-LRU (Flax): `export_lru.export_flax(variables, "model.safetensors", norm="batch",
prenorm=True, pooling="mean")`, or from `flax.serialization.msgpack_serialize(variables)`:

    python export_lru.py export --codebase minimal --repo ~/minimal-LRU --variables vars.msgpack \
        --out model.safetensors --norm batch --prenorm true --pooling mean

Fixtures (Tests/Fixtures/architectures/lru; float64):

    python export_lru.py fixture --repo ~/linoss --out .                         # lru_linoss.*
    python export_lru.py fixture --codebase minimal --repo ~/minimal-LRU --out .  # lru_minimal*.*

Key names (export_common.py): Equinox — `blocks.0.lru.nu_log`, `state.blocks.0.norm.mean`; Flax —
`params.encoder.layers_0.seq.nu_log`, `batch_stats.encoder.layers_0.normalization.mean`.
"""

import argparse
import os
import sys
from functools import partial

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import export_common as common  # noqa: E402

SEED = 11
SHAPE = (2, 12, 3)  # batch, length, d_input
D_MODEL, N_LAYERS, CLASSES, STATES = 8, 2, 3, 6

MINIMAL_VARIANTS = {
    # run_train.py's defaults: BatchNorm, prenorm, mean pooling, r ∈ [0, 1].
    "lru_minimal": dict(norm="batch", prenorm=True, pooling="mean", r_min=0.0, r_max=1.0, dropout=0.1),
    "lru_minimal_layernorm_postnorm_last": dict(norm="layer", prenorm=False, pooling="last", r_min=0.5, r_max=0.99,
                                                dropout=0.1),
}


def _bool(s):
    return str(s).lower() in ("1", "true", "yes")


def equinox_metadata(model, codebase="tk-rusch/linoss"):
    return common.linoss_repo_metadata(model, "lru", model.blocks[0].lru.nu_log.shape[0], codebase)


def export_equinox(model, state, path, codebase="tk-rusch/linoss"):
    common.export_linoss_repo(model, state, path, equinox_metadata(model, codebase), "export_lru")


def flax_metadata(flat, norm, prenorm, pooling, codebase="NicolasZucchet/minimal-LRU"):
    if pooling not in ("mean", "last"):
        raise SystemExit(f"export_lru: pooling '{pooling}' gives one output per step; Phasor's classifier needs "
                         "mean or last")
    layers = sorted({k.split(".")[2] for k in flat if k.startswith("params.encoder.layers_")})
    return {
        "family": "lru",
        "codebase": codebase,
        "framework": "flax",
        "key_rule": "flax-flatten-dot",
        "block": "minimal-lru",
        "activation": "full_glu",
        "gelu": "tanh",
        "prenorm": str(bool(prenorm)).lower(),
        "norm": norm,
        "norm_affine": "true",
        "norm_eps": "1e-05" if norm == "batch" else "1e-06",
        "pooling": pooling,
        "output": "log_softmax",
        "d_input": str(flat["params.encoder.encoder.kernel"].shape[0]),
        "d_model": str(flat["params.encoder.encoder.kernel"].shape[1]),
        "n_layers": str(len(layers)),
        "classes": str(flat["params.decoder.kernel"].shape[1]),
        "state_size": str(flat["params.encoder.layers_0.seq.nu_log"].shape[0]),
    }


def export_flax(variables, path, norm, prenorm, pooling, codebase="NicolasZucchet/minimal-LRU"):
    flat = common.flatten_flax(variables)
    common.write_safetensors(path, flat, flax_metadata(flat, norm, prenorm, pooling, codebase))


def equinox_build(LRU, data_dim, label_dim, num_blocks, hidden_dim, ssm_dim):
    # The argument order of models/generate_model.py create_model("lru", …).
    return lambda key: LRU(num_blocks, data_dim, ssm_dim, hidden_dim, label_dim, True, 1, key=key)


def minimal_fixtures(out, codebase):
    from lru.model import LRU, BatchClassificationModel, ClassificationModel
    for name, v in MINIMAL_VARIANTS.items():
        # As lru/train.py builds it.
        lru = partial(LRU, d_hidden=STATES, d_model=D_MODEL, r_min=v["r_min"], r_max=v["r_max"])
        kw = dict(lru=lru, d_output=CLASSES, d_model=D_MODEL, n_layers=N_LAYERS, dropout=v["dropout"],
                  pooling=v["pooling"], norm=v["norm"], prenorm=v["prenorm"], multidim=1)

        def meta(flat, v=v):
            m = flax_metadata(flat, v["norm"], v["prenorm"], v["pooling"], codebase)
            m.update(common.fixture_metadata(SEED, v["norm"] == "batch"), r_min=repr(v["r_min"]),
                     r_max=repr(v["r_max"]), dropout=repr(v["dropout"]))
            if v["norm"] == "batch":
                m.update(bn_momentum="0.99")
            return m

        prefix = os.path.join(out, name)
        flat, trace, d = common.flax_fixture(partial(BatchClassificationModel, **kw),
                                             partial(ClassificationModel, **kw), lambda x: (), meta, prefix,
                                             SEED, SHAPE)
        print(f"{prefix}: {len(flat)} tensors, logits {trace['logits'].shape}, reload max|Δ| = {d:.1e}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["export", "fixture"])
    p.add_argument("--codebase", choices=["linoss", "minimal"], default="linoss")
    p.add_argument("--repo", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--checkpoint", help="linoss: eqx.tree_serialise_leaves file of (model, state)")
    for flag in ["data-dim", "label-dim", "num-blocks", "hidden-dim", "ssm-dim"]:
        p.add_argument("--" + flag, type=int)
    p.add_argument("--variables", help="minimal: msgpack of {'params': …, 'batch_stats': …}")
    p.add_argument("--norm", choices=["batch", "layer"])
    p.add_argument("--prenorm")
    p.add_argument("--pooling", choices=["mean", "last"])
    p.add_argument("--float32", action="store_true", help="the checkpoint was trained without jax_enable_x64")
    a = p.parse_args()

    codebase = common.start(a, "tk-rusch/linoss" if a.codebase == "linoss" else "NicolasZucchet/minimal-LRU")
    import jax

    if a.codebase == "minimal":
        if a.command == "fixture":
            minimal_fixtures(a.out, codebase)
            return
        common.require(a, ["variables", "norm", "prenorm", "pooling"], "export_lru")
        from flax.serialization import msgpack_restore
        with open(a.variables, "rb") as f:
            variables = msgpack_restore(f.read())
        export_flax(variables, a.out, a.norm, _bool(a.prenorm), a.pooling, codebase)
        return

    from models.LRU import LRU
    if a.command == "export":
        common.require(a, ["checkpoint", "data_dim", "label_dim", "num_blocks", "hidden_dim", "ssm_dim"],
                       "export_lru")
        b = equinox_build(LRU, a.data_dim, a.label_dim, a.num_blocks, a.hidden_dim, a.ssm_dim)
        export_equinox(*common.load_equinox_checkpoint(b, a.checkpoint), a.out, codebase)
        return
    b = equinox_build(LRU, SHAPE[2], CLASSES, N_LAYERS, D_MODEL, STATES)
    meta = equinox_metadata(b(jax.random.PRNGKey(SEED)), codebase)
    meta.update(common.fixture_metadata(SEED), r_min="0", r_max="1", max_phase="6.28")
    prefix = os.path.join(a.out, "lru_linoss")
    flat, trace, d = common.equinox_fixture(b, meta, prefix, SEED, SHAPE)
    print(f"{prefix}: {len(flat)} tensors, logits {trace['logits'].shape}, reload max|Δ| = {d:.1e}")


if __name__ == "__main__":
    main()
