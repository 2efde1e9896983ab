use super::probe::busy_threads_tries;
use super::{LIMIT, within};
use crate::ex::image_filter::{BLUR, EDGES, EMBOSS, Image, SHARPEN, apply, apply_parallel};
use std::time::Duration;

/// A reproducible image with some structure (gradients and noise).
fn image(width: usize, height: usize) -> Image {
    let mut seed: u32 = 12345;
    let pixels = (0..width * height)
        .map(|i| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            ((i % width) as u32 * 3 + (i / width) as u32 + (seed >> 24)) as u8
        })
        .collect();
    Image {
        width,
        height,
        pixels,
    }
}

#[test]
fn same_image_as_one_thread() {
    isolated!();
    within(LIMIT, "apply_parallel never returned", || {
        for (width, height) in [(257, 131), (1, 9), (9, 1), (64, 64)] {
            let input = image(width, height);
            for (name, kernel) in [
                ("blur", BLUR),
                ("sharpen", SHARPEN),
                ("edges", EDGES),
                ("emboss", EMBOSS),
            ] {
                assert!(
                    apply_parallel(&input, &kernel) == apply(&input, &kernel),
                    "{name} on a {width}×{height} image differs from the one-thread result"
                );
            }
        }
    });
}

#[test]
fn rows_are_computed_at_the_same_time() {
    isolated!();
    let (same, most) = within(
        Duration::from_secs(12),
        "apply_parallel never returned",
        || {
            let input = image(1024, 301);
            let expected = apply(&input, &BLUR);
            // Up to 3 runs: one run on a busy machine can miss the overlap.
            let (same, most) =
                busy_threads_tries(3, 2, || apply_parallel(&input, &BLUR) == expected);
            (same.iter().all(|&same| same), most)
        },
    );
    assert!(
        same,
        "blur on a 1024×301 image differs from the one-thread result"
    );
    assert!(
        most >= 2,
        "never more than {most} thread was computing rows at any moment (in up to 3 runs): \
         the rows were computed one after another"
    );
}
