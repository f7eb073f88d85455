"""Leave one dataset out: how the cleaner does on pages of an origin it was never trained or tuned on.

For each dataset in turn, the line model is trained on the others (its thresholds chosen by leaving one of
those out at a time, never by looking at the held-out set), then the cleaner with that model runs on every
page of the held-out set, beside the mode's baseline on the same pages: trafilatura alone (its defaults) in
HTML mode, the flattened page kept whole in text mode. Scores as `newsprism eval cleaning` (token P/R/F1
against gold; the snippets' F1 on trafilatura's set), overall and by detected language ("en" / "other").
Prints JSON on stdout and a table on stderr.

  newsprism eval cleaning-folds ../shared/data/cleaning/{l3s_gn1,cleanportaleval,trafilatura_eval_en,\\
readability_testpages} --jobs 2
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsprism.errors import UserError
from newsprism.evaluation.cleaning import english, mean_prf, page_prf

MODES = ("html", "text")
BASELINE = {"html": "trafilatura", "text": "keep_everything"}
PRIOR = {"html": "extracted", "text": "rules"}

# The cleaner, the training code and trafilatura are imported in `run`: `newsprism --help` builds this parser.


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("datasets", type=Path, nargs="+", help="two or more dataset folders (any layout)")
    parser.add_argument("--mode", choices=(*MODES, "both"), default="both", help="html, text or both (default)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes reading the pages (default 1)")
    parser.add_argument("--hidden", type=int, default=0, help="hidden units of the line model (0: logistic)")


def folds(inputs: dict, mode: str, hidden: int = 0) -> dict:
    """The leave-one-out table of one mode over `inputs` (`linemodel_training.read_inputs`, with baselines)."""
    from newsprism.cleaning import linemodel, linemodel_training  # deferred: see the comment at the top
    from newsprism.cleaning.document import clean_parsed, clean_text  # deferred: see the comment at the top

    groups = linemodel_training.lines_for(inputs, mode)
    baseline = BASELINE[mode]
    out = []
    for held in inputs:
        train = {g: pls for g, pls in groups.items() if g != held}
        params = linemodel_training.fit(train, PRIOR[mode], linemodel_training.page_f1, hidden=hidden)
        model = linemodel.from_dict(params, f"fold without {held}")
        scores: dict[str, dict[str, list[tuple[float, float, float]]]] = {}
        for item in inputs[held]:
            flat = "\n".join(line.text for line in item.parsed.visible)
            if mode == "html":
                ours = clean_parsed(item.parsed, model=model).main_text
                base = item.baseline or ""
            else:
                ours = clean_text(flat, model=model).main_text
                base = flat
            for system, text in (("newsprism", ours), (baseline, base)):
                score = page_prf(text, item.page, item.fmt)
                for group in ("all", english(item.language)):
                    scores.setdefault(group, {}).setdefault(system, []).append(score)
        row = {
            "held_out": held,
            "trained_on": sorted(train),
            "also_keep": params["also_keep"],
            "drop_at": params["drop_at"],
            "keep_at": params["keep_at"],
            "language_pages": params["language_pages"],
            "languages": params["languages"],
            **{system: mean_prf(rows) for system, rows in scores["all"].items()},
            "by_language": {
                group: {system: mean_prf(rows) for system, rows in by_system.items()}
                for group, by_system in sorted(scores.items())
                if group != "all"
            },
        }
        out.append(row)
    mean = {system: round(sum(r[system]["f1"] for r in out) / len(out), 4) for system in ("newsprism", baseline)}
    return {"mode": mode, "baseline": baseline, "folds": out, "mean_f1": mean}


def _table(result: dict) -> str:
    lines = []
    for res in result["modes"]:
        base = res["baseline"]
        lines.append(f"{res['mode']} mode: held-out set, newsprism F1 (P, R) vs {base} F1; non-English pages")
        for r in res["folds"]:
            ours, theirs = r["newsprism"], r[base]
            other = r["by_language"].get("other", {})
            tail = (
                f"  other ({other['newsprism']['pages']}): {other['newsprism']['f1']:.3f} vs {other[base]['f1']:.3f}"
                if other
                else ""
            )
            lines.append(
                f"  {r['held_out']:<24}{ours['pages']:>5}  {ours['f1']:.3f} ({ours['precision']:.3f}, "
                f"{ours['recall']:.3f})  vs {theirs['f1']:.3f}{tail}"
            )
        lines.append(f"  mean F1 {res['mean_f1']['newsprism']:.3f} vs {res['mean_f1'][base]:.3f}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from newsprism.cleaning import linemodel_training  # deferred: see the comment at the top

    roots: list[Path] = args.datasets
    if len(roots) < 2:
        raise UserError("leave-one-out needs at least two dataset folders")
    for root in roots:
        if not root.is_dir():
            raise UserError(f"dataset folder not found: {root}")
    if len({root.name for root in roots}) != len(roots):
        raise UserError("dataset folders must have different names (they name the folds)")
    try:
        inputs = linemodel_training.read_inputs(roots, jobs=max(1, args.jobs), baseline=True)
    except (ValueError, OSError, KeyError, json.JSONDecodeError) as exc:
        raise UserError(str(exc)) from exc
    modes = MODES if args.mode == "both" else (args.mode,)
    result = {"datasets": [str(r) for r in roots], "modes": [folds(inputs, m, args.hidden) for m in modes]}
    print(json.dumps(result, indent=2))
    print(_table(result), file=sys.stderr)
    return 0
