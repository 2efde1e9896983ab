//! Grayscale images and 3×3 convolution kernels (blur, sharpen, contour,
//! emboss), with a sequential and a rayon-parallel way to apply them.
//!
//! Integer arithmetic only, so the parallel result can be compared with the
//! sequential one byte for byte: splitting rows between threads must not
//! change a single pixel.
use rayon::prelude::*;

#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

pub struct Kernel {
    pub name: &'static str,
    weights: [i32; 9],
    divisor: i32,
    offset: i32,
}

pub const KERNELS: [Kernel; 4] = [
    Kernel {
        name: "blur",
        weights: [1, 2, 1, 2, 4, 2, 1, 2, 1],
        divisor: 16,
        offset: 0,
    },
    Kernel {
        name: "sharpen",
        weights: [0, -1, 0, -1, 5, -1, 0, -1, 0],
        divisor: 1,
        offset: 0,
    },
    Kernel {
        name: "contour",
        weights: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
        divisor: 1,
        offset: 255,
    },
    Kernel {
        name: "emboss",
        weights: [-1, -1, 0, -1, 0, 1, 0, 1, 1],
        divisor: 1,
        offset: 128,
    },
];

/// A test picture: a gradient, rings and a little noise, different per seed.
pub fn generate(seed: u64, width: usize, height: usize) -> Image {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let (cx, cy) = ((seed as usize * 37) % width, (seed as usize * 53) % height);
    let mut pixels = Vec::with_capacity(width * height);
    for y in 0..height {
        for x in 0..width {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let noise = (state >> 59) as usize;
            let distance = x.abs_diff(cx) + y.abs_diff(cy);
            let ring = if (distance / 12) % 2 == 0 { 90 } else { 0 };
            pixels.push(((x + y) / 4 + ring + noise).min(255) as u8);
        }
    }
    Image {
        width,
        height,
        pixels,
    }
}

/// Applies `kernel` row after row on this thread.
pub fn apply(image: &Image, kernel: &Kernel) -> Image {
    let mut pixels = vec![0; image.pixels.len()];
    for (y, row) in pixels.chunks_mut(image.width).enumerate() {
        filter_row(image, kernel, y, row);
    }
    Image { pixels, ..*image }
}

/// The same, with rows handed out to rayon's threads. Each row is written by
/// exactly one thread (`par_chunks_mut` gives out disjoint `&mut` slices), so
/// no locks are needed and the borrow checker proves there is no race.
pub fn apply_parallel(image: &Image, kernel: &Kernel) -> Image {
    let mut pixels = vec![0; image.pixels.len()];
    pixels
        .par_chunks_mut(image.width)
        .enumerate()
        .for_each(|(y, row)| filter_row(image, kernel, y, row));
    Image { pixels, ..*image }
}

fn filter_row(image: &Image, kernel: &Kernel, y: usize, out: &mut [u8]) {
    let (w, h) = (image.width as isize, image.height as isize);
    for (x, pixel) in out.iter_mut().enumerate() {
        let mut sum = 0;
        for (k, weight) in kernel.weights.iter().enumerate() {
            // Edges repeat the nearest pixel.
            let sx = (x as isize + k as isize % 3 - 1).clamp(0, w - 1);
            let sy = (y as isize + k as isize / 3 - 1).clamp(0, h - 1);
            sum += weight * i32::from(image.pixels[(sy * w + sx) as usize]);
        }
        *pixel = (sum / kernel.divisor + kernel.offset).clamp(0, 255) as u8;
    }
}

/// A short fingerprint of a batch of images, to print beside the timings.
pub fn checksum(images: &[Image]) -> u64 {
    images
        .iter()
        .flat_map(|image| &image.pixels)
        .fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
            (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}
