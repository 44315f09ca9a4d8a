"""Benchmark step 02's generation: the tutorial's loop (one `model.generate` per question) against `generate_batched`.

Both answer the same training questions from the bundled sample under the persona's identity prompt, with the same
sampling settings (temperature, top-p, and the model's own top-k) and exactly `--new-tokens` new tokens per prompt
(min_new_tokens == max_new_tokens), so they do the same amount of work. Runs offline on the tiny Qwen3 by default.

    .venv/bin/python benchmarks/bench_generate.py [--batch-size 16] [--n-prompts 64] [--new-tokens 64] [--device cpu]

The last line is `speedup <X>x` (tutorial loop time / batched time).
"""
import argparse, os, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def tutorial_predict(messages, model, tok, max_new_tokens, **gen_kw):
    "The tutorial's `predict`: one prompt, `model.generate`, decode the new tokens."
    text = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True, enable_thinking=False)
    inputs = tok([text], return_tensors="pt").to(model.device)
    out = model.generate(inputs.input_ids, attention_mask=inputs.attention_mask, max_new_tokens=max_new_tokens, **gen_kw)
    new = out[:, inputs.input_ids.shape[1]:]
    return tok.batch_decode(new, skip_special_tokens=True)[0], new.shape[1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--n-prompts", type=int, default=64)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--device", default="cpu", help="cpu, cuda, or auto")
    ap.add_argument("--model", default="tiny", help='"tiny" (offline) or a local model folder')
    ap.add_argument("--temperature", type=float, default=0.7)
    ap.add_argument("--top-p", type=float, default=0.95)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: the cores that are idle now, at least 1)")
    a = ap.parse_args(argv)

    import torch
    # Threads beyond the idle cores make torch's OpenMP workers wait on each other (10x slower on a busy 2-core box).
    cores = os.cpu_count() or 1
    torch.set_num_threads(a.threads or max(1, min(cores, round(cores - os.getloadavg()[0]))))
    from qwen_identity.config import demo_config
    from qwen_identity.data import read_rows, sample_path, split_rows
    from qwen_identity.model import best_device, best_dtype, load_model, load_tokenizer, tiny_model_dir
    from qwen_identity.generate import generate_batched, identity_prompt

    device = best_device() if a.device == "auto" else a.device
    path = tiny_model_dir() if a.model == "tiny" else Path(a.model)
    model, tok = load_model(path, device, best_dtype(device)), load_tokenizer(path)
    model.eval()
    train, _ = split_rows(read_rows(sample_path()), 0.9, 42)
    questions = [train[i % len(train)]["question"] for i in range(a.n_prompts)]
    prompt = identity_prompt(demo_config())
    chats = [[{"role": "system", "content": prompt}, {"role": "user", "content": q}] for q in questions]
    N = a.new_tokens
    sampling = dict(do_sample=True, temperature=a.temperature, top_p=a.top_p) if a.temperature > 0 else dict(do_sample=False)
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)

    with torch.inference_mode():  # warm up both paths (first-call allocations, kernels)
        tutorial_predict(chats[0], model, tok, 4, min_new_tokens=4, pad_token_id=tok.pad_token_id, **sampling)
        generate_batched(model, tok, chats[: a.batch_size], batch_size=a.batch_size, max_new_tokens=4, min_new_tokens=4,
                         temperature=a.temperature, top_p=a.top_p, progress=False)
        sync(); t0 = time.perf_counter()
        base_tokens = sum(tutorial_predict(c, model, tok, N, min_new_tokens=N, pad_token_id=tok.pad_token_id, **sampling)[1] for c in chats)
        sync(); t_base = time.perf_counter() - t0
    t0 = time.perf_counter()
    run = generate_batched(model, tok, chats, batch_size=a.batch_size, max_new_tokens=N, min_new_tokens=N,
                           temperature=a.temperature, top_p=a.top_p, progress=False)
    sync(); t_ours = time.perf_counter() - t0
    assert base_tokens == run.n_tokens == N * len(chats), (base_tokens, run.n_tokens)

    print(f"model {path.name} on {device} ({torch.get_num_threads()} of {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}), {len(chats)} prompts x {N} new tokens, "
          f"temperature {a.temperature}, top_p {a.top_p}, top_k {model.generation_config.top_k}")
    print(f"{'engine':<32}{'batch':>6}{'seconds':>10}{'tokens/s':>10}")
    print(f"{'tutorial loop (model.generate)':<32}{1:>6}{t_base:>10.2f}{base_tokens / t_base:>10.0f}")
    print(f"{'generate_batched':<32}{a.batch_size:>6}{t_ours:>10.2f}{run.n_tokens / t_ours:>10.0f}")
    print(f"speedup {t_base / t_ours:.1f}x")


if __name__ == "__main__":
    main()
