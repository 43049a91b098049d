//! Organizations by id, each laid out as one contiguous block: its id, its
//! custom role names (sorted) and each custom role's granted bits as a
//! sorted list.
//!
//! With thousands of tenants, a string check for a random organization is
//! bound by cache misses, not arithmetic. Keeping the id (compared on hash
//! lookup), the role names and the granted bits in one small allocation
//! makes the walk from an organization id to a custom role's grants touch one
//! or two adjacent cache lines. Custom roles grant a handful of permissions
//! out of thousands, so a sorted list of granted bits is a small fraction of
//! a dense bitset: a typical block is a few hundred bytes, and a few thousand
//! organizations stay in L2.
//!
//! Block layout, in `u32` words:
//! `[id length] [role count n] [id bytes, zero padded] [n role names,
//! sorted] [n + 1 offsets into the bit lists] [bit lists]`

use crate::engine::RoleName;
use crate::symbols::Rehash;
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// A compiled organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrganizationBlock {
    words: Box<[u32]>,
}

/// One custom role's grants: the granted bits, sorted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleBits<'b>(&'b [u32]);

impl RoleBits<'_> {
    /// Whether either bit is granted.
    #[inline]
    pub(crate) fn contains_either(self, first: u32, second: u32) -> bool {
        self.0.binary_search(&first).is_ok() || self.0.binary_search(&second).is_ok()
    }

    /// The granted bits, ascending.
    pub(crate) fn bits(self) -> impl Iterator<Item = u32> {
        self.0.iter().copied()
    }
}

const HEADER: usize = 2;

fn id_word_count(bytes: usize) -> usize {
    bytes.div_ceil(4)
}

fn pack_id(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    // Native byte order, so that reading the words back as bytes
    // (`bytemuck::cast_slice`) gives the id.
    bytes.chunks(4).map(|chunk| {
        let mut word = [0u8; 4];
        for (slot, byte) in word.iter_mut().zip(chunk) {
            *slot = *byte;
        }
        u32::from_ne_bytes(word)
    })
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl OrganizationBlock {
    /// Builds a block. `roles` must be sorted by name with no duplicates;
    /// each role's granted bits sorted, with no repeats.
    pub(crate) fn new(id: &[u8], roles: &[(RoleName, &[u32])]) -> Self {
        let entries: usize = roles.iter().map(|(_, bits)| bits.len()).sum();
        let mut words =
            Vec::with_capacity(HEADER + id_word_count(id.len()) + 2 * roles.len() + 1 + entries);
        words.push(to_u32(id.len()));
        words.push(to_u32(roles.len()));
        words.extend(pack_id(id));
        words.extend(roles.iter().map(|(name, _)| *name));
        let mut offset = 0usize;
        words.push(0);
        for (_, bits) in roles {
            offset += bits.len();
            words.push(to_u32(offset));
        }
        for (_, bits) in roles {
            words.extend_from_slice(bits);
        }
        Self {
            words: words.into_boxed_slice(),
        }
    }

    fn id_len(&self) -> usize {
        self.words.first().copied().unwrap_or(0) as usize
    }

    fn role_count(&self) -> usize {
        self.words.get(1).copied().unwrap_or(0) as usize
    }

    fn id_words(&self) -> &[u32] {
        self.words
            .get(HEADER..HEADER + id_word_count(self.id_len()))
            .unwrap_or_default()
    }

    /// Whether this block is the organization `id`.
    #[inline]
    pub(crate) fn has_id(&self, id: &str) -> bool {
        crate::symbols::same(self.id_bytes(), id.as_bytes())
    }

    fn id_bytes(&self) -> &[u8] {
        let bytes: &[u8] = bytemuck::cast_slice(self.id_words());
        bytes.get(..self.id_len()).unwrap_or_default()
    }

    /// The organization id.
    #[cfg(test)]
    fn id(&self) -> &str {
        std::str::from_utf8(self.id_bytes()).unwrap_or_default()
    }

    /// The granted bits of custom role `name`, if the organization defines it.
    #[inline]
    pub(crate) fn role(&self, name: RoleName) -> Option<RoleBits<'_>> {
        let count = self.role_count();
        let names_start = HEADER + id_word_count(self.id_len());
        let names = self.words.get(names_start..names_start + count)?;
        let index = names.binary_search(&name).ok()?;
        let offsets_start = names_start + count;
        let bits_start = offsets_start + count + 1;
        let from = *self.words.get(offsets_start + index)? as usize;
        let to = *self.words.get(offsets_start + index + 1)? as usize;
        self.words
            .get(bits_start + from..bits_start + to)
            .map(RoleBits)
    }

    /// Whether any custom role is defined.
    pub(crate) fn has_roles(&self) -> bool {
        self.role_count() > 0
    }
}

/// Organizations, by id and by index (indexes are handles and never change).
#[derive(Debug, Default)]
pub(crate) struct OrganizationTable {
    table: HashTable<u32>,
    blocks: Vec<OrganizationBlock>,
}

fn hash(id: &[u8]) -> u64 {
    FxBuildHasher.hash_one(id)
}

impl OrganizationTable {
    /// The index of organization `id`, if known.
    #[inline]
    pub(crate) fn find(&self, id: &str) -> Option<u32> {
        self.table
            .find(hash(id.as_bytes()), |&index| {
                self.blocks
                    .get(index as usize)
                    .is_some_and(|block| block.has_id(id))
            })
            .copied()
    }

    /// The block of organization `id`, if known.
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<&OrganizationBlock> {
        self.blocks.get(self.find(id)? as usize)
    }

    pub(crate) fn block(&self, index: u32) -> Option<&OrganizationBlock> {
        self.blocks.get(index as usize)
    }

    /// The index of organization `id`, adding it (with no custom roles) if new.
    pub(crate) fn intern(&mut self, id: &str) -> u32 {
        if let Some(index) = self.find(id) {
            return index;
        }
        let index = to_u32(self.blocks.len());
        self.blocks.push(OrganizationBlock::new(id.as_bytes(), &[]));
        let blocks = &self.blocks;
        let rehash = |&i: &u32| {
            blocks
                .get(i as usize)
                .map_or(0, |block| hash(block.id_bytes()))
        };
        self.table
            .insert_unique(hash(id.as_bytes()), index, &rehash as Rehash<'_>);
        index
    }

    /// Replaces an organization's custom roles (see [`OrganizationBlock::new`]).
    pub(crate) fn set_roles(&mut self, index: u32, roles: &[(RoleName, &[u32])]) {
        if let Some(block) = self.blocks.get_mut(index as usize) {
            let id = block.id_bytes().to_vec();
            *block = OrganizationBlock::new(&id, roles);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_round_trips_ids_and_roles() {
        for id in ["", "o", "organization-test-0123456789abcdef", "ünï/cødé"] {
            let roles: Vec<(RoleName, &[u32])> = vec![(2, &[0, 2]), (7, &[64, 191]), (9, &[])];
            let block = OrganizationBlock::new(id.as_bytes(), &roles);
            assert!(block.has_id(id));
            assert!(!block.has_id(&format!("{id}x")));
            assert!(!block.has_id(&format!("{id}\0")));
            assert_eq!(block.id(), id);
            let bits = |name| block.role(name).map(|r| r.bits().collect::<Vec<_>>());
            assert_eq!(bits(2), Some(vec![0, 2]));
            assert_eq!(bits(7), Some(vec![64, 191]));
            assert_eq!(bits(9), Some(vec![]));
            assert_eq!(bits(3), None);
            assert_eq!(bits(u32::MAX), None);
            let seven = block.role(7).unwrap();
            assert!(
                seven.contains_either(191, 5)
                    && seven.contains_either(5, 64)
                    && !seven.contains_either(190, 65)
            );
            assert!(!seven.contains_either(u32::MAX - 1, u32::MAX));
        }
    }

    #[test]
    fn table_finds_interned_ids() {
        let mut table = OrganizationTable::default();
        let ids: Vec<String> = (0..500).map(|i| format!("org-{i}")).collect();
        let indexes: Vec<u32> = ids.iter().map(|id| table.intern(id)).collect();
        for (id, index) in ids.iter().zip(&indexes) {
            assert_eq!(table.find(id), Some(*index));
            assert_eq!(table.intern(id), *index);
        }
        assert_eq!(table.find("org-500"), None);
        table.set_roles(3, &[(1, &[5])]);
        assert!(
            table
                .get("org-3")
                .and_then(|b| b.role(1))
                .is_some_and(|r| r.contains_either(5, 5))
        );
        assert!(table.get("org-4").is_some_and(|b| !b.has_roles()));
    }
}
