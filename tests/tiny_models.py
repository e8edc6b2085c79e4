"""Tiny real models built by the tests themselves (random weights, real code paths).

- a MarianMT with a sentencepiece vocabulary trained on the demo corpus;
- a GPT-2 style causal LM with a byte-level BPE tokenizer trained on it.
Both are saved with ``save_pretrained`` (safetensors) and loaded back through
tq's normal loading code, exactly as a downloaded model would be.
"""
from __future__ import annotations

import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "us-uk-putin-talks"


def corpus_lines() -> list[str]:
    lines = []
    for name in ("it.txt", "en.txt", "en.reference.txt"):
        lines += [line for line in (CORPUS / name).read_text("utf-8").splitlines() if line.strip()]
    return lines


def build_tiny_marian(folder: Path) -> Path:
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(sentence_iterator=iter(corpus_lines()), model_prefix=str(folder / "sp"), vocab_size=300,
                                   model_type="unigram", character_coverage=1.0, bos_id=-1, eos_id=-1, unk_id=0,
                                   minloglevel=2)
    processor = spm.SentencePieceProcessor(model_file=str(folder / "sp.model"))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size()) if processor.id_to_piece(i) != "<unk>"]
    vocab = {"</s>": 0, "<unk>": 1, **{piece: i + 2 for i, piece in enumerate(pieces)}}
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), "utf-8")
    for side in ("source", "target"):
        (folder / f"{side}.spm").write_bytes((folder / "sp.model").read_bytes())
    tokenizer = MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"),
                                source_lang="it", target_lang="en", model_max_length=256)
    tokenizer.save_pretrained(folder)
    config = MarianConfig(vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                          decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=256,
                          pad_token_id=vocab["<pad>"], eos_token_id=0, decoder_start_token_id=vocab["<pad>"],
                          forced_eos_token_id=0, max_length=64)
    torch.manual_seed(0)
    MarianMTModel(config).save_pretrained(folder, safe_serialization=True)
    for leftover in ("sp.model", "sp.vocab"):
        (folder / leftover).unlink()
    return folder


def build_tiny_causal_lm(folder: Path) -> Path:
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(corpus_lines(), vocab_size=400, min_frequency=1, special_tokens=["<|endoftext|>"])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe._tokenizer, bos_token="<|endoftext|>",
                                        eos_token="<|endoftext|>", unk_token="<|endoftext|>")
    tokenizer.save_pretrained(folder)
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=512, n_embd=32, n_layer=1, n_head=2,
                        bos_token_id=0, eos_token_id=0)
    torch.manual_seed(0)
    GPT2LMHeadModel(config).save_pretrained(folder, safe_serialization=True)
    return folder
