"""Encoder-decoder transformers (Whisper): parameters, cross-attention cache, FLOPs per request.

The encoder runs once per request over encoder_tokens positions (Whisper: 1500 frames for 30 s
of audio, after two convolutions over num_mel_bins mel channels); the decoder then generates
tokens with self-attention over its own tokens and cross-attention over the encoder output.
Formulas: docs/methodology.md#encoder-decoder-models.  Pure functions; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from inferx.profiles import ModelRecord


@dataclass(frozen=True)
class Seq2SeqParams:
    """Parameter counts of an encoder-decoder, split by side and by how they are stored."""

    encoder_linear: float  # encoder attention + MLP weights
    decoder_linear: float  # decoder self-attention, cross-attention and MLP weights
    embeddings: float  # token embedding (tied output head) + both positional tables
    other: float  # convolution front end, layer norms
    cross_kv_per_layer: float  # cross-attention K and V projections of one decoder layer

    @property
    def total(self) -> float:
        return self.encoder_linear + self.decoder_linear + self.embeddings + self.other


def seq2seq_params(m: ModelRecord) -> Seq2SeqParams:
    """Whisper layout (biases aside): per encoder layer 4·d² attention + 2·d·i_enc MLP; per
    decoder layer 4·d² self-attention + 4·d² cross-attention + 2·d·i MLP; token embedding
    vocab·d (tied to the output head); positional tables (encoder_tokens + max_context)·d;
    conv front end 3·mels·d + 3·d·d; two norms per encoder layer, three per decoder layer."""
    d = m.hidden_size or 0
    enc_i = m.encoder_intermediate_size or m.intermediate_size or 0
    dec_i = m.intermediate_size or 0
    enc_layers, dec_layers = m.encoder_layers or 0, m.num_layers or 0
    encoder = enc_layers * (4 * d * d + 2 * d * enc_i)
    decoder = dec_layers * (8 * d * d + 2 * d * dec_i)
    positions = (m.encoder_tokens or 0) + (m.max_context_tokens or 0)
    embeddings = (m.vocab_size or 0) * d * (1 if m.tie_word_embeddings else 2) + positions * d
    conv = 3 * (m.num_mel_bins or 0) * d + 3 * d * d
    norms = 2 * (2 * enc_layers + 3 * dec_layers + 2) * d
    return Seq2SeqParams(encoder_linear=float(encoder), decoder_linear=float(decoder),
                         embeddings=float(embeddings), other=float(conv + norms),
                         cross_kv_per_layer=float(2 * d * d))


def cross_kv_bytes_per_sequence(m: ModelRecord, *, kv_bytes_per_element: float) -> float:
    """Cross-attention cache of one request: the encoder output projected to K and V in every
    decoder layer, kept for the whole generation: layers · 2 · d · encoder_tokens · bytes."""
    return ((m.num_layers or 0) * 2 * (m.hidden_size or 0) * (m.encoder_tokens or 0)
            * kv_bytes_per_element)


@dataclass(frozen=True)
class Seq2SeqFlops:
    """FLOPs of one request: the encoder pass and the decoder's generation."""

    encoder: float
    decoder: float

    @property
    def total(self) -> float:
        return self.encoder + self.decoder


def request_flops(m: ModelRecord, *, output_tokens: int, encoder_tokens: int | None = None
                  ) -> Seq2SeqFlops:
    """FLOPs to transcribe one request of T_e encoder positions into N output tokens:

        encoder = 2·encoder_linear·T_e + 4·d·T_e²·L_enc (bidirectional scores and values)
                  + conv front end 2·3·d·(mels·2·T_e + d·T_e) (stride-1 conv over 2·T_e frames,
                  stride-2 conv down to T_e)
        decoder = N · (2·(decoder_linear − L_dec·cross_kv) + 2·vocab·d)
                  + 2·L_dec·cross_kv·T_e (cross K/V projected once)
                  + Σ_t 4·d·(t + T_e)·L_dec (self- and cross-attention scores and values)
    """
    p = seq2seq_params(m)
    t_e = encoder_tokens if encoder_tokens is not None else (m.encoder_tokens or 0)
    d = m.hidden_size or 0
    enc_layers, dec_layers = m.encoder_layers or 0, m.num_layers or 0
    mels = m.num_mel_bins or 0
    conv = 2 * 3 * d * (mels * 2 * t_e + d * t_e)
    encoder = 2 * p.encoder_linear * t_e + 4 * d * t_e * t_e * enc_layers + conv
    n = output_tokens
    per_token_linear = 2 * (p.decoder_linear - dec_layers * p.cross_kv_per_layer)
    head = 2 * (m.vocab_size or 0) * d
    cross_kv = 2 * dec_layers * p.cross_kv_per_layer * t_e
    attention = 4 * d * dec_layers * (n * (n - 1) / 2 + n * t_e)
    decoder = n * (per_token_linear + head) + cross_kv + attention
    return Seq2SeqFlops(encoder=float(encoder), decoder=float(decoder))


def weights_bytes(m: ModelRecord, *, bytes_per_weight: float, rest_bytes: float = 2.0) -> float:
    """Stored weights: linear layers at the scheme's bytes per weight, embeddings, convolutions
    and norms at rest_bytes (16-bit)."""
    p = seq2seq_params(m)
    return ((p.encoder_linear + p.decoder_linear) * bytes_per_weight
            + (p.embeddings + p.other) * rest_bytes)
