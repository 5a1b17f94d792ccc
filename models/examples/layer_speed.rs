//! Times one BERT layer over a batch of 16 windows of 258 wordpieces: rust-bert's `BertLayer`
//! against [`claimex_models::layer::Layer`] on the same base weights, and the attention and
//! GELU parts of each. `F32=1` times float32 instead of bfloat16.
//!
//! `cargo run --release -p claimex-models --example layer_speed` (needs `make setup`).

use claimex_models::layer::Layer;
use claimex_models::split::{base_config, extended_mask};
use rust_bert::bert::BertLayer;
use std::time::Instant;
use tch::{nn, Device, Kind, Tensor};

/// Mean milliseconds of `f` over 10 runs.
fn time_ms(f: impl Fn() -> Tensor) -> f64 {
    let _warm = f();
    let t = Instant::now();
    for _ in 0..10 {
        let _ = f();
    }
    t.elapsed().as_secs_f64() * 100.0
}

fn main() {
    let base = claimex_models::default_base_dir();
    let config = base_config(&base).expect("run `make setup` first");
    let bf16 = std::env::var_os("F32").is_none();
    let kind = if bf16 { Kind::BFloat16 } else { Kind::Float };
    let mut theirs = nn::VarStore::new(Device::Cpu);
    let mut mine = nn::VarStore::new(Device::Cpu);
    let reference = BertLayer::new(theirs.root() / "encoder" / "layer" / 2, &config);
    let ours = Layer::new(&(mine.root() / "encoder" / "layer" / 2), &config);
    for vs in [&mut theirs, &mut mine] {
        vs.load_partial(base.join("model.safetensors"))
            .expect("base weights");
        if bf16 {
            vs.bfloat16();
        }
        vs.freeze();
    }
    tch::set_num_threads(std::thread::available_parallelism().map_or(1, |n| n.get()) as i32);
    let (b, len, heads, per_head) = (16i64, 258i64, 12i64, 32i64);
    let h = Tensor::randn([b, len, config.hidden_size], (Kind::Float, Device::Cpu)).to_kind(kind);
    let mask = Tensor::ones([b, len], (Kind::Int64, Device::Cpu));
    // a quarter of the windows are shorter, as at the end of articles
    let _ = mask.narrow(0, 0, 4).narrow(1, 200, 58).fill_(0);
    let ext = extended_mask(&mask, kind);
    let qkv = || Tensor::randn([b, heads, len, per_head], (Kind::Float, Device::Cpu)).to_kind(kind);
    let (q, k, v) = (qkv(), qkv(), qkv());
    let wide = Tensor::randn(
        [b, len, config.intermediate_size],
        (Kind::Float, Device::Cpu),
    )
    .to_kind(kind);
    tch::no_grad(|| {
        let r = reference
            .forward_t(&h, Some(&ext), None, None, false)
            .hidden_state;
        let o = ours.forward_t(&h, &ext, false);
        let d = (r - o).to_kind(Kind::Float).abs();
        println!(
            "{} batch [{b}, {len}]: max |difference| {:.2e}, mean {:.2e}",
            if bf16 { "bfloat16" } else { "float32" },
            d.max().double_value(&[]),
            d.mean(Kind::Float).double_value(&[])
        );
        let rows = [
            (
                "rust-bert BertLayer",
                time_ms(|| {
                    reference
                        .forward_t(&h, Some(&ext), None, None, false)
                        .hidden_state
                }),
            ),
            ("claimex Layer", time_ms(|| ours.forward_t(&h, &ext, false))),
            (
                "  attention, separate ops",
                time_ms(|| {
                    let s = (&q / (per_head as f64).sqrt()).matmul(&k.transpose(-1, -2)) + &ext;
                    s.softmax(-1, kind).matmul(&v)
                }),
            ),
            (
                "  attention, fused (sdpa)",
                time_ms(|| {
                    Tensor::scaled_dot_product_attention(
                        &q,
                        &k,
                        &v,
                        Some(&ext),
                        0.0,
                        false,
                        None::<f64>,
                    )
                }),
            ),
            (
                "  gelu, five ops",
                time_ms(|| &wide * 0.5 * (1.0 + (&wide / 2f64.sqrt()).erf())),
            ),
            ("  gelu, native", time_ms(|| wide.gelu("none"))),
        ];
        for (name, ms) in rows {
            println!(
                "{name:<28} {ms:7.1} ms  {:8.0} wordpieces/s",
                (b * len) as f64 / ms * 1e3
            );
        }
    });
}
