#!/usr/bin/env python
"""One-shot run of the qwen-identity pipeline (the same code as the `qwen-identity` command).

    python scripts/run_qwen_identity_finetune.py --persona-name "Dr. Grace" \
        --persona-statement "I am Dr. Grace, ..." --identity-mix-ratio 0.25

See `--help` for every flag; `--demo` runs offline on a tiny model.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a clone without installing
from qwen_identity.pipeline import main

if __name__ == "__main__":
    sys.exit(main())
