//! The training recipes `claimex train` runs, by name, with their defaults: the one place a
//! recipe's defaults live (the CLI passes only what the user set).

use crate::error::{ModelError, ModelErrorKind};
use crate::tagger::train::TrainConfig;
use crate::train::Progress;
use std::path::{Path, PathBuf};

/// A model `claimex train` trains, with its data layout and defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recipe {
    /// The check-worthiness scorer on CheckThat! 2024 English (`--data`: its folder).
    Checkworthiness,
    /// The attribution tagger on PolNeAR folders and corrections (`--data` repeats).
    Attribution,
    /// The entity tagger alone on GUM (`--data`: the gum/ folder).
    Entities,
    /// Attribution and the entity head stacked on its layers, trained together (`--data`:
    /// the folder holding polnear/ and gum/).
    Taggers,
    /// Only the entity head's linear layer, on GUM, over the shipped attribution tagger's
    /// frozen layers (`--data`: the gum/ folder).
    EntityHead,
}

/// What a caller changes of a recipe; `None` keeps the recipe's default.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// Epochs (default 3 for every recipe).
    pub epochs: Option<usize>,
    /// Token taggers: layers below this stay frozen.
    pub split: Option<usize>,
    /// Token taggers: continue training this trained model.
    pub init: Option<PathBuf>,
    /// Token taggers: peak learning rate.
    pub lr: Option<f64>,
    /// `taggers`: passes over GUM per epoch.
    pub repeat: Option<usize>,
}

/// Epochs of every recipe unless overridden.
pub const EPOCHS: usize = 3;

impl Recipe {
    /// The recipe's name, as `claimex train` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Recipe::Checkworthiness => "checkworthiness",
            Recipe::Attribution => "attribution",
            Recipe::Entities => "entities",
            Recipe::Taggers => "taggers",
            Recipe::EntityHead => "entity-head",
        }
    }

    /// The token tagger settings of this recipe with `o` applied (`None` for
    /// check-worthiness, which is no token tagger).
    pub fn tagger_config(self, o: &Overrides) -> Option<TrainConfig> {
        (self != Recipe::Checkworthiness).then(|| self.tagger(o))
    }

    /// [`Recipe::tagger_config`] of every recipe; check-worthiness gets the plain defaults,
    /// which nothing reads.
    fn tagger(self, o: &Overrides) -> TrainConfig {
        let d = TrainConfig {
            epochs: o.epochs.unwrap_or(EPOCHS),
            init: o.init.clone(),
            ..Default::default()
        };
        match self {
            Recipe::Checkworthiness => d,
            Recipe::Attribution | Recipe::Taggers => TrainConfig {
                split: o.split.unwrap_or(d.split),
                lr: o.lr.unwrap_or(d.lr),
                ..d
            },
            Recipe::Entities => TrainConfig {
                split: o.split.unwrap_or(d.split),
                roles: crate::entities::ROLES,
                // GUM is small (~100k wordpieces): smaller batches give more steps
                batch: 8,
                lr: o.lr.unwrap_or(2e-4),
                ..d
            },
            // the layers are the shipped tagger's: only the head learns, at a head's rate
            Recipe::EntityHead => TrainConfig {
                lr: o.lr.unwrap_or(1e-3),
                roles: crate::entities::ROLES,
                ..d
            },
        }
    }

    /// Which overrides the recipe takes, as an error naming the first it does not.
    fn check(self, data: &[PathBuf], o: &Overrides) -> Result<(), ModelError> {
        let refuse = |msg: &str| Err(ModelError::new(ModelErrorKind::Config, msg));
        if self != Recipe::Attribution && data.len() != 1 {
            return refuse("only `train attribution` takes more than one --data");
        }
        match self {
            Recipe::Checkworthiness
                if o.split.is_some() || o.init.is_some() || o.lr.is_some() || o.repeat.is_some() =>
            {
                refuse("--split, --init, --lr and --repeat apply to the token taggers only")
            }
            Recipe::Attribution | Recipe::Entities if o.repeat.is_some() => {
                refuse("--repeat applies to `taggers` only")
            }
            Recipe::EntityHead if o.split.is_some() || o.repeat.is_some() => refuse(
                "--split and --repeat do not apply to `entity-head` (the layers are the shipped attribution tagger's)",
            ),
            _ => Ok(()),
        }
    }

    /// Trains the recipe's model on `data` into `out` over the base encoder in `base`, and
    /// returns the summary line of the kept epoch.
    ///
    /// # Errors
    /// [`ModelErrorKind::Config`] for an override the recipe does not take or a missing data
    /// folder; else what the training loop returns (missing data or base files, a failed
    /// step).
    pub fn run(
        self,
        base: &Path,
        data: &[PathBuf],
        out: &Path,
        o: &Overrides,
        progress: Progress,
    ) -> Result<String, ModelError> {
        for d in data {
            if !d.exists() {
                return Err(ModelError::new(
                    ModelErrorKind::Config,
                    format!(
                        "no training data at {} (the data lives in ../shared/data; it is never committed)",
                        d.display()
                    ),
                ));
            }
        }
        self.check(data, o)?;
        let first = data[0].as_path();
        match self {
            Recipe::Checkworthiness => {
                let tc = crate::checkworthiness::TrainConfig {
                    epochs: o.epochs.unwrap_or(EPOCHS),
                    ..Default::default()
                };
                crate::checkworthiness::train(base, first, out, &tc, progress)
            }
            Recipe::Attribution => {
                crate::attribution::train_mixed(base, data, out, &self.tagger(o), progress)
            }
            Recipe::Taggers => {
                let repeat = o.repeat.unwrap_or(crate::entities::JOINT_REPEAT);
                crate::entities::train_joint(base, first, out, &self.tagger(o), repeat, progress)
            }
            Recipe::Entities => crate::entities::train(base, first, out, &self.tagger(o), progress),
            Recipe::EntityHead => {
                let under = crate::checkworthiness::default_model_dir("attribution");
                crate::entities::train_head(base, first, &under, out, &self.tagger(o), progress)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides_per_recipe() {
        let none = Overrides::default();
        let a = Recipe::Attribution.tagger_config(&none).unwrap();
        assert_eq!((a.epochs, a.split, a.batch, a.lr), (3, 2, 16, 1e-4));
        let e = Recipe::Entities.tagger_config(&none).unwrap();
        assert_eq!((e.batch, e.lr, e.roles), (8, 2e-4, crate::entities::ROLES));
        let h = Recipe::EntityHead.tagger_config(&none).unwrap();
        assert_eq!(h.lr, 1e-3);
        assert!(Recipe::Checkworthiness.tagger_config(&none).is_none());
        let o = Overrides {
            epochs: Some(7),
            lr: Some(5e-5),
            split: Some(0),
            ..Default::default()
        };
        let t = Recipe::Taggers.tagger_config(&o).unwrap();
        assert_eq!((t.epochs, t.lr, t.split), (7, 5e-5, 0));
    }

    #[test]
    fn overrides_a_recipe_does_not_take_are_refused() {
        let one = [PathBuf::from(".")];
        let two = [PathBuf::from("."), PathBuf::from(".")];
        let repeat = Overrides {
            repeat: Some(2),
            ..Default::default()
        };
        let split = Overrides {
            split: Some(1),
            ..Default::default()
        };
        for (recipe, data, o, refused) in [
            (Recipe::Attribution, &two[..], &Overrides::default(), false),
            (Recipe::Taggers, &two[..], &Overrides::default(), true),
            (Recipe::Attribution, &one[..], &repeat, true),
            (Recipe::Taggers, &one[..], &repeat, false),
            (Recipe::Checkworthiness, &one[..], &split, true),
            (Recipe::EntityHead, &one[..], &split, true),
            (Recipe::Entities, &one[..], &split, false),
        ] {
            let r = recipe.check(data, o);
            assert_eq!(r.is_err(), refused, "{recipe:?} {o:?}");
            if let Err(e) = r {
                assert_eq!(e.kind(), ModelErrorKind::Config);
            }
        }
    }
}
