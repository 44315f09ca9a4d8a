"""Benchmark: the tutorial's per-example `process_func` against step 04's batched tokenization.

    .venv/bin/python benchmarks/bench_format.py

Same rows on both sides (the 200 real rows in ../shared when present, else the bundled sample repeated to 200),
same system prompt, MAX_LENGTH 2048, one timed run each. Tokenizer loading is not timed; each side gets its own
tokenizer instance so neither profits from the other's BPE cache. The last line is `speedup <X>x`.
"""
import os, statistics, sys, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root))
os.chdir(root)

import datasets
from datasets import Dataset
from transformers import AutoTokenizer
from qwen_identity.config import DEFAULT_SYSTEM_PROMPT
from qwen_identity.data import read_rows, sample_path
from qwen_identity.format import EDGE_ROWS, TEMPLATE_CHECK_ROWS, check_chat_template, format_split, tutorial_row
from qwen_identity.model import load_tokenizer, shared_dir, tiny_model_dir

datasets.disable_progress_bars()
MAX_LENGTH = 2048
PROMPT = DEFAULT_SYSTEM_PROMPT

shared = shared_dir()
if shared is not None:
    tok_path, rows_from = shared/"qwen3-1.7b", "200 real rows (../shared)"
    rows = read_rows(shared/"data"/"delicate_medical_r1_val_sample200.jsonl")
else:
    tok_path, rows_from = tiny_model_dir(), "bundled sample repeated to 200 rows (no ../shared)"
    sample = read_rows(sample_path())
    rows = (sample * (200 // len(sample) + 1))[:200]

# --- the tutorial's side, as its code reads -------------------------------------------------------------
tokenizer = AutoTokenizer.from_pretrained(str(tok_path), use_fast=False, trust_remote_code=False)
slow_note = (f"AutoTokenizer(use_fast=False) gave {type(tokenizer).__name__} with is_fast={tokenizer.is_fast}: this transformers "
             f"({__import__('transformers').__version__}) has no slow Qwen2 tokenizer, so the tutorial's code runs on the fast one"
             if tokenizer.is_fast else f"AutoTokenizer(use_fast=False) gave the slow {type(tokenizer).__name__}")

def process_func(example):
    input_ids, attention_mask, labels = [], [], []
    instruction = tokenizer(f"<|im_start|>system\n{PROMPT}<|im_end|>\n<|im_start|>user\n{example['input']}<|im_end|>\n<|im_start|>assistant\n", add_special_tokens=False)
    response = tokenizer(f"{example['output']}", add_special_tokens=False)
    input_ids = instruction["input_ids"] + response["input_ids"] + [tokenizer.pad_token_id]
    attention_mask = instruction["attention_mask"] + response["attention_mask"] + [1]
    labels = [-100] * len(instruction["input_ids"]) + response["input_ids"] + [tokenizer.pad_token_id]
    if len(input_ids) > MAX_LENGTH:
        input_ids = input_ids[:MAX_LENGTH]; attention_mask = attention_mask[:MAX_LENGTH]; labels = labels[:MAX_LENGTH]
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}

# --- our side ----------------------------------------------------------------------------------------------
tok = load_tokenizer(tok_path)

# warm up datasets' map machinery (not the tokenizers) so neither side pays first-call costs of the library
Dataset.from_dict({"x": ["a", "b"]}).map(lambda e: {"y": len(e["x"])})
Dataset.from_dict({"x": ["a", "b"]}).map(lambda b: {"y": [len(x) for x in b["x"]]}, batched=True)

tut_ds = Dataset.from_list([tutorial_row(r, PROMPT) for r in rows])
t0, c0 = time.perf_counter(), time.process_time()
tut = tut_ds.map(process_func, remove_columns=tut_ds.column_names)
t_tut, c_tut = time.perf_counter() - t0, time.process_time() - c0

t0 = time.perf_counter()
check_chat_template(tok, PROMPT, EDGE_ROWS + rows[:TEMPLATE_CHECK_ROWS])
t_check = time.perf_counter() - t0
t0, c0 = time.perf_counter(), time.process_time()
ours, stats = format_split(tok, rows, PROMPT, max_length=MAX_LENGTH)
t_ours, c_ours = time.perf_counter() - t0, time.process_time() - c0

def summary(ds):
    c = ds.select_columns(["input_ids", "labels"]).to_dict()
    n = [len(x) for x in c["input_ids"]]
    return len(n), sum(n), sum(len(l) - l.count(-100) for l in c["labels"]), statistics.median(n), max(n)

print(f"rows: {rows_from}; tokenizer: {tok_path}")
print(f"note: {slow_note}")
print(f"TOKENIZERS_PARALLELISM={os.environ.get('TOKENIZERS_PARALLELISM', '(unset)')}, CPUs: {os.cpu_count()}")
print()
print(f"{'':44} {'rows':>5} {'tokens':>8} {'learned':>8} {'median':>7} {'max':>5} {'seconds':>8} {'cpu s':>6} {'rows/s':>7}")
for name, ds, t, c in (("tutorial process_func, map (per example)", tut, t_tut, c_tut),
                       ("step 04 format_split, map(batched=True)", ours, t_ours, c_ours)):
    n, tokens, learned, med, mx = summary(ds)
    print(f"{name:44} {n:5d} {tokens:8d} {learned:8d} {med:7.0f} {mx:5d} {t:8.3f} {c:6.3f} {n / t:7.0f}")
print(f"{'step 04 chat-template check (once per split)':44} {len(EDGE_ROWS) + min(len(rows), TEMPLATE_CHECK_ROWS):5d} {'':8} {'':8} {'':7} {'':5} {t_check:8.3f}")
print()
print(f"tutorial / step 04 tokenization, wall: {t_tut / t_ours:.1f}x (CPU time: {c_tut / c_ours:.1f}x); "
      f"including the template check: {t_tut / (t_ours + t_check):.1f}x")
print("(token counts differ by design: the tutorial ends with <|endoftext|>, step 04 with <|im_end|>\\n and the template's newlines)")
print(f"speedup {t_tut / t_ours:.1f}x")
