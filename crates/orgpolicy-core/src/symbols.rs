//! Interned strings: ids to dense integers, for the ids a check looks up
//! (role ids, resource ids, action names).
//!
//! A `hashbrown::HashTable` over one byte arena. Looking up a short id — and
//! ids are short — compares it with at most two word loads instead of a call
//! to `memcmp`, and the keys sit together in one allocation instead of one
//! allocation each.

use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::Hasher;

/// How a `HashTable<u32>` of indexes rehashes an entry when it grows. Every
/// such table passes its hasher as this one type, so the table's growth
/// code exists once in the module instead of once per table.
pub(crate) type Rehash<'a> = &'a dyn Fn(&u32) -> u64;

/// A symbol's bytes in `arena` (empty for an unknown symbol). Apart from
/// [`Symbols`] so a growing table can rehash while the table itself is
/// borrowed for the insertion.
#[inline(always)]
fn span_bytes<'a>(arena: &'a [u8], spans: &[(u32, u32)], symbol: u32) -> &'a [u8] {
    let (start, len) = spans.get(symbol as usize).copied().unwrap_or((0, 0));
    arena
        .get(start as usize..(start as usize + len as usize))
        .unwrap_or_default()
}

/// Strings to dense `u32` symbols, append-only.
#[derive(Debug, Default, Clone)]
pub(crate) struct Symbols {
    table: HashTable<u32>,
    arena: Vec<u8>,
    /// Start and length of each symbol's bytes in `arena`.
    spans: Vec<(u32, u32)>,
}

/// The hash of an id: its bytes alone (no length prefix: the table holds
/// only whole ids, so prefix collisions cannot arise).
///
/// Not inlined in wasm, where each inlined copy of the byte hash cost
/// module size (1.3 KB gzipped over all call sites); string checks through
/// a `Session` measured 2-4% slower, loading no different.
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline)]
pub(crate) fn hash(text: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(text);
    hasher.finish()
}

// Words are read through references to arrays, not copied out:
// `copy_from_slice` stays a function call in the package's size-optimised
// wasm.
fn word8(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 8)
        .and_then(|slice| <&[u8; 8]>::try_from(slice).ok())
        .map_or(0, |&word| u64::from_ne_bytes(word))
}

fn word4(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .and_then(|slice| <&[u8; 4]>::try_from(slice).ok())
        .map_or(0, |&word| u32::from_ne_bytes(word))
}

/// Byte equality, with the common short lengths done by overlapping loads.
#[inline]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len != b.len() {
        return false;
    }
    match len {
        0 => true,
        1..=3 => a == b,
        4..=8 => word4(a, 0) == word4(b, 0) && word4(a, len - 4) == word4(b, len - 4),
        9..=16 => word8(a, 0) == word8(b, 0) && word8(a, len - 8) == word8(b, len - 8),
        17..=32 => {
            word8(a, 0) == word8(b, 0)
                && word8(a, 8) == word8(b, 8)
                && word8(a, len - 16) == word8(b, len - 16)
                && word8(a, len - 8) == word8(b, len - 8)
        }
        _ => a == b,
    }
}

impl Symbols {
    #[inline(always)]
    pub(crate) fn bytes_of(&self, symbol: u32) -> &[u8] {
        span_bytes(&self.arena, &self.spans, symbol)
    }

    /// The symbol of `text`, if interned.
    #[inline(always)]
    pub(crate) fn get(&self, text: &str) -> Option<u32> {
        let bytes = text.as_bytes();
        self.find(bytes, hash(bytes))
    }

    /// The symbol of `bytes`, whose hash is `bytes_hash`, if interned.
    #[inline(always)]
    fn find(&self, bytes: &[u8], bytes_hash: u64) -> Option<u32> {
        self.table
            .find(bytes_hash, |&symbol| same(self.bytes_of(symbol), bytes))
            .copied()
    }

    /// The symbol of `text`, interning it if new.
    pub(crate) fn intern(&mut self, text: &str) -> u32 {
        self.intern_hashed(text, hash(text.as_bytes()))
    }

    /// [`Symbols::intern`] for a caller that has `hash(text)` already.
    pub(crate) fn intern_hashed(&mut self, text: &str, text_hash: u64) -> u32 {
        if let Some(symbol) = self.find(text.as_bytes(), text_hash) {
            return symbol;
        }
        let symbol = u32::try_from(self.spans.len()).unwrap_or(u32::MAX);
        let start = u32::try_from(self.arena.len()).unwrap_or(u32::MAX);
        self.arena.extend_from_slice(text.as_bytes());
        self.spans
            .push((start, u32::try_from(text.len()).unwrap_or(u32::MAX)));
        let (arena, spans) = (&self.arena, &self.spans);
        let rehash = |&s: &u32| hash(span_bytes(arena, spans, s));
        self.table
            .insert_unique(text_hash, symbol, &rehash as Rehash<'_>);
        symbol
    }

    /// How many symbols there are.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_exact() {
        let mut symbols = Symbols::default();
        let words: Vec<String> = (0..40)
            .map(|n| "x".repeat(n))
            .chain(
                [
                    "read",
                    "Read",
                    "reaD",
                    "abcdefgh",
                    "abcdefgi",
                    "bbcdefgh",
                    "ünïcødé",
                ]
                .map(String::from),
            )
            .collect();
        let ids: Vec<u32> = words.iter().map(|w| symbols.intern(w)).collect();
        assert_eq!(symbols.len(), words.len());
        for (word, id) in words.iter().zip(&ids) {
            assert_eq!(symbols.get(word), Some(*id));
            assert_eq!(symbols.intern(word), *id);
        }
        assert_eq!(symbols.get("x".repeat(40).as_str()), None);
        assert_eq!(symbols.get("abcdefgj"), None);
        assert_eq!(symbols.get("reae"), None);
    }

    #[test]
    fn short_comparison_agrees_with_slice_equality() {
        let samples: Vec<Vec<u8>> = (0..=40u8)
            .flat_map(|len| {
                let base: Vec<u8> = (0..len).collect();
                let mut variants = vec![base.clone()];
                for at in 0..len as usize {
                    let mut changed = base.clone();
                    changed[at] ^= 0x80;
                    variants.push(changed);
                }
                variants
            })
            .collect();
        for a in &samples {
            for b in &samples {
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
