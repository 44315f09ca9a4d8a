"""Training throughput: the tutorial's batching against ours, on the tiny Qwen3 (CPU or GPU).

    .venv/bin/python benchmarks/bench_train.py [--rows 80] [--threads N] [--padded] [--max-length 2048]

Both runs train the same tokenized rows (the bundled sample, tokenized by step 04's `format_split`) for the same
number of optimizer steps from the same weights and seed, with the tutorial's hyperparameters (lr 1e-4,
4 examples per optimizer step, gradient checkpointing):

- tutorial:     1 example per forward pass x 4 accumulation steps, `DataCollatorForSeq2Seq(padding=True)`.
- padding_free: the 4 examples of a step packed into one row (position_ids restart per example), logits
                computed only where a label follows.

`--padded` adds a third run: 4 examples per forward pass, right-padded (what batching 4 examples costs without
packing). Reported: real (non-pad) tokens per second of wall time, the per-step training losses side by side,
and on the last line `speedup <X>x` (padding_free over tutorial).
"""
import argparse, os, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def tokenized_sample(tok, n_rows, max_length):
    "The first `n_rows` rows of the bundled sample, tokenized as step 04 does (a minimal chat tokenization if step 04 is absent)."
    import datasets
    from qwen_identity.config import make_config
    from qwen_identity.data import read_rows, sample_path
    rows = read_rows(sample_path())[:n_rows]
    try:
        from qwen_identity.format import format_split, training_system_prompt
        ds, _ = format_split(tok, rows, training_system_prompt(make_config()), max_length)
        return ds, "qwen_identity.format.format_split"
    except ImportError:
        system, out = make_config().system_prompt, []
        for r in rows:
            p = tok.apply_chat_template([{"role": "system", "content": system}, {"role": "user", "content": r["question"]}],
                                        tokenize=False, add_generation_prompt=True)
            p, a = tok(p)["input_ids"], tok(f"<think>\n{r['think'].strip()}\n</think>\n\n{r['answer']}<|im_end|>\n")["input_ids"]
            ids, lab = (p + a)[:max_length], ([-100] * len(p) + a)[:max_length]
            out.append({"input_ids": ids, "labels": lab, "length": len(ids), "truncated": len(p) + len(a) > max_length})
        return datasets.Dataset.from_list(out), "minimal chat-template tokenization (qwen_identity.format not found)"


class Counting:
    "Wraps a collator; counts positions fed to the model and positions that get logits."
    def __init__(self, collate): self.collate, self.positions, self.logit_rows = collate, 0, 0
    def __call__(self, features):
        b = self.collate(features)
        self.positions += b["input_ids"].numel()
        self.logit_rows += int(b["logits_to_keep"].sum()) if "logits_to_keep" in b else b["input_ids"].numel()
        return b


def one_run(name, cfg, tok, train, steps, out):
    "Train `steps` optimizer steps; returns the row of the table and the per-step losses."
    import torch
    from transformers import PrinterCallback
    from qwen_identity.model import tiny_model_dir
    from qwen_identity.train import build_trainer, micro_batches, prepare_model, train_losses
    torch.manual_seed(cfg.seed)
    model = prepare_model(cfg, tiny_model_dir())
    trainer = build_trainer(cfg, model, tok, train, None, output_dir=str(out/name), max_steps=steps, logging_steps=1,
                            save_strategy="no", disable_tqdm=True)
    trainer.remove_callback(PrinterCallback)  # no log line per step
    trainer.data_collator = counter = Counting(trainer.data_collator)
    t, c = time.perf_counter(), time.process_time()
    trainer.train()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    real = trainer.state.num_input_tokens_seen
    mb, acc = micro_batches(cfg)
    row = dict(config=name, batch=f"{mb}x{acc}", steps=trainer.state.global_step, real_tokens=real, fed_positions=counter.positions,
               logit_rows=counter.logit_rows, wall_s=wall, cpu_s=cpu, tokens_per_s=real / wall)
    return row, [l for _, l in train_losses(trainer.state.log_history)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=80, help="sample rows to train on (4 per optimizer step)")
    p.add_argument("--max-length", type=int, default=2048, help="the tutorial's MAX_LENGTH")
    p.add_argument("--threads", type=int, default=0,
                   help="torch CPU threads (default: half the cores; on a shared 2-core machine 2 threads ran 2x slower than 1)")
    p.add_argument("--padded", action="store_true", help="also run 4 padded examples per forward pass")
    a = p.parse_args()
    import torch
    from transformers.utils import logging as hf_logging
    from qwen_identity.config import make_config
    from qwen_identity.model import best_device, load_tokenizer, tiny_model_dir
    hf_logging.set_verbosity_error()
    torch.set_num_threads(a.threads or max(1, (os.cpu_count() or 2) // 2))
    tok = load_tokenizer(tiny_model_dir())
    train, how = tokenized_sample(tok, a.rows, a.max_length)
    steps = len(train) // 4
    print(f"{len(train)} rows ({sum(train['length']):,} tokens, {how}); {steps} optimizer steps of 4 examples; "
          f"tiny Qwen3 on {best_device()}, {torch.get_num_threads()} threads")
    base = dict(model="tiny", learning_rate=1e-4, per_device_train_batch_size=1, gradient_accumulation_steps=4,
                gradient_checkpointing=True, swanlab_mode="disabled", seed=42)
    runs = [("tutorial", make_config(**base, batching="tutorial")), ("padding_free", make_config(**base, batching="padding_free"))]
    if a.padded: runs.append(("padded_4x1", make_config(**{**base, "per_device_train_batch_size": 4, "gradient_accumulation_steps": 1},
                                                        batching="tutorial")))
    rows, losses = [], {}
    with tempfile.TemporaryDirectory(prefix="bench_train_") as out:
        for name, cfg in runs:
            row, losses[name] = one_run(name, cfg, tok, train, steps, Path(out))
            rows.append(row)
    print(f"\n{'config':<13} {'batch':>5} {'steps':>5} {'real tok':>9} {'fed pos':>9} {'logit rows':>10} {'wall s':>7} {'cpu s':>7} {'real tok/s':>10}")
    for r in rows:
        print(f"{r['config']:<13} {r['batch']:>5} {r['steps']:>5} {r['real_tokens']:>9,} {r['fed_positions']:>9,} {r['logit_rows']:>10,} "
              f"{r['wall_s']:>7.1f} {r['cpu_s']:>7.1f} {r['tokens_per_s']:>10.1f}")
    names = list(losses)
    print("\ntraining loss per logging step (logging_steps=1)\n" + "step " + "".join(f"{n:>14}" for n in names))
    for i in range(max(len(v) for v in losses.values())):
        print(f"{i + 1:>4} " + "".join(f"{losses[n][i]:>14.5f}" if i < len(losses[n]) else f"{'':>14}" for n in names))
    diff = max(abs(x - y) for x, y in zip(losses["tutorial"], losses["padding_free"]))
    print(f"largest |tutorial - padding_free| loss difference: {diff:.2e}")
    print(f"speedup {rows[1]['tokens_per_s'] / rows[0]['tokens_per_s']:.2f}x")


if __name__ == "__main__":
    main()
