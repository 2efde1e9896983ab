//! RIGHT: no shared output buffer: a parallel iterator over the row numbers makes each row as its own Vec, and an indexed collect puts them back in order.
use rayon::prelude::*;

/// A grayscale image, one byte a pixel, row after row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// A 3×3 filter: weights, row by row, and a divisor and offset for the sum.
#[derive(Debug, Clone, Copy)]
pub struct Kernel {
    pub weights: [[i32; 3]; 3],
    pub divisor: i32,
    pub offset: i32,
}

pub const BLUR: Kernel = Kernel {
    weights: [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
    divisor: 9,
    offset: 0,
};
pub const SHARPEN: Kernel = Kernel {
    weights: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    divisor: 1,
    offset: 0,
};
pub const EDGES: Kernel = Kernel {
    weights: [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    divisor: 1,
    offset: 0,
};
pub const EMBOSS: Kernel = Kernel {
    weights: [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    divisor: 1,
    offset: 128,
};

/// The filtered image, computed row after row on this thread.
pub fn apply(image: &Image, kernel: &Kernel) -> Image {
    let mut pixels = vec![0; image.pixels.len()];
    for (y, row) in pixels.chunks_mut(image.width.max(1)).enumerate() {
        filter_row(image, kernel, y, row);
    }
    Image {
        pixels,
        ..image.clone()
    }
}

/// The filtered image, its rows computed in parallel.
pub fn apply_parallel(image: &Image, kernel: &Kernel) -> Image {
    // Each row is its own Vec, filled on whichever thread takes it; rayon's
    // collect keeps the rows in order, top to bottom.
    let pixels = (0..image.height)
        .into_par_iter()
        .flat_map_iter(|y| {
            let mut row = vec![0; image.width];
            filter_row(image, kernel, y, &mut row);
            row
        })
        .collect();
    Image {
        pixels,
        ..image.clone()
    }
}

/// Fills `out` with row `y` of the filtered image. Pixels past the edge
/// count as copies of the nearest edge pixel.
pub fn filter_row(image: &Image, kernel: &Kernel, y: usize, out: &mut [u8]) {
    let clamp = |v: isize, len: usize| v.clamp(0, len as isize - 1) as usize;
    for (x, pixel) in out.iter_mut().enumerate() {
        let mut sum = 0;
        for (dy, weights) in kernel.weights.iter().enumerate() {
            let sy = clamp(y as isize + dy as isize - 1, image.height);
            for (dx, weight) in weights.iter().enumerate() {
                let sx = clamp(x as isize + dx as isize - 1, image.width);
                sum += weight * i32::from(image.pixels[sy * image.width + sx]);
            }
        }
        *pixel = (sum / kernel.divisor + kernel.offset).clamp(0, 255) as u8;
    }
}
