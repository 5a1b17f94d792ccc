//! Groups: the same claim made or reported in several articles of a batch.
//!
//! Two claims of different articles are the same when the cosine similarity of their
//! embeddings (the base encoder's mean-pooled sentence embedding of the standalone text, see
//! [`crate::document::Claim::embedding`]) reaches the threshold, or when their normalised
//! standalone texts are equal (claims without embeddings are grouped by this alone). A group
//! is a connected component of those links. Claims of one article are never linked
//! directly: a group says how many articles carry a claim, and an article repeating itself
//! (a headline restating the body) would only inflate it.
//!
//! **Bounded work.** No claim is compared with every other: random-hyperplane hashing
//! ([`TABLES`] tables of [`BITS`]-bit signatures, a fixed seed) puts similar embeddings in
//! the same bucket with high probability, and only claims sharing a bucket are compared, at
//! most [`WINDOW`] neighbours each in the bucket's (deterministic) order. Work is
//! `O(n · TABLES · WINDOW)` comparisons of 384 components, linear in the number of claims.
//!
//! **Stable ids.** Claims are ordered by (article id, span, text) before anything else, so
//! the input's file order and the thread count change nothing; a group's id is a hash of its
//! first member's article id and span, so it also survives adding unrelated articles.

use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Hash tables.
pub const TABLES: usize = 12;
/// Bits per signature.
pub const BITS: usize = 14;
/// Neighbours a claim is compared with in each bucket, at most.
pub const WINDOW: usize = 24;

/// One claim as grouping sees it.
#[derive(Clone, Debug)]
pub struct Item {
    /// The article's id.
    pub article: String,
    /// The claim's span in code points.
    pub start: usize,
    /// End of the span, exclusive.
    pub end: usize,
    /// The standalone text.
    pub text: String,
    /// The int8 embedding, when the record has one.
    pub embedding: Option<Vec<i8>>,
}

/// A group of two or more claims.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// `g` and 10 hex digits: stable for the same first member.
    pub id: String,
    /// Indices into the items given to [`group`], in the stable order.
    pub members: Vec<usize>,
    /// Index of the member most similar to the others (the representative text).
    pub representative: usize,
    /// Distinct articles among the members.
    pub articles: usize,
}

/// The result: every item's group (`None` for a claim alone) and the groups, largest first
/// (ties by id).
#[derive(Clone, Debug, Default)]
pub struct Grouping {
    /// Per item, the index of its group in `groups`.
    pub of: Vec<Option<usize>>,
    /// The groups.
    pub groups: Vec<Group>,
    /// Pairs of claims whose similarity was computed (the work done).
    pub compared: usize,
}

/// Lowercased words of `s`, joined by single spaces: what "the same text" means.
pub fn normalise(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cosine similarity of two int8 embeddings (0 when either is all zeros).
pub fn cosine(a: &[i8], b: &[i8]) -> f32 {
    let (mut d, mut na, mut nb) = (0i64, 0i64, 0i64);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (i64::from(x), i64::from(y));
        d += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0 || nb == 0 {
        0.0
    } else {
        (d as f64 / ((na as f64).sqrt() * (nb as f64).sqrt())) as f32
    }
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // the smaller index is the root: components are named by their first member
            let (lo, hi) = (a.min(b), a.max(b));
            self.0[hi] = lo;
        }
    }
}

/// A deterministic generator for the hyperplanes (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Roughly normal: the sum of four uniforms, centred.
    fn gauss(&mut self) -> f32 {
        (0..4)
            .map(|_| (self.next() >> 40) as f32 / (1u64 << 24) as f32)
            .sum::<f32>()
            - 2.0
    }
}

/// The random hyperplanes of every table for embeddings of one dimension: [`TABLES`] ×
/// [`BITS`] planes from a fixed seed, so a claim's signatures are the same in every batch,
/// process and machine (what lets an engine group a corpus in parts: `scripts/spark`).
pub struct Planes {
    dim: usize,
    planes: Vec<Vec<f32>>,
}

impl Planes {
    /// The planes for embeddings of `dim` components.
    pub fn new(dim: usize) -> Self {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let planes = (0..TABLES * BITS)
            .map(|_| (0..dim).map(|_| rng.gauss()).collect())
            .collect();
        Planes { dim, planes }
    }

    /// The number of components of the embeddings these planes hash.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The embedding's [`BITS`]-bit signature in each table (bit `b` set when the dot product
    /// with plane `b`, summed in component order in `f32`, is at least 0), or `None` when
    /// its dimension is not the planes'.
    pub fn signatures(&self, e: &[i8]) -> Option<[u32; TABLES]> {
        if e.len() != self.dim {
            return None;
        }
        let mut out = [0u32; TABLES];
        for (t, sig) in out.iter_mut().enumerate() {
            for b in 0..BITS {
                let p = &self.planes[t * BITS + b];
                let d: f32 = e.iter().zip(p).map(|(&x, &w)| f32::from(x) * w).sum();
                if d >= 0.0 {
                    *sig |= 1 << b;
                }
            }
        }
        Some(out)
    }
}

/// The dimension grouping hashes: that of the first item (in `order`) with an embedding.
pub fn common_dim(items: &[Item], order: &[usize]) -> Option<usize> {
    order
        .iter()
        .find_map(|&i| items[i].embedding.as_ref().map(Vec::len))
}

/// The hash buckets of every table, in a fixed order, each a list of ranks (positions in
/// `order`) in rank order; only items with an embedding of the common dimension are in one.
fn buckets(items: &[Item], order: &[usize]) -> Vec<Vec<usize>> {
    let Some(dim) = common_dim(items, order).filter(|&d| d > 0) else {
        return Vec::new();
    };
    let planes = Planes::new(dim);
    let sigs: Vec<Option<[u32; TABLES]>> = order
        .iter()
        .map(|&i| {
            items[i]
                .embedding
                .as_deref()
                .and_then(|e| planes.signatures(e))
        })
        .collect();
    let mut out = Vec::new();
    for t in 0..TABLES {
        let mut table: HashMap<u32, Vec<usize>> = HashMap::new();
        for (r, sig) in sigs.iter().enumerate() {
            if let Some(sig) = sig {
                table.entry(sig[t]).or_default().push(r);
            }
        }
        let mut keys: Vec<u32> = table.keys().copied().collect();
        keys.sort_unstable();
        out.extend(keys.into_iter().filter_map(|k| {
            let b = table.remove(&k).unwrap_or_default();
            (b.len() > 1).then_some(b)
        }));
    }
    out
}

/// Every pair of claims of different articles that the hashing puts side by side (what
/// [`group`] may compare), as item indices `(a, b)` with `a < b`, sorted, each once. For
/// choosing and checking the threshold (`claimex eval grouping`).
pub fn blocked_pairs(items: &[Item]) -> Vec<(usize, usize)> {
    let order = stable_order(items);
    let mut pairs = std::collections::BTreeSet::new();
    for bucket in buckets(items, &order) {
        for (i, &a) in bucket.iter().enumerate() {
            for &b in bucket.iter().skip(i + 1).take(WINDOW) {
                let (x, y) = (order[a], order[b]);
                if items[x].article != items[y].article {
                    pairs.insert((x.min(y), x.max(y)));
                }
            }
        }
    }
    pairs.into_iter().collect()
}

/// The stable order of `items`: by article id, span, then text.
pub fn stable_order(items: &[Item]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&items[a], &items[b]);
        (&x.article, x.start, x.end, &x.text).cmp(&(&y.article, y.start, y.end, &y.text))
    });
    order
}

/// Groups `items` (see the module documentation); `threshold` is the cosine similarity at
/// which two claims are the same.
pub fn group(items: &[Item], threshold: f32) -> Grouping {
    let order = stable_order(items);
    // rank[i]: position of item i in the stable order; work happens on ranks
    let n = items.len();
    let at = |r: usize| &items[order[r]];
    let mut dsu = Dsu((0..n).collect());
    // equal normalised text
    // (the first rank with that text, and the first from another article than it)
    let mut by_text: HashMap<String, Vec<usize>> = HashMap::new();
    for r in 0..n {
        let t = normalise(&at(r).text);
        if !t.is_empty() {
            by_text.entry(t).or_default().push(r);
        }
    }
    let mut keys: Vec<&String> = by_text.keys().collect();
    keys.sort_unstable();
    for k in keys {
        let ranks = &by_text[k];
        let first = ranks[0];
        for &r in &ranks[1..] {
            if at(r).article != at(first).article {
                dsu.union(first, r);
            } else if let Some(&other) = ranks.iter().find(|&&o| at(o).article != at(r).article) {
                dsu.union(other, r);
            }
        }
    }
    // similar embeddings, through the hash buckets
    let mut compared = 0usize;
    for bucket in buckets(items, &order) {
        for (i, &a) in bucket.iter().enumerate() {
            for &b in bucket.iter().skip(i + 1).take(WINDOW) {
                if at(a).article == at(b).article || dsu.find(a) == dsu.find(b) {
                    continue;
                }
                compared += 1;
                let (ea, eb) = (
                    at(a).embedding.as_ref().unwrap(),
                    at(b).embedding.as_ref().unwrap(),
                );
                if cosine(ea, eb) >= threshold {
                    dsu.union(a, b);
                }
            }
        }
    }
    // components of two or more, named by their first member
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for r in 0..n {
        let root = dsu.find(r);
        members.entry(root).or_default().push(r);
    }
    let mut roots: Vec<usize> = members
        .iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(&root, _)| root)
        .collect();
    roots.sort_unstable();
    let mut groups: Vec<Group> = roots
        .into_iter()
        .map(|root| {
            let ranks = &members[&root];
            let first = at(ranks[0]);
            let mut h = Sha256::new();
            h.update(first.article.as_bytes());
            h.update([0]);
            h.update(first.start.to_string().as_bytes());
            h.update([0]);
            h.update(first.end.to_string().as_bytes());
            let hex: String = h.finalize()[..5]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let articles = {
                let mut a: Vec<&str> = ranks.iter().map(|&r| at(r).article.as_str()).collect();
                a.sort_unstable();
                a.dedup();
                a.len()
            };
            Group {
                id: format!("g{hex}"),
                members: ranks.iter().map(|&r| order[r]).collect(),
                representative: order[representative(items, &order, ranks)],
                articles,
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut of = vec![None; n];
    for (g, grp) in groups.iter().enumerate() {
        for &m in &grp.members {
            of[m] = Some(g);
        }
    }
    Grouping {
        of,
        groups,
        compared,
    }
}

/// The member (as a rank) with the highest summed similarity to the first 64 members; the
/// most frequent normalised text when there are no embeddings; ties to the first.
fn representative(items: &[Item], order: &[usize], ranks: &[usize]) -> usize {
    let head = &ranks[..ranks.len().min(64)];
    let score = |r: usize| -> f64 {
        let x = &items[order[r]];
        head.iter()
            .map(|&o| {
                let y = &items[order[o]];
                match (&x.embedding, &y.embedding) {
                    (Some(a), Some(b)) => f64::from(cosine(a, b)),
                    _ => f64::from(u8::from(normalise(&x.text) == normalise(&y.text))),
                }
            })
            .sum()
    };
    let mut best = head[0];
    let mut best_score = score(best);
    for &r in &head[1..] {
        let s = score(r);
        if s > best_score + 1e-9 {
            best = r;
            best_score = s;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(article: &str, start: usize, text: &str, e: Option<Vec<i8>>) -> Item {
        Item {
            article: article.into(),
            start,
            end: start + text.chars().count(),
            text: text.into(),
            embedding: e,
        }
    }

    fn unit(seed: u64, noise: u64) -> Vec<i8> {
        let mut r = Rng(seed);
        let mut n = Rng(noise);
        (0..384)
            .map(|_| {
                let v = r.gauss() * 40.0 + n.gauss() * 6.0;
                v.clamp(-127.0, 127.0) as i8
            })
            .collect()
    }

    #[test]
    fn same_text_and_near_embeddings_group_and_ids_do_not_depend_on_order() {
        let items = vec![
            item("b", 10, "Taxes rose 20% last year.", Some(unit(1, 2))),
            item("a", 0, "taxes rose 20%, last year", Some(unit(7, 8))),
            item(
                "c",
                5,
                "Taxes went up by a fifth last year",
                Some(unit(1, 3)),
            ),
            item("d", 0, "The bridge reopened on Saturday", Some(unit(99, 4))),
        ];
        let g = group(&items, 0.8);
        assert_eq!(g.groups.len(), 1);
        let grp = &g.groups[0];
        assert_eq!(grp.articles, 3);
        let mut m = grp.members.clone();
        m.sort_unstable();
        assert_eq!(m, vec![0, 1, 2]);
        assert_eq!(g.of[3], None);
        // the same batch in another order: the same id for the same members
        let mut rev = items.clone();
        rev.reverse();
        let h = group(&rev, 0.8);
        assert_eq!(h.groups[0].id, grp.id);
        assert_eq!(h.of[0], None);
    }

    /// The worst case for blocking: every claim in one bucket (the same embedding, and a
    /// threshold nothing reaches). Work stays within n · TABLES · WINDOW, not n².
    #[test]
    fn work_is_bounded_when_every_claim_lands_in_one_bucket() {
        let n = 3000;
        let e = unit(3, 3);
        let items: Vec<Item> = (0..n)
            .map(|i| item(&format!("a{i}"), 0, &format!("claim {i}"), Some(e.clone())))
            .collect();
        let g = group(&items, 1.1);
        assert!(g.groups.is_empty());
        assert!(g.compared <= n * TABLES * WINDOW, "{}", g.compared);
        assert!(g.compared < n * (n - 1) / 2 / 4, "{}", g.compared);
    }

    #[test]
    fn claims_of_one_article_are_not_grouped_with_each_other() {
        let items = vec![
            item("a", 0, "Taxes rose 20% last year", Some(unit(1, 2))),
            item("a", 50, "Taxes rose 20% last year", Some(unit(1, 2))),
        ];
        assert!(group(&items, 0.8).groups.is_empty());
    }
}
