//! Byte-string interning: names repeat a lot (labels, settings), so facts
//! store small ids instead of copies.

use rustc_hash::FxHashMap as HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

#[derive(Clone, Debug, Default)]
pub struct Interner {
    map: HashMap<Box<[u8]>, Sym>,
    names: Vec<Box<[u8]>>,
}

impl Interner {
    pub fn intern(&mut self, name: &[u8]) -> Sym {
        if let Some(&sym) = self.map.get(name) {
            return sym;
        }
        let sym = Sym(self.names.len() as u32);
        self.names.push(name.into());
        self.map.insert(name.into(), sym);
        sym
    }

    pub fn get(&self, name: &[u8]) -> Option<Sym> {
        self.map.get(name).copied()
    }

    pub fn resolve(&self, sym: Sym) -> &[u8] {
        &self.names[sym.0 as usize]
    }

    /// For messages: the name as text (invalid UTF-8 replaced).
    pub fn display(&self, sym: Sym) -> String {
        String::from_utf8_lossy(self.resolve(sym)).into_owned()
    }
}
