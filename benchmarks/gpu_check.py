#!/usr/bin/env python
"""GPU readiness: one run that measures the real shape on an accelerator, no download needed.

Builds a random-weight model of Qwen3-1.7B's real shape (bf16 on CUDA) with the real Qwen3 tokenizer where
`../shared/qwen3-1.7b` exists (else the tiny model's tokenizer, which has the same vocabulary), then measures:

1. persona generation: the tutorial's one-prompt loop (`model.generate` per question) against `generate_batched`,
   same prompts, exactly the same number of new tokens per prompt: speedup;
2. training steps of our train step (full fine-tune, gradient checkpointing, padding-free batches) against the tutorial's
   configuration (batch 1 x grad-accum 4, padded): real (non-pad) tokens/s, model FLOPs utilisation against
   --peak-tflops (790 for an H200's dense bf16 by default; 6 * params * tokens plus attention), peak memory;
3. LoRA, the same.

It prints one table and, last, one JSON line. `--cpu-smoke` runs the same code on the tiny shape on the CPU in about a
minute, so a test keeps the script from rotting:

    python benchmarks/gpu_check.py                 # on the GPU machine (under 8 minutes)
    python benchmarks/gpu_check.py --cpu-smoke     # anywhere
"""
import argparse, json, math, os, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QWEN3_1_7B = dict(vocab_size=151936, hidden_size=2048, intermediate_size=6144, num_hidden_layers=28, num_attention_heads=16,
                  num_key_value_heads=8, head_dim=128, max_position_embeddings=40960, rope_theta=1000000.0, rms_norm_eps=1e-6,
                  tie_word_embeddings=True)  # public facts of Qwen/Qwen3-1.7B's config.json


def model_config(smoke: bool):
    from transformers import AutoConfig, Qwen3Config
    from qwen_identity.model import TINY_SHAPE, shared_dir
    if smoke: return Qwen3Config(**TINY_SHAPE, bos_token_id=151643, eos_token_id=151645, pad_token_id=151643), "tiny shape"
    sh = shared_dir()
    if sh: return AutoConfig.from_pretrained(str(sh/"qwen3-1.7b")), "Qwen3-1.7B shape (../shared config.json)"
    return Qwen3Config(**QWEN3_1_7B, bos_token_id=151643, eos_token_id=151645, pad_token_id=151643), "Qwen3-1.7B shape (built-in sizes)"


def tokenizer_dir():
    from qwen_identity.model import shared_dir, tiny_model_dir
    sh = shared_dir()
    return (sh/"qwen3-1.7b", "real Qwen3 tokenizer") if sh else (tiny_model_dir(), "tiny model's tokenizer (real vocabulary)")


def rows(n: int):
    "Training rows: the real rows beside the project when present, else the bundled sample."
    from qwen_identity.config import read_jsonl
    from qwen_identity.data import sample_path
    from qwen_identity.model import shared_dir
    sh = shared_dir()
    r = read_jsonl(sh/"data"/"delicate_medical_r1_val_sample200.jsonl") if sh else read_jsonl(sample_path())
    return [r[i % len(r)] for i in range(n)]


def fresh_model(conf, device, dtype, seed=0):
    import torch
    from transformers import AutoModelForCausalLM
    torch.manual_seed(seed)
    with torch.device(device):
        m = AutoModelForCausalLM.from_config(conf, dtype=dtype)
    m.config.use_cache = False
    return m


def n_params(model, trainable=False):
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable)


def flops_per_token(conf, n, seq):
    "Training FLOPs per token: 6 N (dense) + 12 L H d_head s (attention scores and values, forward and backward)."
    return 6 * n + 12 * conf.num_hidden_layers * conf.num_attention_heads * getattr(conf, "head_dim", conf.hidden_size // conf.num_attention_heads) * seq


def bench_generation(model, tok, device, n_prompts, new_tokens, batch_size):
    import torch
    from qwen_identity.config import demo_config
    from qwen_identity.generate import generate_batched
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    prompt = demo_config().identity_prompt
    chats = [[{"role": "system", "content": prompt}, {"role": "user", "content": r["question"]}] for r in rows(n_prompts)]
    model.eval(); model.config.use_cache = True
    kw = dict(do_sample=True, temperature=0.7, top_p=0.95, pad_token_id=tok.pad_token_id)
    with torch.inference_mode():
        t = time.time()
        for c in chats:
            text = tok.apply_chat_template(c, tokenize=False, add_generation_prompt=True, enable_thinking=False)
            enc = tok([text], return_tensors="pt").to(device)
            model.generate(**enc, max_new_tokens=new_tokens, min_new_tokens=new_tokens, **kw)
        sync(); loop_s = time.time() - t
    t = time.time()
    run = generate_batched(model, tok, chats, batch_size=batch_size, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                           temperature=0.7, top_p=0.95, progress=False)
    sync(); batched_s = time.time() - t
    model.config.use_cache = False
    toks = n_prompts * new_tokens
    return {"prompts": n_prompts, "new_tokens": new_tokens, "batch_size": batch_size, "tutorial_s": round(loop_s, 2),
            "batched_s": round(batched_s, 2), "tutorial_tok_s": round(toks / loop_s, 1), "batched_tok_s": round(toks / batched_s, 1),
            "speedup": round(loop_s / batched_s, 2)}


def bench_training(conf, tok, device, dtype, lora: bool, batching: str, steps: int, peak_tflops: float, max_length: int, workdir: Path):
    import torch
    from qwen_identity.config import demo_config
    from qwen_identity.format import format_split
    from qwen_identity.train import build_trainer
    cfg = demo_config(workspace=str(workdir), lora=lora, batching=batching, per_device_train_batch_size=1, gradient_accumulation_steps=4,
                      gradient_checkpointing=True, max_steps=steps, logging_steps=1, save_steps=10**6, eval_steps=10**6,
                      learning_rate=1e-4, max_length=max_length, run_name=f"gpu-{'lora' if lora else 'full'}-{batching}")
    train, _ = format_split(tok, rows(4 * steps + 8), cfg.system_prompt, max_length=max_length)
    model = fresh_model(conf, device, dtype)
    if lora:
        from peft import LoraConfig, get_peft_model
        model.enable_input_require_grads()
        model = get_peft_model(model, LoraConfig(task_type="CAUSAL_LM", r=8, lora_alpha=32, lora_dropout=0.1,
                                                 target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
    tr = build_trainer(cfg, model, tok, train, None, save_strategy="no", disable_tqdm=True, report_to="none", logging_strategy="no")
    if device == "cuda": torch.cuda.reset_peak_memory_stats(); torch.cuda.synchronize()
    t = time.time(); out = tr.train(); 
    if device == "cuda": torch.cuda.synchronize()
    secs = time.time() - t
    seen = int(tr.state.num_input_tokens_seen)
    n_all = n_params(model)
    seq = sum(train["length"]) / len(train)
    flops = flops_per_token(conf, n_all, seq) * seen
    res = {"mode": ("lora" if lora else "full") + "/" + batching, "steps": tr.state.global_step, "tokens": seen,
           "seconds": round(secs, 2), "tok_s": round(seen / secs, 1), "loss": round(out.training_loss, 4),
           "mfu": round(flops / secs / (peak_tflops * 1e12), 4),
           "peak_mem_gb": round(torch.cuda.max_memory_allocated() / 2**30, 2) if device == "cuda" else None,
           "trainable_params": n_params(model, trainable=True)}
    del tr, model
    if device == "cuda": torch.cuda.empty_cache()
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cpu-smoke", action="store_true", help="tiny shape on the CPU, a minute; checks the script runs")
    ap.add_argument("--peak-tflops", type=float, default=790.0, help="the accelerator's dense bf16 peak, for MFU")
    ap.add_argument("--gen-prompts", type=int, default=None); ap.add_argument("--gen-tokens", type=int, default=None)
    ap.add_argument("--train-steps", type=int, default=None); ap.add_argument("--max-length", type=int, default=None)
    ap.add_argument("--workdir", default=None)
    a = ap.parse_args(argv)
    import tempfile, torch
    from qwen_identity.model import load_tokenizer
    smoke = a.cpu_smoke
    if not smoke and not torch.cuda.is_available(): sys.exit("no CUDA device: run with --cpu-smoke, or on the GPU machine")
    device = "cpu" if smoke else "cuda"
    dtype = torch.float32 if smoke else torch.bfloat16
    if smoke: torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    gen_prompts, gen_tokens = a.gen_prompts or (8 if smoke else 48), a.gen_tokens or (8 if smoke else 128)
    steps, max_len = a.train_steps or (2 if smoke else 12), a.max_length or (256 if smoke else 2048)
    work = Path(a.workdir or tempfile.mkdtemp(prefix="gpu_check_"))
    conf, shape = model_config(smoke)
    tdir, tname = tokenizer_dir()
    tok = load_tokenizer(tdir)
    t0 = time.time()
    model = fresh_model(conf, device, dtype)
    info = {"device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu", "shape": shape, "tokenizer": tname,
            "params": n_params(model), "dtype": str(dtype).replace("torch.", ""), "torch": torch.__version__}
    gen = bench_generation(model, tok, device, gen_prompts, gen_tokens, 16)
    del model
    if device == "cuda": torch.cuda.empty_cache()
    trains = [bench_training(conf, tok, device, dtype, lora, b, steps, a.peak_tflops, max_len, work)
              for lora in (False, True) for b in ("tutorial", "padding_free")]
    print(f"{info['device']} | {shape} | {info['params'] / 1e6:.0f} M params | {info['dtype']} | {tname}")
    print(f"generation: tutorial loop {gen['tutorial_tok_s']} tok/s, batched (16) {gen['batched_tok_s']} tok/s -> speedup {gen['speedup']}x "
          f"({gen['prompts']} prompts x {gen['new_tokens']} tokens)")
    print(f"{'training':<22}{'steps':>6}{'tokens':>9}{'tok/s':>10}{'MFU':>8}{'peak GB':>9}{'loss':>8}")
    for r in trains:
        print(f"{r['mode']:<22}{r['steps']:>6}{r['tokens']:>9}{r['tok_s']:>10}{r['mfu']:>8.1%}{str(r['peak_mem_gb']):>9}{r['loss']:>8}")
    by = {r["mode"]: r for r in trains}
    summary = {**info, "generation": gen, "training": trains, "seconds": round(time.time() - t0, 1),
               "train_speedup_full": round(by["full/padding_free"]["tok_s"] / by["full/tutorial"]["tok_s"], 2),
               "train_speedup_lora": round(by["lora/padding_free"]["tok_s"] / by["lora/tutorial"]["tok_s"], 2)}
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
