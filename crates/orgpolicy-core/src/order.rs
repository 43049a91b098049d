//! Sorting through one small sort.
//!
//! Every element type given to `slice::sort*` gets its own copy of the
//! standard sort, and even one copy of `sort_unstable_by` is 8.6 KB of wasm
//! (pattern-defeating quicksort with its sorting networks). The core sorts a
//! handful of types, none of them on the check path, so all of them sort a
//! permutation of positions with the heapsort below, through one comparator
//! object: the npm package carries one sort of a few hundred bytes, still
//! O(n log n) for a policy of any size.

use std::cmp::Ordering;

/// The positions `0..len` ordered by `compare`, ties in position order.
fn permutation(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    // Ties broken by position make the order total, so the sort is stable.
    let mut less = |order: &[usize], a: usize, b: usize| match (order.get(a), order.get(b)) {
        (Some(&a), Some(&b)) => compare(a, b).then(a.cmp(&b)) == Ordering::Less,
        _ => false,
    };
    // Restores the max-heap below `node` within `order[..end]`.
    let mut sift_down = |order: &mut [usize], mut node: usize, end: usize| loop {
        let mut child = 2 * node + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(order, child, child + 1) {
            child += 1;
        }
        if !less(order, node, child) {
            break;
        }
        order.swap(node, child);
        node = child;
    };
    for node in (0..len / 2).rev() {
        sift_down(&mut order, node, len);
    }
    for end in (1..len).rev() {
        order.swap(0, end);
        sift_down(&mut order, 0, end);
    }
    order
}

/// Sorts `items` by `compare`, stably (equal items keep their order).
pub(crate) fn sort_by<T>(items: &mut Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let view = items.as_slice();
        permutation(view.len(), &mut |a, b| match (view.get(a), view.get(b)) {
            (Some(a), Some(b)) => compare(a, b),
            _ => Ordering::Equal,
        })
    };
    apply(items, &order);
}

/// Moves `items[order[k]]` to position `k`, in place: each cycle of the
/// permutation by swaps. Only `swap` depends on the element type, so the
/// per-type code stays small (moving the items out through a vector of
/// `Option`s cost about 1.5 KB of wasm per sorted type).
fn apply<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; order.len()];
    for start in 0..order.len() {
        if done.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut at = start;
        loop {
            if let Some(slot) = done.get_mut(at) {
                *slot = true;
            }
            let Some(&from) = order.get(at) else { break };
            if from == start || from >= items.len() {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Sorts plain keys (bit indexes, role names) in place: insertion sort
/// for the short lists roles usually hold, heapsort past that (no
/// allocation, `O(n log n)`). Instantiated for `u32` and `u64` only.
pub(crate) fn sort_keys<K: Copy + Ord>(items: &mut [K]) {
    if items.len() <= 32 {
        for end in 1..items.len() {
            let mut at = end;
            while at > 0 && items.get(at - 1) > items.get(at) {
                items.swap(at - 1, at);
                at -= 1;
            }
        }
        return;
    }
    let sift_down = |items: &mut [K], mut node: usize, end: usize| loop {
        let mut child = 2 * node + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && items.get(child) < items.get(child + 1) {
            child += 1;
        }
        if items.get(node) >= items.get(child) {
            break;
        }
        items.swap(node, child);
        node = child;
    };
    let len = items.len();
    for node in (0..len / 2).rev() {
        sift_down(items, node, len);
    }
    for end in (1..len).rev() {
        items.swap(0, end);
        sift_down(items, 0, end);
    }
}

/// Sorts `items` and drops repeats.
pub(crate) fn sort_dedup<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
    items.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_bits_like_the_standard_sort(items in proptest::collection::vec(any::<u32>(), 0..200)) {
            let mut ours = items.clone();
            sort_keys(&mut ours);
            let mut standard = items;
            standard.sort_unstable();
            prop_assert_eq!(ours, standard);
        }

        #[test]
        fn sorts_like_the_standard_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut standard = items.clone();
            standard.sort_by_key(|item| item.0);
            prop_assert_eq!(ours, standard);

            let mut ours = items.clone();
            sort_dedup(&mut ours);
            let mut standard = items;
            standard.sort();
            standard.dedup();
            prop_assert_eq!(ours, standard);
        }
    }
}
