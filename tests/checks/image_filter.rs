use super::{LIMIT, within};
use crate::ex::image_filter::{BLUR, EDGES, EMBOSS, Image, SHARPEN, apply, apply_parallel};

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
