"""GGUF -> ONNX: a Llama-architecture causal LM made runnable by onnxruntime, once per model file.

Why convert instead of running the GGUF: llama.cpp scores one sequence at a
time, compiles from source on install (minutes, a C++ compiler) and spins its
threads on a busy machine; transformers + torch take 3.5 s to import, more than
tq's whole budget for an article. onnxruntime imports in 0.1 s, runs a packed
batch of many sentences per call at 2-3x numpy's speed on the same weights,
and its threads sleep instead of spinning (measured; see the README).

The graph is written here with ``onnx.helper`` because no library exports a
GGUF file to ONNX without torch. It scores, it does not only generate:

- inputs ``input_ids``/``positions`` [T] of *packed* sequences (many sentences
  in one row), ``bias`` [T, P+T] an additive attention mask (0 or -1e9) that
  says which earlier tokens each token sees, ``targets`` [T] the token whose
  log-probability to return at each position, and ``past_key.i`` /
  ``past_value.i`` [kv_heads, P, head_dim] for every layer (P may be 0);
- outputs ``logprobs`` [T], ``logits`` [T, vocab] and their log normaliser
  [T] (fetched only where other next tokens are wanted), ``best`` [T] (the most
  likely next token, for greedy generation) and ``present_key.i`` /
  ``present_value.i`` (past + new).

So a shared prompt is evaluated once and reused by every sentence, and a
deletion test re-evaluates only the few tokens after the deleted word on top
of the sentence's cached keys and values (``tq.models.lm``).

Weights are stored as int8 blocks of 32 and multiplied by onnxruntime's int8
kernels (activations rounded per block), as llama.cpp's Q8 kernels do. Measured
on the demo article (2 cores): float32 weights peaked at 1.0 GB, int8 at
0.67 GB, and int8 was 1.1x faster; against float32, int8 moves a token's
log-probability by 0.08 nats on average (llama.cpp's Q4_1 kernels: 0.07), and
the fluency benchmark's AUCs stay within 0.005 of llama.cpp's. The file's exact
Q4_1 blocks through onnxruntime's 4-bit kernels ran at 0.65x float32's speed.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .hub import ModelUnavailable

CONVERTER_VERSION = 4
BLOCK = 32  # weights per int8 block, as in the GGUF's own Q4_1 and Q8_0 blocks
SUPPORTED_PRE_TOKENIZERS = {"smollm", "gpt2", "default", "starcoder", "refact"}


def _field(reader, key: str, default=None):
    found = reader.fields.get(key)
    return default if found is None else found.contents()


def convert_gguf(gguf_path: Path, folder: Path) -> None:
    """Write ``model.onnx`` (+ ``model.weights``), ``tokenizer.json`` and ``config.json`` into ``folder``."""
    try:
        import gguf
        import onnx  # noqa: F401 (checked before the slow read)
    except ImportError as exc:
        raise ModelUnavailable(f"converting {gguf_path.name} needs the packages gguf and onnx (pip install 'tq[lm]'): {exc}") from None
    reader = gguf.GGUFReader(str(gguf_path))
    arch = _field(reader, "general.architecture")
    if arch != "llama":
        raise ModelUnavailable(f"{gguf_path.name}: a {arch!r} model; tq runs Llama-architecture GGUF files "
                               "(SmolLM, SmolLM2, Llama); use a Hugging Face id for others")
    tensors = {t.name: t for t in reader.tensors}

    def weight(name: str) -> np.ndarray:
        tensor = tensors[name]
        return np.ascontiguousarray(gguf.quants.dequantize(tensor.data, tensor.tensor_type), dtype=np.float32)

    config = {
        "layers": int(_field(reader, "llama.block_count")),
        "hidden": int(_field(reader, "llama.embedding_length")),
        "heads": int(_field(reader, "llama.attention.head_count")),
        "ffn": int(_field(reader, "llama.feed_forward_length")),
        "eps": float(_field(reader, "llama.attention.layer_norm_rms_epsilon", 1e-5)),
        "rope_base": float(_field(reader, "llama.rope.freq_base", 10000.0)),
        "max_positions": int(_field(reader, "llama.context_length", 2048)),
    }
    config["kv_heads"] = int(_field(reader, "llama.attention.head_count_kv", config["heads"]))
    config["head_dim"] = config["hidden"] // config["heads"]
    _write_tokenizer(reader, gguf_path, folder, config)
    model = _graph(config, weight, "output.weight" in tensors,
                   weight("rope_freqs.weight") if "rope_freqs.weight" in tensors else None)
    import onnx

    onnx.save_model(model, str(folder / "model.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.weights", size_threshold=1024)
    (folder / "config.json").write_text(json.dumps(config, indent=1), "utf-8")


def _write_tokenizer(reader, gguf_path: Path, folder: Path, config: dict) -> None:
    """The GGUF's byte-level BPE vocabulary as a Hugging Face ``tokenizers`` file (same ids as llama.cpp)."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    kind, pre = _field(reader, "tokenizer.ggml.model"), _field(reader, "tokenizer.ggml.pre", "default")
    if kind != "gpt2" or pre not in SUPPORTED_PRE_TOKENIZERS:
        raise ModelUnavailable(f"{gguf_path.name}: its {kind}/{pre} tokenizer is not supported "
                               "(byte-level BPE like SmolLM's is); use a Hugging Face id instead")
    tokens = list(_field(reader, "tokenizer.ggml.tokens"))
    merges = [tuple(m.split(" ", 1)) for m in _field(reader, "tokenizer.ggml.merges")]
    types = list(_field(reader, "tokenizer.ggml.token_type", [1] * len(tokens)))
    tokenizer = Tokenizer(models.BPE(vocab={t: i for i, t in enumerate(tokens)}, merges=merges))
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    # llama.cpp's smollm/starcoder/refact pre-tokenizers split digits one by one before the GPT-2 pattern
    tokenizer.pre_tokenizer = byte_level if pre in ("gpt2", "default") else pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), byte_level])
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens([AddedToken(t, special=True) for t, kind_ in zip(tokens, types) if kind_ == 3])
    tokenizer.save(str(folder / "tokenizer.json"))
    # tokens that hold part of a character's UTF-8 bytes (a rare letter, a zero-width space): they carry
    # no characters of their own (see OnnxLM._encode)
    partial = [i for i in range(len(tokens)) if "\ufffd" in tokenizer.decode([i])]
    config.update(vocab=len(tokens), partial_tokens=partial, bos=_field(reader, "tokenizer.ggml.bos_token_id"),
                  eos=_field(reader, "tokenizer.ggml.eos_token_id"),
                  add_bos=bool(_field(reader, "tokenizer.ggml.add_bos_token", False)))


def _graph(config: dict, weight, separate_head: bool, rope_factors: np.ndarray | None):
    """The scoring graph described in the module docstring."""
    from onnx import TensorProto, helper, numpy_helper

    layers, hidden, heads, kv_heads, head_dim, ffn = (config[k] for k in ("layers", "hidden", "heads", "kv_heads", "head_dim", "ffn"))
    initializers, nodes, counter = [], [], [0]

    def constant(name: str, value) -> str:
        initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(kind: str, inputs: list[str], outputs: list[str] | None = None, **attributes):
        counter[0] += 1
        outputs = outputs or [f"{kind.lower()}_{counter[0]}"]
        nodes.append(helper.make_node(kind, inputs, outputs, **attributes))
        return outputs[0] if len(outputs) == 1 else outputs

    inv_freq = 1.0 / config["rope_base"] ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    if rope_factors is not None:  # Llama 3's long-context frequency factors
        inv_freq = inv_freq / rope_factors.astype(np.float64)
    constant("inv_freq", inv_freq.astype(np.float32)[None, :])
    constant("eps", np.array(config["eps"], np.float32))
    constant("scale", np.array(1.0 / np.sqrt(head_dim), np.float32))
    constant("shape_q", np.array([0, heads, head_dim], np.int64))
    constant("shape_kv", np.array([0, kv_heads, head_dim], np.int64))
    constant("shape_groups", np.array([kv_heads, heads // kv_heads, -1, head_dim], np.int64))
    constant("shape_hidden", np.array([-1, hidden], np.int64))
    constant("axis_1", np.array([1], np.int64))
    constant("axis_last", np.array([-1], np.int64))
    constant("split_qkv", np.array([heads * head_dim, kv_heads * head_dim, kv_heads * head_dim], np.int64))
    constant("split_ffn", np.array([ffn, ffn], np.int64))
    constant("split_half", np.array([head_dim // 2, head_dim // 2], np.int64))
    embedding = constant("embedding", weight("token_embd.weight"))

    angles = op("Mul", [op("Unsqueeze", [op("Cast", ["positions"], to=TensorProto.FLOAT), "axis_1"]), "inv_freq"])
    cos, sin = op("Cos", [angles]), op("Sin", [angles])
    cos, sin = op("Concat", [cos, cos], axis=-1), op("Concat", [sin, sin], axis=-1)

    def rms_norm(x: str, gain: str) -> str:
        mean_square = op("ReduceMean", [op("Mul", [x, x]), "axis_last"], keepdims=1)
        return op("Mul", [op("Div", [x, op("Sqrt", [op("Add", [mean_square, "eps"])])]), gain])

    def rotate(x: str) -> str:  # x: heads x T x head_dim, rotate-half layout (see _rotate_half_rows)
        first, second = op("Split", [x, "split_half"], outputs=[f"rot_a{counter[0]}", f"rot_b{counter[0]}"], axis=-1)
        return op("Add", [op("Mul", [x, cos]), op("Mul", [op("Concat", [op("Neg", [second]), first], axis=-1), sin])])

    shapes: dict[str, tuple[int, int]] = {}

    def linear(name: str, w: np.ndarray) -> None:
        """A weight [out, in] for ``matmul``: int8 blocks of 32 (see ``_int8_blocks``)."""
        shapes[name] = (w.shape[1], w.shape[0])
        codes, scales, zeros = _int8_blocks(w)
        constant(f"{name}.codes", codes)
        constant(f"{name}.scales", scales)
        constant(f"{name}.zeros", zeros)

    def matmul(x: str, name: str) -> str:
        """x @ weight.T by onnxruntime's block-quantised kernel, activations rounded to int8 per block (level 4)."""
        inputs, outputs = shapes[name]
        return op("MatMulNBits", [x, f"{name}.codes", f"{name}.scales", f"{name}.zeros"], domain="com.microsoft",
                  K=inputs, N=outputs, bits=8, block_size=BLOCK, accuracy_level=4)

    def by_heads(x: str, shape: str) -> str:
        return op("Transpose", [op("Reshape", [x, shape])], perm=[1, 0, 2])

    x = op("Gather", [embedding, "input_ids"])
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["T"]),
              helper.make_tensor_value_info("positions", TensorProto.INT64, ["T"]),
              helper.make_tensor_value_info("bias", TensorProto.FLOAT, ["T", "S"]),
              helper.make_tensor_value_info("targets", TensorProto.INT64, ["T"])]
    presents = []
    for i in range(layers):
        def w(name: str, i: int = i) -> np.ndarray:
            return weight(f"blk.{i}.{name}.weight")

        qkv = np.concatenate([_rotate_half_rows(w("attn_q"), heads, head_dim),
                              _rotate_half_rows(w("attn_k"), kv_heads, head_dim), w("attn_v")])
        linear(f"l{i}.qkv", qkv)
        linear(f"l{i}.out", w("attn_output"))
        linear(f"l{i}.gate_up", np.concatenate([w("ffn_gate"), w("ffn_up")]))
        linear(f"l{i}.down", w("ffn_down"))
        constant(f"l{i}.attn_norm", w("attn_norm"))
        constant(f"l{i}.ffn_norm", w("ffn_norm"))
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_{kind}.{i}", TensorProto.FLOAT, [kv_heads, "P", head_dim]))
            presents.append(helper.make_tensor_value_info(f"present_{kind}.{i}", TensorProto.FLOAT, [kv_heads, "S", head_dim]))

        q, k, v = op("Split", [matmul(rms_norm(x, f"l{i}.attn_norm"), f"l{i}.qkv"), "split_qkv"],
                     outputs=[f"l{i}.q", f"l{i}.k", f"l{i}.v"], axis=-1)
        q, k, v = rotate(by_heads(q, "shape_q")), rotate(by_heads(k, "shape_kv")), by_heads(v, "shape_kv")
        keys = op("Concat", [f"past_key.{i}", k], outputs=[f"present_key.{i}"], axis=1)
        values = op("Concat", [f"past_value.{i}", v], outputs=[f"present_value.{i}"], axis=1)
        # grouped-query attention by broadcasting: kv_heads x groups x T x S
        scores = op("MatMul", [op("Reshape", [q, "shape_groups"]), op("Unsqueeze", [op("Transpose", [keys], perm=[0, 2, 1]), "axis_1"])])
        weights_ = op("Softmax", [op("Add", [op("Mul", [scores, "scale"]), "bias"])], axis=-1)
        attended = op("MatMul", [weights_, op("Unsqueeze", [values, "axis_1"])])
        attended = op("Reshape", [op("Transpose", [op("Reshape", [attended, "shape_groups"])], perm=[2, 0, 1, 3]), "shape_hidden"])
        x = op("Add", [x, matmul(attended, f"l{i}.out")])
        gate, up = op("Split", [matmul(rms_norm(x, f"l{i}.ffn_norm"), f"l{i}.gate_up"), "split_ffn"],
                      outputs=[f"l{i}.gate", f"l{i}.up"], axis=-1)
        x = op("Add", [x, matmul(op("Mul", [op("Mul", [gate, op("Sigmoid", [gate])]), up]), f"l{i}.down")])

    constant("output_norm", weight("output_norm.weight"))
    linear("head", weight("output.weight") if separate_head else weight("token_embd.weight"))  # tied embeddings
    logits = matmul(rms_norm(x, "output_norm"), "head")
    # log p(target) = logit(target) - logsumexp(logits): no [T, vocab] log-softmax is materialised
    target_logits = op("Squeeze", [op("GatherElements", [logits, op("Unsqueeze", ["targets", "axis_1"])], axis=1), "axis_1"])
    normaliser = op("ReduceLogSumExp", [logits, "axis_last"], outputs=["normaliser"], keepdims=0)
    op("Sub", [target_logits, normaliser], outputs=["logprobs"])
    op("Identity", [logits], outputs=["logits"])
    op("ArgMax", [logits], outputs=["best"], axis=-1, keepdims=0)
    outputs = [helper.make_tensor_value_info("logprobs", TensorProto.FLOAT, ["T"]),
               helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["T", config["vocab"]]),
               helper.make_tensor_value_info("normaliser", TensorProto.FLOAT, ["T"]),
               helper.make_tensor_value_info("best", TensorProto.INT64, ["T"]), *presents]
    graph = helper.make_graph(nodes, "llama", inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("com.microsoft", 1)],
                              producer_name="tq")
    model.ir_version = 8  # readable by every onnxruntime since 1.14
    return model


def _int8_blocks(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """[out, in] float weights as onnxruntime's 8-bit blocks: codes [out, in/32, 32], a scale and a zero
    point per block, w = scale * (code - zero). Each block's range (with 0) spans the 256 codes, so a
    Q4_1 or Q8_0 weight moves by at most 1/34 of its own quantisation step."""
    rows, columns = weight.shape
    padded = np.pad(weight, ((0, 0), (0, -columns % BLOCK)))  # the kernel reads a last partial block as zeros
    blocks = padded.reshape(rows, -1, BLOCK).astype(np.float64)
    low, high = np.minimum(blocks.min(axis=-1), 0), np.maximum(blocks.max(axis=-1), 0)
    scale = np.where(high > low, (high - low) / 255, 1.0)
    zero = np.clip(np.round(-low / scale), 0, 255)
    codes = np.clip(np.round(blocks / scale[..., None] + zero[..., None]), 0, 255)
    return codes.astype(np.uint8), scale.astype(np.float32).reshape(-1), zero.astype(np.uint8).reshape(-1)


def _rotate_half_rows(weight: np.ndarray, heads: int, head_dim: int) -> np.ndarray:
    """GGUF stores Llama's query/key rows for llama.cpp's interleaved rotary pairs (0,1), (2,3)…;
    reordering each head's rows to 0,2,4…,1,3,5… gives the rotate-half pairs (i, i + head_dim/2)
    that the graph applies. Queries and keys are reordered alike, so their dot products are unchanged."""
    order = np.concatenate([np.arange(0, head_dim, 2), np.arange(1, head_dim, 2)])
    return weight.reshape(heads, head_dim, -1)[:, order].reshape(heads * head_dim, -1)
