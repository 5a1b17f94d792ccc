//! One BERT encoder layer on libtorch's fused kernels, with rust-bert's `BertLayer`
//! variable names, so the same checkpoints (the base package, the shipped heads) load into it.
//!
//! Why not rust-bert's `BertLayer` itself: it computes attention as separate
//! scale / matmul / mask-add / softmax / matmul tensors and GELU as five elementwise
//! operations, each allocating a `[batch, len, 1536]` tensor. libtorch's
//! `scaled_dot_product_attention` (a fused flash-attention kernel on CPU) and its native
//! `gelu` do the same arithmetic in one pass each. On this project's 2-core AMX machine one
//! layer over a batch of 16 windows of 258 wordpieces took 105 ms through `BertLayer` and
//! 39 ms here in bfloat16 (137 / 80 ms in float32; attention 42 → 13 ms, GELU 10 → 2.5 ms),
//! measured with
//! `cargo run --release -p claimex-models --example layer_speed`. The arithmetic is the same:
//! the `matches_rust_bert_layer` test checks both on the same weights (float32, to 1e-4).
//!
//! Invariants: hidden states are `[batch, len, hidden]`; the mask is the additive
//! `[batch, 1, 1, len]` mask of [`crate::split::extended_mask`], of the states' kind.

use rust_bert::bert::BertConfig;
use tch::nn::{self, Module};
use tch::Tensor;

/// A BERT encoder layer (post-LayerNorm, GELU), built under `p` with the names
/// `attention.self.{query,key,value}`, `attention.output.{dense,LayerNorm}`,
/// `intermediate.dense`, `output.{dense,LayerNorm}`.
#[derive(Debug)]
pub struct Layer {
    query: nn::Linear,
    key: nn::Linear,
    value: nn::Linear,
    attention_dense: nn::Linear,
    attention_norm: nn::LayerNorm,
    intermediate: nn::Linear,
    output: nn::Linear,
    output_norm: nn::LayerNorm,
    heads: i64,
    attention_dropout: f64,
    hidden_dropout: f64,
}

impl Layer {
    /// Creates the layer's variables under `p` (e.g. `root / "encoder" / "layer" / 2`).
    pub fn new(p: &nn::Path, config: &BertConfig) -> Self {
        let h = config.hidden_size;
        let lin = |q: nn::Path, i, o| nn::linear(q, i, o, Default::default());
        let norm = |q: nn::Path| {
            nn::layer_norm(
                q,
                vec![h],
                nn::LayerNormConfig {
                    eps: 1e-12,
                    ..Default::default()
                },
            )
        };
        let s = p / "attention" / "self";
        Layer {
            query: lin(&s / "query", h, h),
            key: lin(&s / "key", h, h),
            value: lin(&s / "value", h, h),
            attention_dense: lin(p / "attention" / "output" / "dense", h, h),
            attention_norm: norm(p / "attention" / "output" / "LayerNorm"),
            intermediate: lin(p / "intermediate" / "dense", h, config.intermediate_size),
            output: lin(p / "output" / "dense", config.intermediate_size, h),
            output_norm: norm(p / "output" / "LayerNorm"),
            heads: config.num_attention_heads,
            attention_dropout: config.attention_probs_dropout_prob,
            hidden_dropout: config.hidden_dropout_prob,
        }
    }

    /// The layer's output for hidden states `h` and additive mask `ext` (see the module
    /// doc); dropout only when `train`.
    pub fn forward_t(&self, h: &Tensor, ext: &Tensor, train: bool) -> Tensor {
        let (b, len, hidden) = h.size3().expect("hidden states are [batch, len, hidden]");
        let per_head = hidden / self.heads;
        let split = |x: Tensor| x.view([b, len, self.heads, per_head]).transpose(1, 2);
        let q = split(self.query.forward(h));
        let k = split(self.key.forward(h));
        let v = split(self.value.forward(h));
        let dropout = if train { self.attention_dropout } else { 0.0 };
        let context = Tensor::scaled_dot_product_attention(
            &q,
            &k,
            &v,
            Some(ext),
            dropout,
            false,
            None::<f64>,
        )
        .transpose(1, 2)
        .reshape([b, len, hidden]);
        let a = (self
            .attention_dense
            .forward(&context)
            .dropout(self.hidden_dropout, train)
            + h)
            .apply(&self.attention_norm);
        let i = self.intermediate.forward(&a).gelu("none");
        (self.output.forward(&i).dropout(self.hidden_dropout, train) + &a).apply(&self.output_norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_bert::bert::BertLayer;
    use tch::{Device, Kind};

    /// Same weights (the base checkpoint's layer 2), same input: rust-bert's `BertLayer` and
    /// this layer agree in float32, also on padded positions' neighbours.
    #[test]
    fn matches_rust_bert_layer() {
        let Some(base) = crate::installed_base() else {
            return;
        };
        let config = crate::split::base_config(&base).unwrap();
        let mut theirs = nn::VarStore::new(Device::Cpu);
        let mut mine = nn::VarStore::new(Device::Cpu);
        let reference = BertLayer::new(theirs.root() / "encoder" / "layer" / 2, &config);
        let ours = Layer::new(&(mine.root() / "encoder" / "layer" / 2), &config);
        for vs in [&mut theirs, &mut mine] {
            let missing = vs.load_partial(base.join("model.safetensors")).unwrap();
            assert!(missing.is_empty(), "missing {missing:?}");
        }
        tch::manual_seed(7);
        let h = Tensor::randn([3, 11, config.hidden_size], (Kind::Float, Device::Cpu));
        let mask = Tensor::from_slice2(&[[1i64; 11], [1; 11], [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]]);
        let ext = crate::split::extended_mask(&mask, Kind::Float);
        let (r, o) = tch::no_grad(|| {
            (
                reference
                    .forward_t(&h, Some(&ext), None, None, false)
                    .hidden_state,
                ours.forward_t(&h, &ext, false),
            )
        });
        let diff = (&r - &o).abs().max().double_value(&[]);
        assert!(diff < 1e-4, "max difference {diff}");
        assert!(
            r.abs().max().double_value(&[]) > 0.1,
            "a layer that outputs zeros"
        );
    }
}
