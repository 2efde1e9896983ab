//! A map from the small ids the recorder hands out (span ids counting up
//! from 1, thread indices from 0) to what the model knows about them: a
//! vector indexed by the id for ids below [`DENSE_LIMIT`], a hash map for
//! the rest. Every enter and exit looks up a span and a thread, so this is
//! the intake's hottest path; indexing costs a bounds check where hashing
//! cost a multiply, a probe and a compare, on memory spread across a table.
use super::IdMap;

/// Ids below this sit in the vector: at most this many slots, so a sender
/// that makes up a huge id cannot make the model allocate for it.
const DENSE_LIMIT: u64 = 1 << 22;

#[derive(Debug)]
pub(super) struct DenseMap<V> {
    dense: Vec<Option<V>>,
    sparse: IdMap<u64, V>,
}

impl<V> Default for DenseMap<V> {
    fn default() -> Self {
        DenseMap {
            dense: Vec::new(),
            sparse: IdMap::default(),
        }
    }
}

impl<V> DenseMap<V> {
    pub(super) fn get(&self, id: u64) -> Option<&V> {
        if id < DENSE_LIMIT {
            self.dense.get(id as usize)?.as_ref()
        } else {
            self.sparse.get(&id)
        }
    }

    pub(super) fn get_mut(&mut self, id: u64) -> Option<&mut V> {
        if id < DENSE_LIMIT {
            self.dense.get_mut(id as usize)?.as_mut()
        } else {
            self.sparse.get_mut(&id)
        }
    }

    pub(super) fn contains(&self, id: u64) -> bool {
        self.get(id).is_some()
    }

    /// Puts `value` under `id`; returns false (and keeps the old value) if
    /// `id` was taken.
    pub(super) fn insert_new(&mut self, id: u64, value: V) -> bool {
        if id < DENSE_LIMIT {
            let i = id as usize;
            if self.dense.len() <= i {
                self.dense.resize_with(i + 1, || None);
            }
            if self.dense[i].is_some() {
                return false;
            }
            self.dense[i] = Some(value);
        } else {
            if self.sparse.contains_key(&id) {
                return false;
            }
            self.sparse.insert(id, value);
        }
        true
    }

    pub(super) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.dense
            .iter_mut()
            .filter_map(Option::as_mut)
            .chain(self.sparse.values_mut())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_huge_ids_both_map() {
        let mut map = DenseMap::default();
        assert!(map.insert_new(3, "three"));
        assert!(map.insert_new(u64::MAX, "max"));
        assert!(!map.insert_new(3, "again"));
        assert_eq!(map.get(3), Some(&"three"));
        assert_eq!(map.get(u64::MAX), Some(&"max"));
        assert_eq!(map.get(2), None);
        assert_eq!(map.get(1 << 40), None);
        assert!(map.contains(3) && !map.contains(4));
        *map.get_mut(3).unwrap() = "drei";
        let mut values: Vec<_> = map.values_mut().map(|v| *v).collect();
        values.sort_unstable();
        assert_eq!(values, ["drei", "max"]);
    }
}
