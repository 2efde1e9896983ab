//! The CPU work behind the workbook's CPU-bound figures (`workbook bench
//! models` and its Python twin compute the same sums).
//!
//! It lives in this crate because this crate is optimized even in dev
//! builds (see the root Cargo.toml), so a debug `bench models` times the
//! same machine code as a release one. Unoptimized, this loop keeps its
//! counters on the stack and calls the range iterator every step; a
//! standalone copy of it at opt-level 0 ran about 7% faster or slower from
//! one process to the next (two clusters, 0.19 and 0.20 s), which looked
//! like memory layout; later the optimized copy also moved by 5-9% within
//! one process, so much of that is the host's cores changing speed, which
//! `Summary::of_speedups` allows for.

use std::ops::Range;

/// A 64-bit integer mix of every number in `range`, summed (wrapping): pure
/// CPU work, no memory traffic, the same sum in any order of the pieces.
#[inline(never)]
pub fn mix_sum(range: Range<u64>) -> u64 {
    let mut acc = 0u64;
    for i in range {
        let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        x ^= x >> 31;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 27;
        acc = acc.wrapping_add(x);
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::mix_sum;

    #[test]
    fn pieces_add_up_to_the_whole() {
        let whole = mix_sum(0..10_000);
        let halves = mix_sum(0..4_321).wrapping_add(mix_sum(4_321..10_000));
        assert_eq!(whole, halves);
        assert_eq!(mix_sum(5..5), 0);
        assert_ne!(mix_sum(0..2), mix_sum(0..3), "every item counts");
    }
}
