//! One stable sort for every type: [`sort_by_key`] and [`sort_by`], for lists the browser
//! sorts (the plan's and the wheel's views, a record's versions, the check-in queue).
//!
//! `slice::sort_by_key` compiles the standard library's stable sort (about 3.5 KiB of wasm
//! before `wasm-opt`) once for every element type and comparison; the browser's `later`
//! chunk had a dozen, 45 KiB. Here only a list of indices is sorted, with the comparison
//! behind `&dyn`, so the sort itself is compiled once; the elements are then put in that
//! order by swaps, a few instructions for each type. Stable, as the standard library's.

use std::cmp::Ordering;

/// Sorts `items` by `key`, stably (equal keys keep their order), as `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` by `compare`, stably, as `slice::sort_by`.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_indices(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, &order);
}

/// `0..len` sorted by `compare` on indices: the one sort that is compiled.
fn sorted_indices(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Puts the element that was at `order[i]` at `i`, for every `i`, by swaps. Before step `i`
/// the places below `i` are done; the element wanted at `i` has been swapped away from
/// `order[i]` if that place is below `i`, to the place that step swapped with, so the chain
/// `order[order[…]]` is followed until it leaves the places already done.
fn permute<T>(items: &mut [T], order: &[usize]) {
    for i in 0..items.len() {
        let mut from = order[i];
        while from < i {
            from = order[from];
        }
        items.swap(i, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_order_of_six_elements_is_put_right() {
        fn orders(n: usize) -> Vec<Vec<usize>> {
            if n == 0 {
                return vec![vec![]];
            }
            let mut all = Vec::new();
            for shorter in orders(n - 1) {
                for at in 0..=shorter.len() {
                    let mut order = shorter.clone();
                    order.insert(at, n - 1);
                    all.push(order);
                }
            }
            all
        }
        for n in 0..=6 {
            for order in orders(n) {
                let mut items: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
                permute(&mut items, &order);
                let wanted: Vec<String> = order.iter().map(|i| format!("x{i}")).collect();
                assert_eq!(items, wanted, "{order:?}");
            }
        }
    }

    #[test]
    fn empty_and_single_lists() {
        let mut none: Vec<u8> = vec![];
        sort_by_key(&mut none, |x| *x);
        assert!(none.is_empty());
        let mut one = vec![7];
        sort_by_key(&mut one, |x| *x);
        assert_eq!(one, [7]);
    }

    proptest! {
        #[test]
        fn sorts_as_the_standard_library_does(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..300)) {
            let mut ours = items.clone();
            let mut std_sorted = items;
            // Keyed on the first field only, so stability shows in the second.
            sort_by_key(&mut ours, |(key, _)| *key);
            std_sorted.sort_by_key(|(key, _)| *key);
            prop_assert_eq!(ours, std_sorted);
        }
    }
}
