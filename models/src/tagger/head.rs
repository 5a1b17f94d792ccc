//! A tagger head: its own trained upper layers (none when stacked on another head's) and the
//! linear layer to the 7 BIO tags.

use crate::split::Upper;
use tch::{nn, nn::Module, Device, Tensor};

/// A head: its own upper layers (or, stacked, none: it reads the upper layers of the first
/// head of its tagger) and a linear layer to the 7 tags.
pub(crate) struct Top {
    pub(crate) vs: nn::VarStore,
    pub(crate) upper: Option<Upper>,
    pub(crate) head: nn::Linear,
    /// Added to the tag log-probabilities before decoding ([`HeadConfig::prior`]).
    pub(crate) prior: [f32; 7],
}

impl Top {
    pub(crate) fn new(config: &rust_bert::bert::BertConfig, split: usize, stacked: bool) -> Self {
        let vs = nn::VarStore::new(Device::Cpu);
        let root = vs.root();
        let upper = (!stacked).then(|| Upper::new(&root, config, split));
        let head = nn::linear(&root / "tagger", config.hidden_size, 7, Default::default());
        Top {
            vs,
            upper,
            head,
            prior: [0.0; 7],
        }
    }

    /// The upper layers' states for lower states `h`, or `None` for a stacked head (it reads
    /// the states of the head it was trained on).
    pub(crate) fn upper(&self, h: &Tensor, mask: &Tensor, train: bool) -> Option<Tensor> {
        self.upper.as_ref().map(|u| u.forward_t(h, mask, train))
    }

    /// Tag logits from upper states.
    pub(crate) fn classify(&self, u: &Tensor, train: bool) -> Tensor {
        self.head.forward(&u.dropout(0.1, train))
    }
}
