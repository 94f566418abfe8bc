//! Byte-string interning: names repeat a lot (labels, settings), so facts
//! store small ids instead of copies.
//!
//! Every name is stored once, in one byte arena; the hash table holds only
//! ids. A huge script has hundreds of thousands of distinct labels, so a
//! boxed copy per name (twice, for the map and the list) would be most of the
//! model's memory.

use std::hash::BuildHasher;
use std::num::NonZeroU32;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// An interned name. Never zero inside, so an `Option<Sym>` takes 4 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(NonZeroU32);

impl Sym {
    fn from_index(index: usize) -> Sym {
        Sym(NonZeroU32::new(index as u32 + 1).expect("fewer than 4G names"))
    }

    /// The position of the name in interning order (0 for the first).
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

#[derive(Clone, Default)]
pub struct Interner {
    table: HashTable<Sym>,
    bytes: Vec<u8>,
    /// `ends[i]`: where name `i` ends in `bytes` (it starts where `i - 1` ends).
    ends: Vec<u32>,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(String::from_utf8_lossy))
            .finish()
    }
}

fn hash(name: &[u8]) -> u64 {
    FxBuildHasher.hash_one(name)
}

impl Interner {
    pub fn intern(&mut self, name: &[u8]) -> Sym {
        let h = hash(name);
        let Interner { table, bytes, ends } = self;
        let resolve = |sym: &Sym| slice(bytes, ends, *sym);
        if let Some(&sym) = table.find(h, |s| resolve(s) == name) {
            return sym;
        }
        let sym = Sym::from_index(ends.len());
        bytes.extend_from_slice(name);
        ends.push(bytes.len() as u32);
        table.insert_unique(h, sym, |s| hash(slice(bytes, ends, *s)));
        sym
    }

    pub fn get(&self, name: &[u8]) -> Option<Sym> {
        self.table
            .find(hash(name), |s| self.resolve(*s) == name)
            .copied()
    }

    pub fn resolve(&self, sym: Sym) -> &[u8] {
        slice(&self.bytes, &self.ends, sym)
    }

    /// For messages: the name as text (invalid UTF-8 replaced).
    pub fn display(&self, sym: Sym) -> String {
        String::from_utf8_lossy(self.resolve(sym)).into_owned()
    }

    /// Every name, in the order they were first interned.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.resolve(Sym::from_index(i)))
    }

    /// Makes room for `additional` more names.
    pub fn reserve(&mut self, additional: usize) {
        let Interner { table, bytes, ends } = self;
        table.reserve(additional, |s| hash(slice(bytes, ends, *s)));
        ends.reserve(additional);
    }

    /// How many distinct names there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A map from names to `u32` values, stored by the name's id. Ids follow
/// the order in which names are first met, so looking names up while walking
/// a file in order reads this table in order too; a hash map of a huge
/// script's labels would miss the cache at nearly every lookup.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SymIndex {
    /// By name id; [`SymIndex::ABSENT`] where a name has no value.
    slots: Vec<u32>,
}

impl SymIndex {
    const ABSENT: u32 = u32::MAX;

    pub fn get(&self, sym: &Sym) -> Option<&u32> {
        self.slots.get(sym.index()).filter(|&&v| v != Self::ABSENT)
    }

    pub fn contains_key(&self, sym: &Sym) -> bool {
        self.get(sym).is_some()
    }

    /// Stores `value` for `sym` unless it has one already; returns the value kept.
    pub fn insert_first(&mut self, sym: Sym, value: u32) -> u32 {
        assert_ne!(value, Self::ABSENT, "value too large");
        let i = sym.index();
        if i >= self.slots.len() {
            self.slots.resize(i + 1, Self::ABSENT);
        }
        if self.slots[i] == Self::ABSENT {
            self.slots[i] = value;
        }
        self.slots[i]
    }

    /// The names with a value, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, u32)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != Self::ABSENT)
            .map(|(i, &v)| (Sym::from_index(i), v))
    }

    /// Room for names with ids below `ids`.
    pub fn reserve(&mut self, ids: usize) {
        self.slots.reserve(ids.saturating_sub(self.slots.len()));
    }
}

impl std::ops::Index<&Sym> for SymIndex {
    type Output = u32;

    fn index(&self, sym: &Sym) -> &u32 {
        self.get(sym).expect("name has a value")
    }
}

fn slice<'a>(bytes: &'a [u8], ends: &[u32], sym: Sym) -> &'a [u8] {
    let i = sym.index();
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &bytes[start..ends[i] as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_exact() {
        let mut names = Interner::default();
        let a = names.intern(b"menu");
        let empty = names.intern(b"");
        let b = names.intern(b"men");
        assert_eq!(names.intern(b"menu"), a);
        assert_ne!(a, b);
        assert_eq!(names.resolve(a), b"menu");
        assert_eq!(names.resolve(empty), b"");
        assert_eq!(names.resolve(b), b"men");
        assert_eq!(names.get(b"men"), Some(b));
        assert_eq!(names.get(b"me"), None);
        for i in 0..10_000u32 {
            names.intern(i.to_string().as_bytes());
        }
        assert_eq!(names.len(), 10_003);
        assert_eq!(names.resolve(names.get(b"9999").unwrap()), b"9999");
    }

    #[test]
    fn sym_index_keeps_the_first_value() {
        let mut names = Interner::default();
        let (a, b, c) = (names.intern(b"a"), names.intern(b"b"), names.intern(b"c"));
        let mut index = SymIndex::default();
        assert_eq!(index.insert_first(b, 7), 7);
        assert_eq!(index.insert_first(b, 9), 7);
        assert_eq!(index.insert_first(a, 0), 0);
        assert_eq!(index.get(&b), Some(&7));
        assert!(!index.contains_key(&c));
        assert_eq!(index[&a], 0);
        assert_eq!(index.iter().collect::<Vec<_>>(), vec![(a, 0), (b, 7)]);
    }
}
