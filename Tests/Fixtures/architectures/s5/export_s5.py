"""Export an S5 classifier to safetensors for Phasor, from either reference code base:

- lindermanlab/S5 (Flax; `s5/seq_model.py` ClassificationModel, `s5/layers.py` SequenceLayer, `s5/ssm.py` S5SSM) —
  the S5 paper's code;
- tk-rusch/linoss = Benjamin-Walker/log-neural-cdes (Equinox; `models/S5.py`) — the S5 baseline of the LinOSS and
  Log-NCDE UEA tables.

The reference code is imported from --repo; nothing of it is copied here.

User export, lindermanlab (Flax): the variables you trained, in Python,

    export_s5.export_flax({"params": params, "batch_stats": batch_stats}, "model.safetensors",
                          activation="half_glu1", prenorm=True, batchnorm=True, discretization="zoh",
                          conj_sym=True, clip_eigs=False, bidirectional=False, step_rescale=1.0, mode="pool")

or from a file written with `open(f, "wb").write(flax.serialization.msgpack_serialize(variables))`:

    python export_s5.py export --repo ~/S5 --variables vars.msgpack --out model.safetensors \
        --activation half_glu1 --prenorm true --batchnorm true --discretization zoh --conj-sym true \
        --clip-eigs false --bidirectional false --step-rescale 1.0 --mode pool

User export, LinOSS/Log-NCDE (Equinox; saved with `eqx.tree_serialise_leaves("model.eqx", (model, state))`):

    python export_s5.py export --codebase linoss --repo ~/linoss --checkpoint model.eqx --out model.safetensors \
        --data-dim 4 --label-dim 2 --num-blocks 2 --hidden-dim 128 --ssm-dim 256 --ssm-blocks 8

Fixtures (Tests/Fixtures/architectures/s5; float64):

    python export_s5.py fixture --repo ~/S5 --out .                       # s5_*.{safetensors,…}
    python export_s5.py fixture --codebase linoss --repo ~/linoss --out .  # s5_linoss.*

lindermanlab/S5 annotates with `jax.numpy.DeviceArray`, which JAX ≥ 0.4.14 no longer has: under a recent JAX
define `jax.numpy.DeviceArray = jax.Array` before running this (not done here: that is a patch of their code).

Key names: Flax — `flax.traverse_util.flatten_dict(variables, sep=".")`, e.g. `params.encoder.layers_0.seq.B`,
`batch_stats.encoder.layers_0.norm.mean`; Equinox — the attribute path, e.g. `blocks.0.ssm.Lambda_re`,
`state.blocks.0.norm.mean` (export_common.py).
"""

import argparse
import os
import sys
from functools import partial

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import export_common as common  # noqa: E402

SEED = 5
SHAPE = (2, 12, 3)  # batch, length, d_input
D_MODEL, N_LAYERS, CLASSES = 8, 2, 3

# The lindermanlab fixtures: one per activation, together covering every flag of the block and the SSM.
FLAX_VARIANTS = {
    # run_train.py's defaults (half_glu1, BatchNorm, prenorm, zoh, conj_sym, trunc_standard_normal C, pool).
    "s5_default": dict(ssm_size=8, blocks=2, C_init="trunc_standard_normal", discretization="zoh", conj_sym=True,
                       clip_eigs=False, bidirectional=False, activation="half_glu1", batchnorm=True, prenorm=True,
                       mode="pool", step_rescale=1.0, bn_momentum=0.95, dropout=0.1),
    "s5_full_glu_layernorm_postnorm_bilinear_last": dict(
        ssm_size=6, blocks=2, C_init="lecun_normal", discretization="bilinear", conj_sym=False, clip_eigs=True,
        bidirectional=False, activation="full_glu", batchnorm=False, prenorm=False, mode="last", step_rescale=1.0,
        bn_momentum=0.95, dropout=0.1),
    "s5_half_glu2_bidirectional_batchnorm_postnorm": dict(
        ssm_size=8, blocks=1, C_init="lecun_normal", discretization="zoh", conj_sym=True, clip_eigs=False,
        bidirectional=True, activation="half_glu2", batchnorm=True, prenorm=False, mode="pool", step_rescale=0.5,
        bn_momentum=0.9, dropout=0.1),
    "s5_gelu_complex_normal_layernorm_prenorm_bilinear": dict(
        ssm_size=8, blocks=2, C_init="complex_normal", discretization="bilinear", conj_sym=True, clip_eigs=False,
        bidirectional=False, activation="gelu", batchnorm=False, prenorm=True, mode="pool", step_rescale=1.0,
        bn_momentum=0.95, dropout=0.1),
}

# models/generate_model.py create_model("S5", …) fixes these.
LINOSS_FIXED = dict(C_init="lecun_normal", conj_sym=True, clip_eigs=True, discretisation="zoh", dt_min=0.001,
                    dt_max=0.1, step_rescale=1.0)


def _bool(s):
    return str(s).lower() in ("1", "true", "yes")


def flax_metadata(flat, activation, prenorm, batchnorm, discretization, conj_sym, clip_eigs, bidirectional,
                  step_rescale, mode, codebase="lindermanlab/S5"):
    layers = sorted({k.split(".")[2] for k in flat if k.startswith("params.encoder.layers_")})
    return {
        "family": "s5",
        "codebase": codebase,
        "framework": "flax",
        "key_rule": "flax-flatten-dot",
        "block": "s5-flax",
        "activation": activation,
        "gelu": "tanh",
        "prenorm": str(bool(prenorm)).lower(),
        "norm": "batch" if batchnorm else "layer",
        "norm_affine": "true",
        "norm_eps": "1e-05" if batchnorm else "1e-06",
        "discretization": discretization,
        "conj_sym": str(bool(conj_sym)).lower(),
        "clip_eigs": str(bool(clip_eigs)).lower(),
        "bidirectional": str(bool(bidirectional)).lower(),
        "step_rescale": repr(float(step_rescale)),
        "pooling": {"pool": "mean", "last": "last"}[mode],
        "output": "log_softmax",
        "d_input": str(flat["params.encoder.encoder.kernel"].shape[0]),
        "d_model": str(flat["params.encoder.encoder.kernel"].shape[1]),
        "n_layers": str(len(layers)),
        "classes": str(flat["params.decoder.kernel"].shape[1]),
        "state_size": str(flat["params.encoder.layers_0.seq.Lambda_re"].shape[0]),
    }


def export_flax(variables, path, **flags):
    flat = common.flatten_flax(variables)
    common.write_safetensors(path, flat, flax_metadata(flat, **flags))


def equinox_metadata(model, codebase="tk-rusch/linoss"):
    ssm = model.blocks[0].ssm
    m = common.linoss_repo_metadata(model, "s5", ssm.Lambda_re.shape[0], codebase)
    m.update(discretization=ssm.discretisation, conj_sym=str(bool(ssm.conj_sym)).lower(),
             clip_eigs=str(bool(ssm.clip_eigs)).lower(), bidirectional="false",
             step_rescale=repr(float(ssm.step_rescale)))
    return m


def export_equinox(model, state, path, codebase="tk-rusch/linoss"):
    common.export_linoss_repo(model, state, path, equinox_metadata(model, codebase), "export_s5")


def flax_model_cls(repo_modules, d_input, classes, d_model, n_layers, ssm_size, blocks, C_init, discretization,
                   conj_sym, clip_eigs, bidirectional, activation, batchnorm, prenorm, mode, step_rescale,
                   bn_momentum, dropout, dt_min=0.001, dt_max=0.1):
    """The classifier exactly as s5/train.py builds it: HiPPO-N eigenvalues of one block (half of them with
    conj_sym), repeated `blocks` times on the diagonal, V and V⁻¹ = V* block-diagonal. Returns the batched
    classifier (BatchClassificationModel) and the same before nn.vmap (ClassificationModel)."""
    import jax.numpy as jnp
    from jax.scipy.linalg import block_diag
    init_S5SSM, make_DPLR_HiPPO, BatchClassificationModel, ClassificationModel = repo_modules
    block_size = ssm_size // blocks
    Lambda, _, _, V, _ = make_DPLR_HiPPO(block_size)
    P = ssm_size
    if conj_sym:
        block_size, P = block_size // 2, P // 2
    Lambda, V = Lambda[:block_size], V[:, :block_size]
    Lambda = (Lambda * jnp.ones((blocks, block_size))).ravel()
    ssm = init_S5SSM(H=d_model, P=P, Lambda_re_init=Lambda.real, Lambda_im_init=Lambda.imag,
                     V=block_diag(*([V] * blocks)), Vinv=block_diag(*([V.conj().T] * blocks)), C_init=C_init,
                     discretization=discretization, dt_min=dt_min, dt_max=dt_max, conj_sym=conj_sym,
                     clip_eigs=clip_eigs, bidirectional=bidirectional)
    kw = dict(ssm=ssm, d_output=classes, d_model=d_model, n_layers=n_layers, padded=False, activation=activation,
              dropout=dropout, mode=mode, prenorm=prenorm, batchnorm=batchnorm, bn_momentum=bn_momentum,
              step_rescale=step_rescale)
    return partial(BatchClassificationModel, **kw), partial(ClassificationModel, **kw)


def integration_timesteps(x):
    import jax.numpy as jnp
    return (jnp.ones(x.shape[:2]),)  # ClassificationModel's second argument; S5 ignores it


def positive_real_part(flat):
    """One eigenvalue in the right half plane, so that clip_eigs (Re λ ← min(Re λ, −1e−4)) changes the output."""
    flat["params.encoder.layers_0.seq.Lambda_re"][0] = 0.05


def flax_fixtures(repo, out, codebase):
    from s5.seq_model import BatchClassificationModel, ClassificationModel
    from s5.ssm import init_S5SSM
    from s5.ssm_init import make_DPLR_HiPPO
    modules = (init_S5SSM, make_DPLR_HiPPO, BatchClassificationModel, ClassificationModel)
    for name, v in FLAX_VARIANTS.items():
        model_cls, single_cls = flax_model_cls(modules, SHAPE[2], CLASSES, D_MODEL, N_LAYERS, **v)
        adjust = positive_real_part if v["clip_eigs"] else None

        def meta(flat, v=v, adjust=adjust):
            m = flax_metadata(flat, v["activation"], v["prenorm"], v["batchnorm"], v["discretization"],
                              v["conj_sym"], v["clip_eigs"], v["bidirectional"], v["step_rescale"], v["mode"],
                              codebase)
            m.update(common.fixture_metadata(SEED, v["batchnorm"]), C_init=v["C_init"], ssm_blocks=str(v["blocks"]),
                     dropout=repr(v["dropout"]), bn_momentum=repr(v["bn_momentum"]))
            if adjust:
                m.update(adjusted="params.encoder.layers_0.seq.Lambda_re[0] = 0.05 (clip_eigs clips it)")
            return m

        prefix = os.path.join(out, name)
        flat, trace, d = common.flax_fixture(model_cls, single_cls, integration_timesteps, meta, prefix, SEED, SHAPE, adjust)
        print(f"{prefix}: {len(flat)} tensors, logits {trace['logits'].shape}, reload max|Δ| = {d:.1e}")


def equinox_build(S5, data_dim, label_dim, num_blocks, hidden_dim, ssm_dim, ssm_blocks):
    f = LINOSS_FIXED
    # The argument order of models/generate_model.py create_model("S5", …).
    return lambda key: S5(num_blocks, data_dim, ssm_dim, ssm_blocks, hidden_dim, label_dim, True, 1, f["C_init"],
                          f["conj_sym"], f["clip_eigs"], f["discretisation"], f["dt_min"], f["dt_max"],
                          f["step_rescale"], key=key)


def equinox_positive_real_part(flat):
    flat["blocks.0.ssm.Lambda_re"][0] = 0.05


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["export", "fixture"])
    p.add_argument("--codebase", choices=["lindermanlab", "linoss"], default="lindermanlab")
    p.add_argument("--repo", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--variables", help="lindermanlab: msgpack of {'params': …, 'batch_stats': …}")
    for flag in ["activation", "prenorm", "batchnorm", "discretization", "conj-sym", "clip-eigs", "bidirectional",
                 "step-rescale", "mode"]:
        p.add_argument("--" + flag)
    p.add_argument("--checkpoint", help="linoss: eqx.tree_serialise_leaves file of (model, state)")
    for flag in ["data-dim", "label-dim", "num-blocks", "hidden-dim", "ssm-dim", "ssm-blocks"]:
        p.add_argument("--" + flag, type=int)
    p.add_argument("--float32", action="store_true", help="the checkpoint was trained without jax_enable_x64")
    a = p.parse_args()

    codebase = common.start(a, "lindermanlab/S5" if a.codebase == "lindermanlab" else "tk-rusch/linoss")
    import jax

    if a.codebase == "lindermanlab":
        if a.command == "fixture":
            flax_fixtures(a.repo, a.out, codebase)
            return
        common.require(a, ["variables", "activation", "prenorm", "batchnorm", "discretization", "conj_sym",
                           "clip_eigs", "bidirectional", "step_rescale", "mode"], "export_s5")
        from flax.serialization import msgpack_restore
        with open(a.variables, "rb") as f:
            variables = msgpack_restore(f.read())
        export_flax(variables, a.out, activation=a.activation, prenorm=_bool(a.prenorm),
                    batchnorm=_bool(a.batchnorm), discretization=a.discretization, conj_sym=_bool(a.conj_sym),
                    clip_eigs=_bool(a.clip_eigs), bidirectional=_bool(a.bidirectional),
                    step_rescale=float(a.step_rescale), mode=a.mode, codebase=codebase)
        return

    from models.S5 import S5
    if a.command == "export":
        common.require(a, ["checkpoint", "data_dim", "label_dim", "num_blocks", "hidden_dim", "ssm_dim",
                           "ssm_blocks"], "export_s5")
        b = equinox_build(S5, a.data_dim, a.label_dim, a.num_blocks, a.hidden_dim, a.ssm_dim, a.ssm_blocks)
        export_equinox(*common.load_equinox_checkpoint(b, a.checkpoint), a.out, codebase)
        return
    b = equinox_build(S5, SHAPE[2], CLASSES, N_LAYERS, D_MODEL, ssm_dim=8, ssm_blocks=2)
    meta = equinox_metadata(b(jax.random.PRNGKey(SEED)), codebase)
    meta.update(common.fixture_metadata(SEED), C_init=LINOSS_FIXED["C_init"], ssm_blocks="2",
                adjusted="blocks.0.ssm.Lambda_re[0] = 0.05 (clip_eigs clips it)")
    prefix = os.path.join(a.out, "s5_linoss")
    flat, trace, d = common.equinox_fixture(b, meta, prefix, SEED, SHAPE, adjust=equinox_positive_real_part)
    print(f"{prefix}: {len(flat)} tensors, logits {trace['logits'].shape}, reload max|Δ| = {d:.1e}")


if __name__ == "__main__":
    main()
