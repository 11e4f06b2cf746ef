"""Export a LinOSS classifier of tk-rusch/linoss (Equinox, `models/LinOSS.py`) to safetensors for Phasor.

The reference code is imported from the repository given by --repo; nothing of it is copied here.

User export (a model you trained with the repository's train.py, saved with
`eqx.tree_serialise_leaves("model.eqx", (model, state))`):

    python export_linoss.py export --repo ~/linoss --checkpoint model.eqx --out model.safetensors \
        --data-dim 4 --label-dim 2 --num-blocks 2 --hidden-dim 128 --ssm-dim 64 --discretization IM

or, in Python with the model in memory: `export_linoss.export(model, state, "model.safetensors")`.

Fixture (what Tests/Fixtures/architectures/linoss holds; float64):

    python export_linoss.py fixture --repo ~/linoss --out .

Key names: the Equinox attribute path with "." (export_common.py), e.g. `blocks.0.ssm.A_diag`; the running
statistics of block i's BatchNorm as `state.blocks.i.norm.mean` / `.var`.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import export_common as common  # noqa: E402

SEED = 17
SHAPE = (2, 12, 3)  # batch, length, d_input
SMALL = dict(num_blocks=2, hidden_dim=8, ssm_dim=6, label_dim=3)


def metadata(model, codebase):
    ssm = model.blocks[0].ssm
    m = common.linoss_repo_metadata(model, "linoss", ssm.A_diag.shape[0], codebase)
    m["discretization"] = ssm.discretization
    return m


def export(model, state, path, codebase="tk-rusch/linoss"):
    common.export_linoss_repo(model, state, path, metadata(model, codebase), "export_linoss")


def clamp_one_mode(flat):
    """relu(A_diag) = 0 for one oscillator: the IM/IMEX matrix becomes a Jordan block [1 0; Δ 1] (no eigen-reading),
    which the reference simply runs; a Phasor forward must too."""
    flat["blocks.1.ssm.A_diag"][1] = -0.05


def build(LinOSS, data_dim, label_dim, num_blocks, hidden_dim, ssm_dim, discretization):
    # The argument order of models/generate_model.py create_model("LinOSS", …).
    return lambda key: LinOSS(num_blocks, data_dim, ssm_dim, hidden_dim, label_dim, True, 1, discretization, key=key)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["export", "fixture"])
    p.add_argument("--repo", required=True, help="checkout of tk-rusch/linoss")
    p.add_argument("--out", required=True)
    p.add_argument("--checkpoint")
    p.add_argument("--data-dim", type=int)
    p.add_argument("--label-dim", type=int)
    p.add_argument("--num-blocks", type=int)
    p.add_argument("--hidden-dim", type=int)
    p.add_argument("--ssm-dim", type=int)
    p.add_argument("--discretization", choices=["IM", "IMEX"])
    p.add_argument("--float32", action="store_true", help="the checkpoint was trained without jax_enable_x64")
    a = p.parse_args()

    codebase = common.start(a, "tk-rusch/linoss")
    import jax
    from models.LinOSS import LinOSS

    if a.command == "export":
        common.require(a, ["checkpoint", "data_dim", "label_dim", "num_blocks", "hidden_dim", "ssm_dim",
                           "discretization"], "export_linoss")
        b = build(LinOSS, a.data_dim, a.label_dim, a.num_blocks, a.hidden_dim, a.ssm_dim, a.discretization)
        export(*common.load_equinox_checkpoint(b, a.checkpoint), a.out, codebase)
        return

    for discretization in ["IM", "IMEX"]:
        b = build(LinOSS, SHAPE[2], discretization=discretization, **SMALL)
        meta = metadata(b(jax.random.PRNGKey(SEED)), codebase)
        meta.update(common.fixture_metadata(SEED), adjusted="blocks.1.ssm.A_diag[1] = -0.05 (relu clamps it to 0)")
        prefix = os.path.join(a.out, "linoss_" + discretization.lower())
        flat, trace, d = common.equinox_fixture(b, meta, prefix, SEED, SHAPE, adjust=clamp_one_mode)
        print(f"{prefix}: {len(flat)} tensors, logits {trace['logits'].shape}, reload max|Δ| = {d:.1e}")


if __name__ == "__main__":
    main()
